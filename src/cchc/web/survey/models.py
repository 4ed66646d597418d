"""The sociological survey (điều tra xã hội học) of the PAR INDEX: a round of questionnaires for
one unit, framework, year and group of respondents; one-time codes handed out on paper; the
anonymous replies. No personal data: a reply is its code and its answers."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cchc.web.accounts.models import Unit
from cchc.web.par.models import Criterion, Framework


class Group(models.TextChoices):
    LEADERS = "lanh-dao", "Lãnh đạo đơn vị"
    STAFF = "cong-chuc", "Cán bộ, công chức"
    PUBLIC = "nguoi-dan", "Người dân, doanh nghiệp đã sử dụng dịch vụ"


class SurveyRound(models.Model):
    """The questionnaire one group answers about one unit's year under one framework."""

    class Status(models.TextChoices):
        OPEN = "open", "Đang nhận phiếu"
        CLOSED = "closed", "Đã đóng"

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("năm đánh giá")
    group = models.CharField("nhóm đối tượng", max_length=10, choices=Group.choices)
    intro = models.TextField("lời giới thiệu", blank=True)
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "unit__name", "group"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "unit", "year", "group"], name="survey_round_once"
            )
        ]

    def __str__(self) -> str:
        return f"Khảo sát {self.year} – {self.unit} – {self.get_group_display()}"


class Question(models.Model):
    """A question of the round: graded options (each with its weight in percent) bound to a
    criterion assessed by survey, or a free comment (no criterion, no options)."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField()
    text = models.TextField("câu hỏi")
    criterion = models.ForeignKey(
        Criterion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # [{"key": "A", "label": "Rất hài lòng", "weight": "100"}, …]; empty for a comment
    options = models.JSONField(default=list, blank=True)
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ["round", "order"]

    def __str__(self) -> str:
        return f"{self.order}. {self.text[:60]}"

    @property
    def is_comment(self) -> bool:
        return not self.options


class AccessCode(models.Model):
    """A one-time code handed to one respondent; `used_at` is set by the reply that used it."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(max_length=16, unique=True)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "pk"]

    def __str__(self) -> str:
        return self.code


class Reply(models.Model):
    """One filled questionnaire. The one-to-one on the code is the database's guarantee that
    a code answers once."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="replies")
    code = models.OneToOneField(AccessCode, on_delete=models.CASCADE, related_name="reply")
    submitted_at = models.DateTimeField(auto_now_add=True)


class Answer(models.Model):
    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    option = models.CharField(max_length=4, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reply", "question"], name="survey_answer_once")
        ]
