"""Units (tỉnh/huyện/xã, phòng ban), people with roles, and the audit log."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from cchc.extract.units import canonical_name


class Unit(models.Model):
    """A body of the deployment: the town itself, its phòng ban, its xã/phường."""

    class Kind(models.TextChoices):
        PROVINCE = "tinh", "Tỉnh"
        DISTRICT = "huyen", "Huyện/thị xã/thành phố"
        COMMUNE = "xa", "Xã/phường/thị trấn"
        DEPARTMENT = "phong", "Phòng, ban chuyên môn"
        AGENCY = "co-quan", "Cơ quan, đơn vị khác"

    name = models.CharField("tên", max_length=200, unique=True)
    short_name = models.CharField("tên viết tắt", max_length=60, blank=True)
    kind = models.CharField("loại", max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    aliases = models.TextField("tên khác (mỗi dòng một tên)", blank=True)
    canonical = models.CharField(max_length=200, editable=False, db_index=True)
    feed_token = models.CharField(max_length=40, unique=True, editable=False)
    organ_id = models.CharField(
        "mã định danh",
        max_length=40,
        blank=True,
        db_index=True,
        help_text="Mã định danh điện tử của cơ quan (QĐ 20/2020/QĐ-TTg), vd 000.00.00.H41; "
        "dùng khi gửi, nhận gói tin edXML.",
    )

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organ_id"],
                condition=~models.Q(organ_id=""),
                name="unit_organ_id_unique",
            )
        ]
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.canonical = canonical_name(self.name)
        if not self.feed_token:
            self.new_feed_token()
        super().save(*args, **kwargs)

    def new_feed_token(self) -> None:
        """A new secret address for the unit's calendar feed; the old one stops working."""
        self.feed_token = secrets.token_urlsafe(24)

    def names(self) -> list[str]:
        """Canonical forms of every name this unit goes by."""
        names = [self.name, self.short_name, *self.aliases.splitlines()]
        return [canonical_name(n) for n in names if n.strip()]


class Profile(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", "Quản trị"
        LEADER = "leader", "Lãnh đạo"
        CLERK = "clerk", "Văn thư"
        HEAD = "head", "Trưởng đơn vị"
        OFFICER = "officer", "Chuyên viên"
        VIEWER = "viewer", "Chỉ xem"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL)
    role = models.CharField("vai trò", max_length=10, choices=Role.choices, default=Role.VIEWER)
    directs = models.BooleanField(
        "được ủy quyền cho ý kiến chỉ đạo",
        default=False,
        help_text="a person the leaders delegate to direct incoming documents",
    )

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.get_role_display()})"


class AuditEntry(models.Model):
    """One change anyone made: who, when, what, on which object."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40)
    summary = models.TextField()

    class Meta:
        ordering = ["-at"]
        verbose_name = "nhật ký"
        verbose_name_plural = "nhật ký"


def audit(user, action: str, obj: models.Model, summary: str) -> AuditEntry:
    """Record a change; `user` may be None for the system (ingest, watched folder)."""
    entry = audit_entry(user, action, obj, summary)
    entry.save()
    return entry


def audit_entry(user, action: str, obj: models.Model, summary: str) -> AuditEntry:
    """The entry `audit` records, unsaved (for a bulk insert)."""
    return AuditEntry(
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        object_type=obj._meta.model_name,
        object_id=str(obj.pk),
        summary=summary,
    )
