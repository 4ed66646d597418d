"""Documents as the core parsed them, the user's corrections beside the machine's values,
the documents each one cites, and the ingest jobs that bring them in."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models

from cchc.text import fold
from cchc.web.accounts.models import Unit

# Fields a user may correct on the document page, with their Vietnamese labels.
EDITABLE_FIELDS = {
    "type": "Loại văn bản",
    "number": "Số, ký hiệu",
    "issuer": "Cơ quan ban hành",
    "place": "Nơi ban hành",
    "date": "Ngày ban hành",
    "subject": "Trích yếu",
    "signer_name": "Người ký",
    "signer_title": "Chức vụ người ký",
}


def number_key(number: str | None) -> str:
    """`595 /UBND-NC` and `595/ubnd-nc` give one key, for linking citations to documents."""
    if not number:
        return ""
    return re.sub(r"\s+", "", fold(number))


class Document(models.Model):
    class Direction(models.TextChoices):
        INCOMING = "den", "Văn bản đến"
        OUTGOING = "di", "Văn bản đi"

    sha256 = models.CharField(max_length=64, unique=True)
    original = models.CharField(max_length=300, help_text="path under MEDIA_ROOT")
    original_name = models.CharField("tên tệp gốc", max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    direction = models.CharField(
        "sổ", max_length=3, choices=Direction.choices, default=Direction.INCOMING
    )
    incoming_number = models.PositiveIntegerField("số đến", null=True, blank=True)
    received_date = models.DateField("ngày đến", null=True, blank=True)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, verbose_name="đơn vị xử lý"
    )

    type = models.CharField("loại", max_length=60, blank=True, db_index=True)
    number = models.CharField("số, ký hiệu", max_length=120, blank=True)
    number_key = models.CharField(max_length=120, blank=True, db_index=True)
    issuer = models.CharField("cơ quan ban hành", max_length=300, blank=True, db_index=True)
    parent_issuer = models.CharField(max_length=300, blank=True)
    place = models.CharField("nơi ban hành", max_length=120, blank=True)
    date = models.DateField("ngày ban hành", null=True, blank=True, db_index=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    subject = models.TextField("trích yếu", blank=True)
    signer_name = models.CharField("người ký", max_length=120, blank=True)
    signer_title = models.CharField(max_length=120, blank=True)
    signer_authority = models.CharField(max_length=120, blank=True)
    recipients = models.JSONField(default=list)
    distribution = models.JSONField(default=list)
    bases = models.JSONField(default=list)
    sections = models.JSONField(default=list)
    text = models.TextField()
    quality = models.JSONField(default=dict)
    warnings = models.JSONField(default=list)
    machine = models.JSONField(default=dict, help_text="the parse as the machine made it")

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["direction", "-date", "-id"]),
            models.Index(fields=["year", "-date", "-id"]),
            # the registry's orders: pages are read from these indexes alone (views.IdPaginator)
            models.Index(fields=["-date", "-id"], name="documents_registry_order"),
            models.Index(fields=["number_key", "id"], name="documents_registry_number"),
            # a filter by issuer or type, newest first, without reading the others' rows
            models.Index(fields=["issuer", "-date", "-id"], name="documents_registry_issuer"),
            models.Index(fields=["type", "-date", "-id"], name="documents_registry_type"),
            models.Index(fields=["direction", "-received_date", "-incoming_number"]),  # sổ đến
            # what search reads of each match (facets, filters, date order): see search.py
            models.Index(
                fields=["id", "type", "year", "direction", "issuer", "date"],
                name="documents_search_facets",
            ),
        ]
        verbose_name = "văn bản"
        verbose_name_plural = "văn bản"

    def __str__(self) -> str:
        return " ".join(x for x in (self.type, self.number) if x) or self.original_name

    def save(self, *args, **kwargs):
        self.derive()
        super().save(*args, **kwargs)

    def derive(self) -> None:
        """The fields computed from others (also before a bulk insert, which skips `save`)."""
        self.number_key = number_key(self.number)
        self.year = self.date.year if self.date else None


class IncomingCounter(models.Model):
    """The last số đến given in a year: one row to lock and count on, whatever the registry's
    size and however many workers ingest at once."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)


class Correction(models.Model):
    """A user's correction of one field; the machine's value stays beside it."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="corrections")
    field = models.CharField(max_length=40)
    machine_value = models.TextField(blank=True)
    value = models.TextField(blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]


class Citation(models.Model):
    """A document cited by another: linked to it once both are ingested."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="citations")
    type = models.CharField(max_length=60, blank=True)
    number = models.CharField(max_length=120, blank=True)
    number_key = models.CharField(max_length=120, blank=True, db_index=True)
    date = models.DateField(null=True, blank=True)
    issuer = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    target = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="cited_by"
    )


class IngestJob(models.Model):
    """One file on its way through the pipeline; the upload page polls these."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ"
        RUNNING = "running", "Đang xử lý"
        DONE = "done", "Xong"
        DUPLICATE = "duplicate", "Đã có (trùng)"
        FAILED = "failed", "Lỗi"

    original_name = models.CharField(max_length=255)
    stored_path = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64, db_index=True)
    direction = models.CharField(max_length=3, default=Document.Direction.INCOMING)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    message = models.TextField(blank=True)
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.SET_NULL)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(
        null=True, blank=True, help_text="when the job reached the Celery broker"
    )
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="runs started; a job that stopped a worker this often fails"
    )
    started_at = models.DateTimeField(null=True, blank=True, help_text="when its last run began")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="documents_job_status")]
