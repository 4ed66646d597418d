"""Outgoing documents (văn bản đi) on their way out, as Nghị định 30/2020 sets the way: a draft
(dự thảo) with every version of its file kept, submitted for signature (trình ký), returned or
approved by the signer, numbered by the văn thư in the register of outgoing documents (cấp số)
and issued (phát hành), when its final version becomes an outgoing `Document`."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models

from cchc.web.accounts.models import Unit
from cchc.web.documents.models import Document, Register

# A recipient line as printed under "Nơi nhận:": "- Sở Nội vụ;", "+ Lưu: VT, NV." …
_BULLET = re.compile(r"^[\s\-–—+•*·]+")
_END = re.compile(r"[\s;,.]+$")


def recipient_lines(lines) -> list[str]:
    """Recipients one a line, as the register writes them: the printed bullet and the closing
    ";" or "." dropped, empty lines and doubled punctuation gone (a text or a list of lines)."""
    if isinstance(lines, str):
        lines = lines.splitlines()
    out = []
    for line in lines:
        for part in re.split(r";\s*(?:[-–—+•]\s+|$)|;{2,}", str(line)):
            part = _END.sub("", _BULLET.sub("", part))
            if part:
                out.append(re.sub(r"\s*([;,:])(\s*[;,:])+", r"\1", part))
    return out


class Draft(models.Model):
    class State(models.TextChoices):
        DRAFT = "du-thao", "Dự thảo"
        SUBMITTED = "trinh-ky", "Trình ký"
        RETURNED = "tra-lai", "Trả lại"
        APPROVED = "da-duyet", "Đã duyệt"
        NUMBERED = "da-cap-so", "Đã cấp số"
        ISSUED = "da-phat-hanh", "Đã phát hành"

    subject = models.TextField("trích yếu")
    type = models.CharField("tên loại", max_length=60, default="Công văn")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="drafts", verbose_name="đơn vị soạn thảo"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="drafts",
        verbose_name="người soạn thảo",
    )
    state = models.CharField(
        "tình trạng", max_length=12, choices=State.choices, default=State.DRAFT, db_index=True
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="drafts_to_sign",
        verbose_name="người ký",
    )
    signer_name = models.CharField("người ký", max_length=120, blank=True)
    recipients = models.TextField("nơi nhận", blank=True, help_text="one recipient a line")
    answers = models.ManyToManyField(
        Document, blank=True, related_name="answering_drafts", verbose_name="trả lời văn bản"
    )
    register = models.ForeignKey(
        Register, null=True, blank=True, on_delete=models.PROTECT, verbose_name="sổ"
    )
    year = models.PositiveSmallIntegerField("năm", null=True, blank=True)
    number = models.PositiveIntegerField("số", null=True, blank=True)
    notation = models.CharField("số, ký hiệu", max_length=120, blank=True)
    issued_document = models.OneToOneField(
        Document,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outgoing_draft",
        verbose_name="văn bản phát hành",
    )
    issued_date = models.DateField("ngày phát hành", null=True, blank=True, db_index=True)
    copies = models.PositiveSmallIntegerField("số lượng bản", null=True, blank=True)
    register_note = models.TextField("ghi chú", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["register", "year", "number"], name="outgoing_draft_register_number"
            )
        ]
        indexes = [
            models.Index(fields=["state", "-updated_at", "-id"], name="outgoing_draft_state"),
            models.Index(fields=["-updated_at", "-id"], name="outgoing_draft_recent"),
            models.Index(fields=["author", "state", "-updated_at"], name="outgoing_draft_mine"),
        ]
        verbose_name = "dự thảo văn bản đi"
        verbose_name_plural = "dự thảo văn bản đi"

    def __str__(self) -> str:
        return self.notation or f"{self.type}: {self.subject[:60]}"

    def recipient_lines(self) -> list[str]:
        return recipient_lines(self.recipients)


class DraftVersion(models.Model):
    """One file of a draft, as uploaded; none is ever deleted."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField("bản")
    path = models.CharField(max_length=300, help_text="path under MEDIA_ROOT")
    name = models.CharField("tên tệp", max_length=255)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "number"], name="outgoing_version_number")
        ]


class DraftReview(models.Model):
    """The signer's answer to a submitted draft: approved, or returned with a comment."""

    class Decision(models.TextChoices):
        APPROVE = "duyet", "Duyệt"
        RETURN = "tra-lai", "Trả lại"

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="reviews")
    version = models.ForeignKey(DraftVersion, null=True, on_delete=models.SET_NULL)
    decision = models.CharField(max_length=8, choices=Decision.choices)
    comment = models.TextField("ý kiến", blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]


class DraftEvent(models.Model):
    """One step of a draft's way (submitted, returned, approved, numbered, issued): its
    history on the draft's page, beside the audit log."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="events")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)
    state_from = models.CharField(max_length=12, choices=Draft.State.choices, blank=True)
    state_to = models.CharField(max_length=12, choices=Draft.State.choices)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
