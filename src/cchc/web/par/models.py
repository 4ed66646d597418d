"""The PAR INDEX in the database: frameworks (areas → criteria → sub-criteria), each unit's
assessment of a year with self-assessed and appraised scores and their evidence, and the
commitments heads of units sign."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cchc.web.accounts.models import Unit
from cchc.web.documents.models import Document


class Level(models.TextChoices):
    PROVINCE = "tinh", "Tỉnh (bộ chỉ số quốc gia)"
    DEPARTMENT = "so", "Sở, ban, ngành"
    DISTRICT = "huyen", "Huyện, thị xã, thành phố"
    COMMUNE = "xa", "Xã, phường, thị trấn"


class Framework(models.Model):
    name = models.CharField("tên bộ tiêu chí", max_length=300)
    year = models.PositiveSmallIntegerField("năm", null=True, blank=True)
    level = models.CharField("cấp", max_length=6, choices=Level.choices)
    source = models.CharField("nguồn", max_length=300, blank=True)
    max_total = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # classification bands the framework names, best first: [{"name": "Xuất sắc", "min": 90}…]
    classes = models.JSONField("xếp loại", default=list, blank=True)
    bonus_max = models.DecimalField("điểm thưởng tối đa", max_digits=6, decimal_places=2, null=True)
    penalty_max = models.DecimalField("điểm trừ tối đa", max_digits=6, decimal_places=2, null=True)
    not_applicable = models.CharField(
        "tiêu chí không áp dụng",
        max_length=8,
        default="rescale",
        choices=[("rescale", "Tính trên tổng điểm áp dụng"), ("full", "Được tính điểm tối đa")],
    )

    class Meta:
        ordering = ["-year", "level", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "year", "level"], name="framework_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year or 'không năm'}, {self.get_level_display()})"

    @property
    def scorable(self) -> bool:
        return self.max_total is not None


class Criterion(models.Model):
    class Scoring(models.TextChoices):
        POINTS = "points", "Nhập điểm"
        YESNO = "yesno", "Có/không"
        RATIO = "ratio", "Tỷ lệ quy ra điểm"
        SCALE = "scale", "Thang mức"
        OPTIONS = "options", "Chọn mức"
        BANDS = "bands", "Khoảng tỷ lệ"

    class Method(models.TextChoices):
        APPRAISAL = "appraisal", "Thẩm định"
        SURVEY = "survey", "Điều tra xã hội học"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey("self", null=True, on_delete=models.CASCADE, related_name="children")
    area = models.ForeignKey(
        "self", null=True, on_delete=models.CASCADE, related_name="descendants"
    )
    code = models.CharField("mã", max_length=30)
    name = models.TextField("tên")
    max_points = models.DecimalField("điểm tối đa", max_digits=7, decimal_places=2, null=True)
    scoring = models.CharField(max_length=8, choices=Scoring.choices, default=Scoring.POINTS)
    # the rule's lines: [{"label", "points", "low", "low_inclusive", "high", "high_inclusive"}]
    rule = models.JSONField("cách chấm", default=list, blank=True)
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.APPRAISAL)
    evidence_rule = models.CharField("quy tắc minh chứng", max_length=40, blank=True)
    scale_levels = models.PositiveSmallIntegerField(null=True, blank=True)
    unit_text = models.CharField("đơn vị chịu trách nhiệm", max_length=300, blank=True)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL)
    evidence = models.TextField("tài liệu kiểm chứng", blank=True)
    depth = models.PositiveSmallIntegerField()
    order = models.PositiveIntegerField()
    is_leaf = models.BooleanField(default=True)

    class Meta:
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="criterion_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class Assessment(models.Model):
    """One unit's index of one year under one framework, from self-assessment to publication."""

    class Status(models.TextChoices):
        # the cycle: draft → submitted → round1 → explained → locked → published (see
        # services.STEPS for who moves it and how it goes back)
        DRAFT = "draft", "Đang tự đánh giá"
        SUBMITTED = "submitted", "Đã gửi thẩm định, chờ vòng 1"
        ROUND1 = "round1", "Đã thẩm định vòng 1, chờ giải trình"
        EXPLAINED = "explained", "Đã giải trình, chờ thẩm định vòng 2"
        LOCKED = "locked", "Đã chốt điểm"
        PUBLISHED = "published", "Đã công bố"

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="assessments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="assessments")
    year = models.PositiveSmallIntegerField("năm đánh giá")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    self_total = models.DecimalField(max_digits=7, decimal_places=2, default=0)
    final_total = models.DecimalField(max_digits=7, decimal_places=2, default=0)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    appraised_at = models.DateTimeField(null=True, blank=True)
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    explained_at = models.DateTimeField(null=True, blank=True)
    # the unit accepted round 1 without dispute (else it sent giải trình)
    accepted_round1 = models.BooleanField(default=False)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    locked_at = models.DateTimeField(null=True, blank=True)
    # the reason of the last "mở lại" of a locked result (each one is in the audit log too)
    reopen_reason = models.TextField("lý do mở lại", blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    bonus = models.DecimalField("điểm thưởng", max_digits=6, decimal_places=2, default=0)
    bonus_reason = models.TextField(blank=True)
    penalty = models.DecimalField("điểm trừ", max_digits=6, decimal_places=2, default=0)
    penalty_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-year", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "unit", "year"], name="assessment_once")
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.year}"


class Score(models.Model):
    """A leaf criterion's score: what the unit entered and claims, what the council decided.

    `appraised_points`/`appraisal_reason` hold the council's decision in force (round 2 where it
    decided, else round 1); `round1_*` keep what round 1 decided, `dispute_note` the unit's
    giải trình against it, `round2_*` what round 2 decided on a disputed criterion."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    self_value = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True)
    self_points = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    explanation = models.TextField("giải trình", blank=True)
    appraised_points = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    appraisal_reason = models.TextField("lý do điều chỉnh", blank=True)
    round1_points = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    round1_reason = models.TextField("lý do thẩm định vòng 1", blank=True)
    dispute_note = models.TextField("giải trình kết quả vòng 1", blank=True)
    round2_points = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    round2_reason = models.TextField("lý do thẩm định vòng 2", blank=True)
    not_applicable = models.BooleanField("không áp dụng", default=False)
    # what cchc computed from tracked work (evidence rule), and why a person chose otherwise
    computed_value = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True)
    computed_note = models.TextField(blank=True)
    override_reason = models.TextField("lý do khác kết quả tính", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="score_once")
        ]

    @property
    def final_points(self):
        return self.appraised_points if self.appraised_points is not None else self.self_points

    @property
    def disputable(self) -> bool:
        """Round 1 gave fewer points than the unit claimed: the unit may explain."""
        return (
            self.round1_points is not None
            and self.self_points is not None
            and self.round1_points < self.self_points
        )

    @property
    def disputed(self) -> bool:
        return self.disputable and bool(self.dispute_note.strip())


class ScoreEvidence(models.Model):
    class Stage(models.TextChoices):
        SELF = "self", "Tự đánh giá"
        DISPUTE = "dispute", "Giải trình"

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="evidence")
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.SET_NULL)
    task = models.ForeignKey("work.Task", null=True, blank=True, on_delete=models.SET_NULL)
    computed = models.BooleanField(default=False)  # linked by an evidence rule, not by a person
    stage = models.CharField(max_length=8, choices=Stage.choices, default=Stage.SELF)
    path = models.CharField(max_length=300, blank=True)
    name = models.CharField(max_length=255)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)


class Commitment(models.Model):
    """A head of unit's signed commitment for a year: criteria to reach, tasks to finish."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="commitments")
    year = models.PositiveSmallIntegerField("năm")
    head_name = models.CharField("người đứng đầu", max_length=120)
    head_title = models.CharField("chức vụ", max_length=120)
    signed_on = models.DateField("ngày ký", null=True, blank=True)
    deadline = models.DateField("hạn hoàn thành")
    criteria = models.ManyToManyField(Criterion, blank=True, verbose_name="tiêu chí cam kết")
    tasks = models.ManyToManyField("work.Task", blank=True, verbose_name="nhiệm vụ cam kết")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-year", "unit__name"]

    def __str__(self) -> str:
        return f"Cam kết {self.year} – {self.head_title} {self.head_name} ({self.unit})"
