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


class Direction(models.TextChoices):
    INCOMING = "den", "Văn bản đến"
    OUTGOING = "di", "Văn bản đi"


class Register(models.Model):
    """A sổ the văn thư keeps: of incoming or of outgoing documents. An office may keep several
    of each (văn bản mật apart); numbers run on per year in each (`RegisterCounter`)."""

    name = models.CharField("tên sổ", max_length=120, unique=True)
    direction = models.CharField("loại sổ", max_length=3, choices=Direction.choices)
    secret = models.BooleanField("sổ văn bản mật", default=False)
    is_default = models.BooleanField(
        "sổ mặc định", default=False, help_text="where documents go when no register is chosen"
    )

    class Meta:
        ordering = ["direction", "-is_default", "name"]
        verbose_name = "sổ văn bản"
        verbose_name_plural = "sổ văn bản"

    def __str__(self) -> str:
        return self.name

    @classmethod
    def default(cls, direction: str) -> Register:
        """The register a document of this direction goes to when none is chosen."""
        register = cls.objects.filter(direction=direction, is_default=True).first()
        if register is None:
            name = "Sổ văn bản đến" if direction == Direction.INCOMING else "Sổ văn bản đi"
            register, _ = cls.objects.get_or_create(
                name=name, defaults={"direction": direction, "is_default": True}
            )
        return register


class RegisterCounter(models.Model):
    """The last number a register gave in a year: one row to lock and count on, whatever the
    registry's size and however many workers ingest at once."""

    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="counters")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["register", "year"], name="register_counter_year")
        ]


class ExchangeState(models.TextChoices):
    """What a later edXML package (BussinessDocType 1, 2, 3) did to a document, or, for a
    revoke message, what the package itself is."""

    REVOKED = "thu-hoi", "Đã bị thu hồi"
    UPDATED = "da-cap-nhat", "Đã được cập nhật"
    REPLACED = "da-thay-the", "Đã bị thay thế"
    REVOKE_MESSAGE = (
        "goi-thu-hoi",
        "Gói tin thu hồi",
    )  # the message itself, not a document to handle


class SignatureState(models.TextChoices):
    """A document's digital signatures summed up (empty: none). `broken` wins over the others:
    one signature whose bytes changed, or a document changed after signing, is what matters."""

    VALID = "hop-le", "Chữ ký số hợp lệ"
    UNVERIFIED = "chua-xac-minh", "Còn nguyên vẹn, chưa xác minh người ký"
    BROKEN = "hong", "Chữ ký số hỏng"


def signature_state(signatures: list[dict] | None) -> str:
    """The summary of a parse's `signatures` list (machine JSON): "" when there is none."""
    if not signatures:
        return ""
    if any(not s.get("intact") or s.get("modified_after") for s in signatures):
        return SignatureState.BROKEN
    if all(s.get("trusted") for s in signatures):
        return SignatureState.VALID
    return SignatureState.UNVERIFIED


class Document(models.Model):
    Direction = Direction
    ExchangeState = ExchangeState
    SignatureState = SignatureState

    class Urgency(models.TextChoices):
        NORMAL = "thuong", "Thường"
        URGENT = "khan", "Khẩn"
        VERY_URGENT = "thuong-khan", "Thượng khẩn"
        EXPRESS = "hoa-toc", "Hỏa tốc"

    class Secrecy(models.TextChoices):
        NORMAL = "thuong", "Thường"
        SECRET = "mat", "Mật"
        TOP_SECRET = "toi-mat", "Tối mật"
        ULTRA_SECRET = "tuyet-mat", "Tuyệt mật"

    class ReceivedVia(models.TextChoices):
        PAPER = "giay", "Giấy"
        ELECTRONIC = "dien-tu", "Điện tử"
        EMAIL = "thu-dien-tu", "Thư điện tử"

    class Handling(models.TextChoices):
        """Where an incoming document stands in Nghị định 30's flow: registered by the văn
        thư, submitted to the leaders, sent on to a unit's head, directed, or for information."""

        REGISTERED = "vao-so", "Đã vào sổ, chờ trình"
        WAITING = "cho-chi-dao", "Chờ ý kiến chỉ đạo"
        FORWARDED = "chuyen-don-vi", "Chờ đơn vị phân công"
        DIRECTED = "da-phan-cong", "Đã phân công"
        INFORMATION = "de-biet", "Để biết"

    sha256 = models.CharField(max_length=64, unique=True)
    original = models.CharField(max_length=300, help_text="path under MEDIA_ROOT")
    original_name = models.CharField("tên tệp gốc", max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    direction = models.CharField(
        "sổ", max_length=3, choices=Direction.choices, default=Direction.INCOMING
    )
    register = models.ForeignKey(
        Register, null=True, blank=True, on_delete=models.PROTECT, verbose_name="sổ"
    )
    incoming_number = models.PositiveIntegerField("số đến", null=True, blank=True)
    received_date = models.DateField("ngày đến", null=True, blank=True)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, verbose_name="đơn vị xử lý"
    )
    # the văn thư's intake fields (Nghị định 30/2020, Phụ lục IV), pre-filled where the parse can
    urgency = models.CharField(
        "độ khẩn", max_length=12, choices=Urgency.choices, default=Urgency.NORMAL
    )
    secrecy = models.CharField("độ mật", max_length=10, choices=Secrecy.choices, default="thuong")
    handling_deadline = models.DateField("hạn xử lý", null=True, blank=True)
    page_count = models.PositiveIntegerField("số trang", null=True, blank=True)
    received_via = models.CharField(
        "cách nhận", max_length=12, choices=ReceivedVia.choices, blank=True
    )
    transferred_date = models.DateField("ngày chuyển", null=True, blank=True)
    received_by = models.CharField("ký nhận", max_length=200, blank=True)
    register_note = models.TextField("ghi chú", blank=True)
    handling = models.CharField(
        "xử lý",
        max_length=14,
        choices=Handling.choices,
        blank=True,
        db_index=True,
        help_text="empty for outgoing documents",
    )
    submitted_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents_to_direct",
        verbose_name="trình lãnh đạo",
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

    # documents as offices exchange them (edXML packages, signed PDFs): see documents/exchange.py
    sender_organ_id = models.CharField(
        "mã định danh cơ quan gửi", max_length=40, blank=True, db_index=True
    )
    sender_name = models.CharField("cơ quan gửi (gói edXML)", max_length=300, blank=True)
    edxml_id = models.CharField(
        "DocumentId (edXML)",
        max_length=300,
        blank=True,
        db_index=True,
        help_text="OrganId,YYYY/MM/DD,số/ký hiệu as the package names the document",
    )
    exchange_state = models.CharField(
        "tình trạng liên thông",
        max_length=12,
        choices=ExchangeState.choices,
        blank=True,
        db_index=True,
    )
    revoked_at = models.DateTimeField("thu hồi lúc", null=True, blank=True)
    revoked_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="revokes",
        verbose_name="gói tin thu hồi",
    )
    replaces = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaced_by",
        verbose_name="cập nhật, thay thế văn bản",
    )
    signature_state = models.CharField(
        "chữ ký số",
        max_length=14,
        choices=SignatureState.choices,
        blank=True,
        db_index=True,
        help_text="empty: no digital signature",
    )

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
            models.Index(fields=["handling", "-received_date", "-id"], name="documents_handling"),
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


class Instruction(models.Model):
    """The leader's direction on an incoming document (ý kiến chỉ đạo, bút phê): its words, and
    what it decided: tasks confirmed, for information only, or sent on to a unit's head."""

    class Outcome(models.TextChoices):
        DIRECTED = "phan-cong", "Phân công xử lý"
        INFORMATION = "de-biet", "Để biết"
        FORWARDED = "chuyen-don-vi", "Chuyển đơn vị phân công"
        RETURNED = "tra-lai", "Trả lại văn thư"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="instructions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)
    text = models.TextField("ý kiến chỉ đạo", blank=True)
    outcome = models.CharField(max_length=14, choices=Outcome.choices)
    forwarded_to = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, verbose_name="chuyển đơn vị"
    )

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "ý kiến chỉ đạo"
        verbose_name_plural = "ý kiến chỉ đạo"


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


class Attachment(models.Model):
    """One file an edXML package carried (the package itself is the document's original):
    stored once per content hash beside the originals, downloadable from the document page."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="attachments")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField("tên tệp", max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.CharField(max_length=300, help_text="path under MEDIA_ROOT")
    main = models.BooleanField(default=False, help_text="the attachment the text was read from")

    class Meta:
        ordering = ["document", "position"]
        verbose_name = "tệp đính kèm"
        verbose_name_plural = "tệp đính kèm"

    def __str__(self) -> str:
        return self.name


class StatusMessage(models.Model):
    """An edXML status message (03, 04, 05, 06) written to the outbox for a received package:
    one per document and code, so a status is never sent twice."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="status_messages")
    code = models.CharField(max_length=2)
    at = models.DateTimeField(auto_now_add=True)
    file = models.CharField(max_length=300, help_text="the file written to the outbox")

    class Meta:
        ordering = ["document", "code"]
        constraints = [
            models.UniqueConstraint(fields=["document", "code"], name="status_message_once")
        ]


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
