"""Units (tỉnh and its sở; xã/phường/đặc khu and their phòng; the huyện and thị xã that ended on
30/06/2025, kept for history), people with roles, and the audit log."""

from __future__ import annotations

import secrets
from datetime import date

from django.conf import settings
from django.db import models

from cchc.extract.units import canonical_name


class UnitQuerySet(models.QuerySet):
    def active(self, on: date | None = None) -> UnitQuerySet:
        """Units that exist (on `on`, default today): offered for new work and assignments."""
        if on is None:
            return self.filter(ended_on=None)
        return self.filter(models.Q(ended_on=None) | models.Q(ended_on__gte=on))

    def ended(self) -> UnitQuerySet:
        return self.exclude(ended_on=None)


class Unit(models.Model):
    """A body of the deployment. Since 1 July 2025 local government has two tiers: the province
    (UBND tỉnh, its sở/ban/ngành) and its xã/phường/đặc khu (UBND xã and its phòng). Units of the
    former middle tier (huyện, thị xã and their phòng) and merged xã stay, with `ended_on` and
    their successors, so that what they signed and were given stays readable."""

    class Kind(models.TextChoices):
        PROVINCE = "tinh", "UBND tỉnh, thành phố"
        PROVINCE_BODY = "so", "Sở, ban, ngành thuộc UBND tỉnh"
        DISTRICT = "huyen", "Huyện/thị xã/thành phố thuộc tỉnh (đến 30/6/2025)"
        COMMUNE = "xa", "Xã/phường/đặc khu"
        DEPARTMENT = "phong", "Phòng, ban chuyên môn"
        AGENCY = "co-quan", "Cơ quan, đơn vị khác"

    class Division(models.TextChoices):
        """The administrative division a UBND governs (the registry's `division_type`)."""

        PROVINCE = "tinh", "tỉnh"
        CITY = "thanh-pho-tw", "thành phố trực thuộc trung ương"
        COMMUNE = "xa", "xã"
        WARD = "phuong", "phường"
        SPECIAL_ZONE = "dac-khu", "đặc khu"
        # the middle tier and the thị trấn, gone since 1 July 2025
        DISTRICT = "huyen", "huyện"
        URBAN_DISTRICT = "quan", "quận"
        TOWN = "thi-xa", "thị xã"
        PROVINCIAL_CITY = "thanh-pho", "thành phố thuộc tỉnh"
        TOWNLET = "thi-tran", "thị trấn"

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
    division = models.CharField(
        "loại đơn vị hành chính", max_length=14, choices=Division.choices, blank=True
    )
    admin_code = models.CharField(
        "mã đơn vị hành chính",
        max_length=10,
        blank=True,
        db_index=True,
        help_text="Mã của Cục Thống kê (danh mục đơn vị hành chính), vd 11 (tỉnh Điện Biên), "
        "03151 (một xã); chỉ cho UBND các cấp.",
    )
    ended_on = models.DateField(
        "ngày kết thúc",
        null=True,
        blank=True,
        db_index=True,
        help_text="Ngày cuối cùng đơn vị tồn tại (vd 30/6/2025 cho cấp huyện); đơn vị đã kết thúc "
        "không được giao việc mới, văn bản và nhiệm vụ cũ vẫn xem được.",
    )
    successors = models.ManyToManyField(
        "self",
        through="UnitSuccession",
        symmetrical=False,
        related_name="predecessors",
        blank=True,
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organ_id"],
                condition=~models.Q(organ_id=""),
                name="unit_organ_id_unique",
            ),
            # old and new units may share a code (a new xã often keeps one of its old codes)
            models.UniqueConstraint(
                fields=["admin_code"],
                condition=~models.Q(admin_code="") & models.Q(ended_on=None),
                name="unit_admin_code_unique_active",
            ),
        ]
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"

    def __str__(self) -> str:
        return self.name

    @property
    def is_ended(self) -> bool:
        return self.ended_on is not None

    def current(self) -> list[Unit]:
        """The active units this one lives on in: itself when active, else its successors',
        followed through later reorganisations."""
        seen: set[int] = set()
        todo, found = [self], []
        while todo:
            unit = todo.pop(0)
            if unit.pk in seen:
                continue
            seen.add(unit.pk)
            if unit.ended_on is None:
                found.append(unit)
            else:
                todo.extend(unit.successors.order_by("name"))
        return found

    def lineage(self) -> list[Unit]:
        """This unit and every unit that became it, earlier ones included (phường An Lạc: itself,
        phường An Hòa, phường Phú Thịnh, the thị xã…): whose 2021–2025 documents, tasks and index
        results compare with this unit's."""
        seen: dict[int, Unit] = {self.pk: self}
        todo = [self]
        while todo:
            for old in todo.pop().predecessors.all():
                if old.pk not in seen:
                    seen[old.pk] = old
                    todo.append(old)
        return list(seen.values())

    def history_label(self) -> str:
        """`UBND thị xã An Phú (nay là UBND phường An Lạc, UBND xã Phú Mỹ)`, or the name."""
        if self.ended_on is None:
            return self.name
        now = [u.name for u in self.current() if u.pk != self.pk]
        return f"{self.name} (nay là {', '.join(now)})" if now else f"{self.name} (đã kết thúc)"

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


class UnitSuccession(models.Model):
    """One line of a reorganisation: `predecessor` ended and (part of) it became `successor`."""

    predecessor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="succession_out")
    successor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="succession_in")
    on = models.DateField("từ ngày", help_text="Ngày đơn vị kế thừa bắt đầu (vd 1/7/2025).")
    note = models.CharField("ghi chú", max_length=300, blank=True)

    class Meta:
        ordering = ["on", "predecessor__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="unit_succession_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(predecessor=models.F("successor")),
                name="unit_succession_not_self",
            ),
        ]
        verbose_name = "kế thừa đơn vị"
        verbose_name_plural = "kế thừa đơn vị"

    def __str__(self) -> str:
        return f"{self.predecessor.name} → {self.successor.name} ({self.on:%d/%m/%Y})"


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
