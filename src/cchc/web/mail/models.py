"""Mail accounts, the rules that read their folders, and the mails taken from them."""

from __future__ import annotations

import os

from django.db import models

from cchc.web.documents.models import IngestJob


class MailError(Exception):
    """A mailbox that cannot be read (no password, a server that refuses the login, a folder
    that is not there): the message names the account and says what to do."""


class MailAccount(models.Model):
    """An IMAP mailbox. The password is kept here or, better, in an environment variable the
    account names (`password_env`); it is never logged nor shown back."""

    class Security(models.TextChoices):
        SSL = "ssl", "SSL/TLS (thường cổng 993)"
        STARTTLS = "starttls", "STARTTLS (thường cổng 143)"
        NONE = "none", "Không mã hoá (chỉ dùng trong mạng nội bộ)"

    name = models.CharField("tên", max_length=100, unique=True)
    host = models.CharField("máy chủ IMAP", max_length=255)
    port = models.PositiveIntegerField("cổng", default=993)
    security = models.CharField(
        "bảo mật", max_length=10, choices=Security.choices, default=Security.SSL
    )
    username = models.CharField("tên đăng nhập", max_length=255)
    password = models.CharField("mật khẩu", max_length=255, blank=True)
    password_env = models.CharField(
        "biến môi trường chứa mật khẩu",
        max_length=100,
        blank=True,
        help_text="Ví dụ CCHC_MAIL_VANTHU_PASSWORD; khi đặt, dùng thay cho mật khẩu lưu ở đây.",
    )
    enabled = models.BooleanField("đang dùng", default=True)
    last_checked_at = models.DateTimeField("lần đọc gần nhất", null=True, blank=True)
    last_error = models.TextField("lỗi lần đọc gần nhất", blank=True)

    class Meta:
        verbose_name = "hộp thư"
        verbose_name_plural = "hộp thư"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:  # never the password
        return f"<MailAccount {self.name!r} {self.username}@{self.host}:{self.port}>"

    def secret(self) -> str:
        """The password: from the named environment variable, else the stored one."""
        if self.password_env:
            value = os.environ.get(self.password_env)
            if value:
                return value
            if not self.password:
                raise MailError(
                    f"hộp thư {self.name}: biến môi trường {self.password_env} chưa đặt "
                    "(chứa mật khẩu IMAP); đặt biến rồi chạy lại"
                )
        if not self.password:
            raise MailError(
                f"hộp thư {self.name}: chưa có mật khẩu; nhập mật khẩu trong trang quản trị "
                "hoặc đặt tên biến môi trường chứa mật khẩu"
            )
        return self.password


class MailRule(models.Model):
    """Which mails of a folder to take, which of their attachments, and what to do after."""

    class Action(models.TextChoices):
        MARK_READ = "mark_read", "Đánh dấu đã đọc"
        MOVE = "move", "Chuyển sang thư mục khác"

    account = models.ForeignKey(
        MailAccount, on_delete=models.CASCADE, related_name="rules", verbose_name="hộp thư"
    )
    name = models.CharField("tên quy tắc", max_length=100)
    folder = models.CharField("thư mục đọc", max_length=255, default="INBOX")
    unseen_only = models.BooleanField(
        "chỉ thư chưa đọc",
        default=True,
        help_text="Bỏ chọn để xét mọi thư của thư mục (thư đã nhận không bao giờ nhận lại).",
    )
    sender_filter = models.CharField(
        "chỉ thư từ",
        max_length=255,
        blank=True,
        help_text="Một phần địa chỉ người gửi, ví dụ @binhlong.gov.vn; để trống: mọi người gửi.",
    )
    take_pdf = models.BooleanField("nhận PDF", default=True)
    take_docx = models.BooleanField("nhận DOCX", default=True)
    take_edxml = models.BooleanField("nhận gói edXML", default=True)
    take_images = models.BooleanField("nhận ảnh quét", default=True)
    action = models.CharField(
        "sau khi nhận", max_length=10, choices=Action.choices, default=Action.MARK_READ
    )
    move_to = models.CharField(
        "chuyển tới thư mục", max_length=255, blank=True, help_text="Khi chọn chuyển thư."
    )
    enabled = models.BooleanField("đang dùng", default=True)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "quy tắc nhận thư"
        verbose_name_plural = "quy tắc nhận thư"
        ordering = ["account", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.account}: {self.name}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.action == self.Action.MOVE and not self.move_to.strip():
            raise ValidationError({"move_to": "Chọn chuyển thư thì cần tên thư mục đích."})
        if not any((self.take_pdf, self.take_docx, self.take_edxml, self.take_images)):
            raise ValidationError("Chọn ít nhất một loại tệp đính kèm để nhận.")


class ProcessedMail(models.Model):
    """A mail taken from a folder: recorded before the action on the server, so a mail whose
    mark-read or move failed is never ingested again (the action is tried again instead)."""

    class Outcome(models.TextChoices):
        INGESTED = "ingested", "Đã nhận tệp"
        SKIPPED = "skipped", "Không có tệp để nhận"
        FAILED = "failed", "Lỗi"

    account = models.ForeignKey(
        MailAccount, on_delete=models.CASCADE, related_name="mails", verbose_name="hộp thư"
    )
    folder = models.CharField("thư mục", max_length=255)
    message_id = models.CharField("Message-ID", max_length=500)
    rule = models.ForeignKey(
        MailRule, null=True, blank=True, on_delete=models.SET_NULL, verbose_name="quy tắc"
    )
    sender = models.CharField("người gửi", max_length=255, blank=True)
    subject = models.CharField("tiêu đề thư", max_length=500, blank=True)
    sent_at = models.DateTimeField("ngày gửi", null=True, blank=True)
    outcome = models.CharField("kết quả", max_length=10, choices=Outcome.choices)
    message = models.TextField("ghi chú", blank=True)
    action_done = models.BooleanField("đã xử lý thư trên máy chủ", default=False)
    processed_at = models.DateTimeField("lúc nhận", auto_now_add=True)

    class Meta:
        verbose_name = "thư đã nhận"
        verbose_name_plural = "thư đã nhận"
        ordering = ["-processed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "folder", "message_id"], name="mail_processed_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sender}: {self.subject}"


class MailAttachment(models.Model):
    """One attachment of a taken mail and the ingest job it became (whose document it links)."""

    mail = models.ForeignKey(ProcessedMail, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField("tên tệp", max_length=255)
    job = models.ForeignKey(IngestJob, null=True, blank=True, on_delete=models.SET_NULL)
    problem = models.TextField("lỗi", blank=True)

    class Meta:
        verbose_name = "tệp đính kèm"
        verbose_name_plural = "tệp đính kèm"

    def __str__(self) -> str:
        return self.filename
