"""What the work pages, the API and the other apps (par) share: evidence files, stored files
as downloads, a task's creation with its status history, and every later change of a task
(`update_task`: rights, reasons, history, versions), its assignment and requests for more time."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Q
from django.http import FileResponse, Http404
from django.utils import timezone

from cchc.web.accounts import roles
from cchc.web.accounts.models import audit
from cchc.web.documents.store import safe_name, store_file
from cchc.web.params import InvalidRequest
from cchc.web.work import assign, notify
from cchc.web.work.assign import Conflict
from cchc.web.work.models import Evidence, ExtensionRequest, Task, TaskChange


def add_evidence(task: Task, upload, user) -> Evidence:
    """Store an uploaded evidence file for a task (any type: it is only ever downloaded)."""
    name = safe_name(upload.name)
    _sha, relative, size, kind = store_file(upload.chunks(), name)
    evidence = Evidence.objects.create(
        task=task, path=relative, name=name, content_type=kind, size=size, user=user
    )
    audit(user, "task-evidence", task, f"Đính kèm minh chứng {evidence.name}")
    return evidence


def rotate_feed(unit, user) -> None:
    """Give a unit's calendar feed a new secret address (after it leaked, or a person left)."""
    unit.new_feed_token()
    unit.save(update_fields=["feed_token"])
    audit(user, "unit-feed", unit, f"Đổi địa chỉ lịch iCalendar của {unit.name}")


def attachment(stored_path: str, name: str) -> FileResponse:
    """A stored evidence file as a download: never shown in the browser, whatever it holds."""
    path = Path(settings.MEDIA_ROOT) / stored_path
    if not stored_path or not path.is_file():
        raise Http404("Không tìm thấy tệp")
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=name,
        content_type="application/octet-stream",
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def create_task(task: Task, user, status: str = Task.Status.TODO) -> Task:
    """Save a task made by hand (page or API); a status other than "to do" is set through
    `assign.set_status`, which records the completion time and the history."""
    with transaction.atomic():
        task.created_by = user
        task.status = Task.Status.TODO
        # made by a person with the right to assign: work at once, not a proposal
        task.state, task.confirmed_by, task.confirmed_at = (
            Task.State.CONFIRMED,
            user,
            timezone.now(),
        )
        task.save()
        audit(user, "task-create", task, str(task))
        if status != Task.Status.TODO:
            assign.set_status(task, status, user)
    return task


# --- work on a task: one way to change a task, its history, requests for more time -----------

# Fields only whoever has the right may change, always with a reason (accounts.roles).
RESCHEDULE_FIELDS = ("deadline", "unit")
REASSIGN_FIELDS = ("assignee",)


class ChangeRefused(PermissionDenied):
    """The user may not change this field of this task (a 403 on pages and the API)."""


class InvalidChange(InvalidRequest):
    """A change that cannot be made as asked: the message (Vietnamese) says what to fix."""


def _person(user) -> str:
    if user is None:
        return "Hệ thống"
    return user.get_full_name() or user.get_username()


def shown(task: Task, field: str, value) -> str:
    """A task field's value as the history shows it."""
    if value is None or value == "":
        return "—"
    if field == "deadline":
        return value.strftime("%d/%m/%Y")
    if field == "unit":
        return value.name
    if field == "assignee":
        return _person(value)
    if field in ("urgent", "collective"):
        return "có" if value else "không"
    if field == "kind":
        return Task.Kind(value).label
    if field == "status":
        return Task.Status(value).label
    return str(value)


def field_label(field: str) -> str:
    return str(Task._meta.get_field(field).verbose_name).capitalize()


def _same(old, new) -> bool:
    if hasattr(old, "pk") or hasattr(new, "pk"):
        return getattr(old, "pk", None) == getattr(new, "pk", None)
    return old == new


def check_change(task: Task, fields, user, reason: str) -> None:
    """Refuse (403) a change of deadline, lead unit or assignee, or of the wording of a task
    given by a document, by whoever lacks the right; ask for the reason such a change always
    carries."""
    fields = set(fields)
    if fields & set(RESCHEDULE_FIELDS) and not roles.can_reschedule(user, task):
        raise ChangeRefused(
            "Chỉ người giao việc (lãnh đạo, hoặc trưởng đơn vị với việc đơn vị tự giao) được "
            "đổi hạn hoặc đơn vị chủ trì; đơn vị cần thêm thời gian hãy xin gia hạn."
        )
    if "action" in fields and task.document_id and not roles.can_reschedule(user, task):
        raise ChangeRefused(
            "Nội dung việc giao theo văn bản do người giao việc quyết định; đơn vị ghi tiến độ "
            "hoặc ghi chú bên dưới."
        )
    if fields & set(REASSIGN_FIELDS) and not roles.can_reassign(user, task):
        raise ChangeRefused("Chỉ lãnh đạo hoặc trưởng đơn vị được giao việc cho người xử lý.")
    controlled = fields & {*RESCHEDULE_FIELDS, *REASSIGN_FIELDS}
    if controlled and not reason.strip():
        names = ", ".join(field_label(f).lower() for f in sorted(controlled))
        raise InvalidChange(f"Cần ghi lý do khi đổi {names}.")


def update_task(
    task: Task,
    changes: dict,
    user,
    reason: str = "",
    expected_version: int | None = None,
    *,
    action: str = "task-edit",
) -> Task:
    """The one way to change a task's fields (page form, assignment, extension, API): checks
    the rights and the reason, saves only if nobody saved since `expected_version` (else
    `Conflict`, nothing written), writes a `TaskChange` per field and the audit log, and tells
    a new assignee. `task` is updated in place; a change to no field writes nothing."""
    changes = {f: v for f, v in changes.items() if not _same(getattr(task, f), v)}
    if not changes:
        return task
    if expected_version is not None and expected_version != task.version:
        raise Conflict(Task.objects.get(pk=task.pk))  # before the rights: a stale page's
        # deadline differs from the new one without the user meaning to change it
    check_change(task, changes, user, reason)
    if "unit" in changes and not roles.can_assign_to(user, changes["unit"]):
        raise ChangeRefused("Bạn không được giao công việc cho đơn vị này.")
    unit = changes.get("unit", task.unit)
    assignee = changes.get("assignee", task.assignee)
    if assignee is not None and (unit is None or roles.unit_of(assignee) != unit):
        raise InvalidChange(
            f"{_person(assignee)} không thuộc {unit.name if unit else 'đơn vị chủ trì'}: chỉ "
            "giao cho người của đơn vị chủ trì."
        )
    now = timezone.now()
    with transaction.atomic():
        written = Task.objects.filter(pk=task.pk, version=task.version).update(
            **changes, version=F("version") + 1, updated_at=now
        )
        if not written:
            raise Conflict(Task.objects.get(pk=task.pk))
        TaskChange.objects.bulk_create(
            TaskChange(
                task=task,
                user=user if getattr(user, "is_authenticated", False) else None,
                field=field,
                old=shown(task, field, getattr(task, field)),
                new=shown(task, field, value),
                reason=reason.strip(),
            )
            for field, value in changes.items()
        )
        summary = "; ".join(
            f"{field_label(f)}: {shown(task, f, getattr(task, f))} → {shown(task, f, v)}"
            for f, v in changes.items()
        )
        for field, value in changes.items():
            setattr(task, field, value)
        task.version += 1
        task.updated_at = now
        audit(user, action, task, f"{summary}{f' ({reason.strip()})' if reason.strip() else ''}")
        if changes.get("assignee") is not None:
            notify.assigned(task, changes["assignee"], user)
    return task


def form_changes(task: Task, cleaned: dict, fields) -> dict:
    """The fields of a task form as `update_task` changes."""
    return {f: cleaned[f] for f in fields if f in cleaned}


def _documents(docs) -> str:
    return ", ".join(str(d) for d in docs) or "—"


def link_answers(task: Task, documents, user, *, replace: bool = False) -> bool:
    """Văn bản trả lời of a task (the page adds one, the API sets the list, an issued answer
    adds itself): like any field of the task, in its history (old → new) and the audit log.
    False when nothing changed."""
    before = list(task.answers.order_by("id"))
    documents = list(documents)
    after = documents if replace else before + [d for d in documents if d not in before]
    if {d.pk for d in before} == {d.pk for d in after}:
        return False
    with transaction.atomic():
        task.answers.set(after)
        TaskChange.objects.create(
            task=task,
            user=user if getattr(user, "is_authenticated", False) else None,
            field="answers",
            old=_documents(before),
            new=_documents(after),
        )
        audit(user, "task-answer", task, f"Văn bản trả lời: {_documents(after)}")
    return True


def history(task: Task) -> list[dict]:
    """The task's one history, newest first: field changes, status changes and progress notes,
    requests for more time."""
    entries = []
    for c in task.changes.select_related("user"):
        entries.append(
            {
                "at": c.at,
                "who": _person(c.user),
                "kind": "change",
                "field": field_label(c.field) if c.field else "",
                "old": c.old,
                "new": c.new,
                "text": c.reason,
            }
        )
    for n in task.notes.select_related("user"):
        entries.append(
            {
                "at": n.at,
                "who": _person(n.user),
                "kind": "status" if n.status_to else "note",
                "old": Task.Status(n.status_from).label if n.status_from else "",
                "new": Task.Status(n.status_to).label if n.status_to else "",
                "status_to": n.status_to,
                "text": n.text,
            }
        )
    for r in task.extension_requests.select_related("user", "decided_by"):
        entries.append(
            {
                "at": r.at,
                "who": _person(r.user),
                "kind": "extension",
                "new": r.deadline.strftime("%d/%m/%Y"),
                "text": r.reason,
                "state": r.get_state_display(),
            }
        )
    return sorted(entries, key=lambda e: e["at"], reverse=True)


def unit_people(unit):
    """Who of a unit a task may be assigned to."""
    if unit is None:
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(profile__unit=unit, is_active=True)
        .exclude(profile__role=roles.Role.VIEWER)
        .order_by("first_name", "username")
    )


def assign_person(task: Task, person, user, reason: str, expected_version=None) -> Task:
    """The unit head (or a leader) names who of the task's unit does it."""
    return update_task(
        task, {"assignee": person}, user, reason, expected_version, action="task-assign"
    )


def ask_extension(task: Task, user, deadline, reason: str) -> ExtensionRequest:
    """A unit's person asks for a new deadline (xin gia hạn); those who may decide are told."""
    if not roles.acts_for_unit(user, task.unit_id):
        raise ChangeRefused("Chỉ đơn vị chủ trì được xin gia hạn công việc của mình.")
    if task.status == Task.Status.DONE:
        raise InvalidChange("Công việc đã hoàn thành: không cần gia hạn.")
    if not reason.strip():
        raise InvalidChange("Cần ghi lý do xin gia hạn.")
    if deadline is None or (task.deadline and deadline <= task.deadline):
        raise InvalidChange("Hạn đề nghị phải sau hạn hiện tại.")
    if task.extension_requests.filter(state=ExtensionRequest.State.PENDING).exists():
        raise InvalidChange("Công việc đã có một đề nghị gia hạn đang chờ duyệt.")
    with transaction.atomic():
        request = ExtensionRequest.objects.create(
            task=task, user=user, deadline=deadline, reason=reason.strip()
        )
        audit(user, "task-extension", task, f"Xin gia hạn đến {deadline:%d/%m/%Y}: {reason}")
        notify.extension_asked(request, deciders(task))
    return request


def deciders(task: Task) -> list:
    """Who may decide a request for more time on this task."""
    candidates = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(profile__role=roles.Role.LEADER)
            | Q(profile__directs=True)
            | Q(profile__role=roles.Role.HEAD, profile__unit=task.unit_id)
        )
        .select_related("profile__unit")
    )
    return [u for u in candidates if roles.can_reschedule(u, task)]


def decide_extension(request: ExtensionRequest, user, approve: bool, answer: str) -> None:
    """Whoever may reschedule the task approves (the deadline moves, the history says "gia
    hạn") or refuses (with the reason why); the asker is told."""
    task = request.task
    if not roles.can_reschedule(user, task):
        raise ChangeRefused("Bạn không có quyền duyệt đề nghị gia hạn này.")
    if request.state != ExtensionRequest.State.PENDING:
        raise InvalidChange("Đề nghị gia hạn này đã được xử lý.")
    if not approve and not answer.strip():
        raise InvalidChange("Cần ghi lý do không đồng ý gia hạn.")
    with transaction.atomic():
        changed = ExtensionRequest.objects.filter(
            pk=request.pk, state=ExtensionRequest.State.PENDING
        ).update(
            state=ExtensionRequest.State.APPROVED if approve else ExtensionRequest.State.REFUSED,
            decided_by=user,
            decided_at=timezone.now(),
            answer=answer.strip(),
        )
        if not changed:
            raise InvalidChange("Đề nghị gia hạn này đã được xử lý.")
        request.refresh_from_db()
        if approve:
            reason = f"Gia hạn theo đề nghị của {_person(request.user)}: {request.reason}"
            if answer.strip():
                reason += f" (ý kiến: {answer.strip()})"
            update_task(task, {"deadline": request.deadline}, user, reason, action="task-extend")
        else:
            audit(user, "task-extension", task, f"Không đồng ý gia hạn: {answer}")
        notify.extension_decided(request)


def pending_extensions(user) -> list[ExtensionRequest]:
    """Requests for more time this user may decide."""
    pending = ExtensionRequest.objects.filter(state=ExtensionRequest.State.PENDING).select_related(
        "task", "task__unit", "task__confirmed_by__profile", "task__created_by__profile", "user"
    )
    if not roles.can_direct(user):
        unit = roles.unit_of(user)
        if roles.role_of(user) != roles.Role.HEAD or unit is None:
            return []
        pending = pending.filter(task__unit=unit)
    return [r for r in pending[:200] if roles.can_reschedule(user, r.task)]


def differences(current: Task, form) -> list[tuple[str, str, str]]:
    """After a conflict: each field of the form where the task as saved by someone else now
    differs from what this user typed (label, now, theirs)."""
    cleaned = getattr(form, "cleaned_data", {})
    out = []
    for name in form._meta.fields:
        if name in cleaned and not _same(getattr(current, name), cleaned[name]):
            out.append(
                (
                    field_label(name),
                    shown(current, name, getattr(current, name)),
                    shown(current, name, cleaned[name]),
                )
            )
    return out
