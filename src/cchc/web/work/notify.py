"""Reminders: notifications in the app, and each person's daily digest (new assignments, work
due soon, overdue work, documents waiting for their direction), e-mailed through Django's mail
when `EMAIL_HOST` is set, else only shown in the app."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cchc.web.accounts import roles
from cchc.web.work import flow
from cchc.web.work.models import Notification, Task

DIGEST = "digest"


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else "Hệ thống"


def notify(user, kind: str, text: str, url: str = "") -> Notification | None:
    """One message to one person in the app (and in their next digest)."""
    if user is None:
        return None
    return Notification.objects.create(user=user, kind=kind, text=text[:2000], url=url[:300])


def _task_url(task: Task) -> str:
    return reverse("task", args=[task.pk])


def assigned(task: Task, person, by) -> None:
    deadline = f", hạn {task.deadline:%d/%m/%Y}" if task.deadline else ""
    notify(
        person,
        "assigned",
        f"{_person(by)} giao cho bạn: {task.action[:200]}{deadline}.",
        _task_url(task),
    )


def extension_asked(request, deciders) -> None:
    task = request.task
    for person in deciders:
        notify(
            person,
            "extension-asked",
            f"{_person(request.user)} xin gia hạn đến {request.deadline:%d/%m/%Y}: "
            f"{task.action[:160]} (lý do: {request.reason[:200]}).",
            _task_url(task),
        )


def extension_decided(request) -> None:
    task = request.task
    verdict = "đồng ý" if request.state == request.State.APPROVED else "không đồng ý"
    answer = f" Ý kiến: {request.answer}" if request.answer else ""
    notify(
        request.user,
        "extension-decided",
        f"{_person(request.decided_by)} {verdict} gia hạn đến {request.deadline:%d/%m/%Y}: "
        f"{task.action[:160]}.{answer}",
        _task_url(task),
    )


def unread_count(user) -> int:
    """The badge beside the menu: one indexed count."""
    return Notification.objects.filter(user=user, read_at=None).count()


def mark_read(user, ids: list[int] | None = None) -> int:
    """Mark this person's notifications read (all of them, or those `ids`)."""
    mine = Notification.objects.filter(user=user, read_at=None)
    if ids is not None:
        mine = mine.filter(pk__in=ids)
    return mine.update(read_at=timezone.now())


# --- the daily digest ------------------------------------------------------------------------


@dataclass
class Digest:
    user: object
    today: date
    news: list[Notification] = field(default_factory=list)
    due_soon: list[Task] = field(default_factory=list)
    overdue: list[Task] = field(default_factory=list)
    waiting: int = 0  # documents waiting for my direction

    def __bool__(self) -> bool:
        return bool(self.news or self.due_soon or self.overdue or self.waiting)

    @property
    def subject(self) -> str:
        parts = []
        if self.overdue:
            parts.append(f"{len(self.overdue)} việc quá hạn")
        if self.due_soon:
            parts.append(f"{len(self.due_soon)} việc sắp đến hạn")
        if self.news:
            parts.append(f"{len(self.news)} thông báo mới")
        if self.waiting:
            parts.append(f"{self.waiting} văn bản chờ chỉ đạo")
        return f"[cchc] Việc ngày {self.today:%d/%m/%Y}: " + ", ".join(parts)

    def lines(self, site: str = "") -> list[str]:
        """The digest as text lines (the e-mail's body, the app's copy)."""
        out = [f"Kính gửi {_person(self.user)},", ""]
        if self.news:
            out.append(f"Thông báo mới ({len(self.news)}):")
            out += [f"- {n.text}{f' {site}{n.url}' if n.url else ''}" for n in self.news]
            out.append("")
        if self.overdue:
            out.append(f"Việc quá hạn ({len(self.overdue)}):")
            out += [
                f"- {t.action[:160]} (hạn {t.deadline:%d/%m/%Y}, quá "
                f"{(self.today - t.deadline).days} ngày) {site}{_task_url(t)}"
                for t in self.overdue
            ]
            out.append("")
        if self.due_soon:
            out.append(
                f"Việc đến hạn trong {settings.CCHC_DIGEST_DAYS} ngày ({len(self.due_soon)}):"
            )
            out += [
                f"- {t.action[:160]} (hạn {t.deadline:%d/%m/%Y}, còn "
                f"{(t.deadline - self.today).days} ngày) {site}{_task_url(t)}"
                for t in self.due_soon
            ]
            out.append("")
        if self.waiting:
            out.append(f"Văn bản đến chờ ý kiến chỉ đạo của bạn: {self.waiting}.")
            out.append("")
        out.append("Thư này do hệ thống cchc gửi tự động mỗi ngày.")
        return out


DIGEST_TASK_FIELDS = ("id", "action", "deadline", "status")
DIGEST_LIMIT = 50


def waiting_for(user) -> int | None:
    """How many incoming documents wait for this person's direction: their own queue's count
    (submitted to them or to no leader in particular; for a unit's head, those sent on to the
    unit). None for whoever has no queue. The digest and "Việc của tôi" say the same."""
    if not roles.sees_direction_queue(user):
        return None
    return flow.direction_queue(user).order_by().count()


def digest_for(user, today: date | None = None) -> Digest:
    """What a person's digest holds today: notifications not yet in a digest, their open work
    due within `CCHC_DIGEST_DAYS` days or overdue, the documents waiting for their direction."""
    today = today or timezone.localdate()
    last = Notification.objects.filter(user=user, kind=DIGEST).values_list("at", flat=True).first()
    news = Notification.objects.filter(user=user, emailed_at=None).exclude(kind=DIGEST)
    if last is not None:
        news = news.filter(at__gt=last)
    mine = (
        Task.work.filter(assignee=user)
        .exclude(status=Task.Status.DONE)
        .only(*DIGEST_TASK_FIELDS)
        .order_by("deadline", "id")
    )
    soon = today + timedelta(days=settings.CCHC_DIGEST_DAYS)
    waiting = waiting_for(user) or 0
    return Digest(
        user=user,
        today=today,
        news=list(news.order_by("at", "id")[:DIGEST_LIMIT]),
        due_soon=list(mine.filter(deadline__range=(today, soon))[:DIGEST_LIMIT]),
        overdue=list(mine.filter(deadline__lt=today)[:DIGEST_LIMIT]),
        waiting=waiting,
    )


def mail_configured() -> bool:
    return bool(settings.EMAIL_HOST)


def send_digests(today: date | None = None, site: str = "") -> dict[str, int]:
    """Every person's digest of today, once a day: e-mailed to those with an address when mail
    is set (the notifications it carries are marked e-mailed, so a second run sends nothing),
    and kept in the app as a notification in every case. Returns the counts."""
    today = today or timezone.localdate()
    counts = {"digests": 0, "emailed": 0, "skipped": 0}
    people = get_user_model().objects.filter(is_active=True).select_related("profile__unit")
    mail = mail_configured()
    for user in people.order_by("pk"):
        if Notification.objects.filter(user=user, kind=DIGEST, at__date=today).exists():
            counts["skipped"] += 1  # already had today's
            continue
        digest = digest_for(user, today)
        if not digest:
            continue
        body = "\n".join(digest.lines(site))
        with transaction.atomic():
            now = timezone.now()
            emailed = None
            if mail and user.email:
                send_mail(
                    digest.subject,
                    body,
                    settings.DEFAULT_FROM_EMAIL,
                    [user.email],
                    fail_silently=False,
                )
                emailed = now
                counts["emailed"] += 1
                Notification.objects.filter(pk__in=[n.pk for n in digest.news]).update(
                    emailed_at=emailed
                )
            Notification.objects.create(
                user=user,
                kind=DIGEST,
                text=f"{digest.subject}\n\n{body}",
                url=reverse("my-work"),
                emailed_at=emailed,
            )
        counts["digests"] += 1
    return counts
