"""Tasks the documents assign (or people create), their progress notes, evidence and history."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from cchc.extract.deadlines import InvalidRecurrence, validate_recurrence
from cchc.web.accounts.models import Unit
from cchc.web.documents.models import Document


def validate_rule(value: str) -> None:
    """Forms and the API accept only recurrence rules the calendar can expand in bounded time."""
    try:
        validate_recurrence(value)
    except InvalidRecurrence as exc:
        raise ValidationError(f"Quy tắc lặp lại không hợp lệ: {exc}.") from exc


class WorkManager(models.Manager):
    """Confirmed tasks only: what boards, calendars, feeds, figures, reports and the API show."""

    def get_queryset(self):
        return super().get_queryset().filter(state=Task.State.CONFIRMED)


class Task(models.Model):
    class State(models.TextChoices):
        """The machine proposes, people decide: a task read from a document is a proposal
        until someone with the right confirms it; only confirmed tasks are anyone's work."""

        PROPOSED = "proposed", "Đề xuất"
        CONFIRMED = "confirmed", "Đã giao"
        DISCARDED = "discarded", "Đã loại"

    class Status(models.TextChoices):
        TODO = "todo", "Chưa làm"
        DOING = "doing", "Đang làm"
        DONE = "done", "Hoàn thành"

    class Kind(models.TextChoices):
        TASK = "task", "Nhiệm vụ"
        REPORT = "report", "Báo cáo"
        COMMITMENT = "commitment", "Cam kết"
        EVENT = "event", "Hội nghị, sự kiện"

    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.CASCADE, related_name="tasks"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, verbose_name="đơn vị chủ trì"
    )
    lead_text = models.CharField("chủ trì (như văn bản ghi)", max_length=300, blank=True)
    support = models.JSONField("phối hợp", default=list, blank=True)
    collective = models.BooleanField(default=False)
    action = models.TextField("nội dung")
    kind = models.CharField("loại", max_length=12, choices=Kind.choices, default=Kind.TASK)
    deadline = models.DateField("hạn", null=True, blank=True, db_index=True)
    deadline_text = models.CharField(max_length=200, blank=True)
    urgent = models.BooleanField("khẩn", default=False)
    recurrence = models.CharField(
        "lặp lại",
        max_length=200,
        blank=True,
        validators=[validate_rule],
        help_text="Ví dụ FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=20: ngày 20 tháng cuối mỗi quý.",
    )
    report_to = models.CharField("báo cáo về", max_length=300, blank=True)
    period = models.CharField(max_length=40, blank=True)
    data_from = models.DateField(null=True, blank=True)
    data_to = models.DateField(null=True, blank=True)
    section = models.CharField(max_length=200, blank=True)
    state = models.CharField(
        "tình trạng giao việc",
        max_length=10,
        choices=State.choices,
        default=State.CONFIRMED,  # made by a person; the ingest alone proposes (assign.py)
        db_index=True,
    )
    confidence = models.FloatField("độ tin cậy", null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tasks",
        verbose_name="người xử lý",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="confirmed_tasks",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(
        default=1, help_text="raised by every save: a save from an older version is a conflict"
    )
    source_start = models.PositiveIntegerField(null=True, blank=True)
    source_end = models.PositiveIntegerField(null=True, blank=True)
    machine = models.JSONField(default=dict, blank=True)

    status = models.CharField(
        "trạng thái", max_length=6, choices=Status.choices, default=Status.TODO, db_index=True
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    criterion = models.ForeignKey(
        "par.Criterion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="improvement_tasks",
        verbose_name="tiêu chí cần nâng điểm",
    )
    answers = models.ManyToManyField(
        Document, blank=True, related_name="answered_tasks", verbose_name="văn bản trả lời"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = models.Manager()
    work = WorkManager()

    class Meta:
        ordering = ["deadline", "id"]
        base_manager_name = "objects"
        indexes = [
            models.Index(fields=["unit", "status", "deadline"]),
            models.Index(fields=["status", "deadline"]),  # the board of every unit
            models.Index(fields=["assignee", "status", "deadline"], name="work_task_mine"),
            models.Index(fields=["document", "state"], name="work_task_document_state"),
        ]
        verbose_name = "công việc"
        verbose_name_plural = "công việc"

    def __str__(self) -> str:
        return self.action[:80]

    @property
    def overdue(self) -> bool:
        return (
            self.status != self.Status.DONE
            and self.deadline is not None
            and self.deadline < timezone.localdate()
        )

    @property
    def column(self) -> str:
        """The board column: overdue beats to do / in progress."""
        return "overdue" if self.overdue else self.status

    @property
    def on_time(self) -> bool | None:
        """Done by its deadline? None while not done or without a deadline."""
        late = self.days_late
        return None if late is None else late == 0

    @property
    def days_late(self) -> int | None:
        """Days between the deadline and the completion (0 when on time); None while not done
        or without a deadline."""
        if self.status != self.Status.DONE or self.deadline is None or self.completed_at is None:
            return None
        return max(0, (timezone.localdate(self.completed_at) - self.deadline).days)

    def days_left(self) -> int | None:
        return (self.deadline - timezone.localdate()).days if self.deadline else None


class ProgressNote(models.Model):
    """A status change or a progress report; together they are the task's history."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="notes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)
    text = models.TextField(blank=True)
    status_from = models.CharField(max_length=6, blank=True)
    status_to = models.CharField(max_length=6, blank=True)

    class Meta:
        ordering = ["-at"]


class TaskChange(models.Model):
    """One field of a task changed: who, when, old → new, and why. With the progress notes,
    the task's whole history."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="changes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)
    field = models.CharField(max_length=40)
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)
    reason = models.TextField("lý do", blank=True)

    class Meta:
        ordering = ["-at", "-id"]


class ExtensionRequest(models.Model):
    """A unit asks for more time (xin gia hạn); whoever assigned the task decides."""

    class State(models.TextChoices):
        PENDING = "pending", "Chờ duyệt"
        APPROVED = "approved", "Đã đồng ý"
        REFUSED = "refused", "Không đồng ý"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="extension_requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    deadline = models.DateField("hạn đề nghị")
    reason = models.TextField("lý do")
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField("ý kiến", blank=True)

    class Meta:
        ordering = ["-at", "-id"]


class Notification(models.Model):
    """A message to one person in the app (and by e-mail in the daily digest when mail is set)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=30)
    text = models.TextField()
    url = models.CharField(max_length=300, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "read_at", "-at"], name="work_notification_unread")]


class Evidence(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="evidence")
    path = models.CharField(max_length=300)
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)
