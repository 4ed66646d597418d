"""The sociological survey's work flow: open a round with its questionnaire, hand out one-time
codes, take anonymous replies (each code once, every answer checked), count the results and
write them into the unit's assessment for the criteria assessed by survey."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from importlib import resources

import yaml
from django.db import IntegrityError, transaction
from django.utils import timezone

from cchc.par import framework as core
from cchc.text import nfc
from cchc.web.accounts.models import Unit, audit
from cchc.web.par import services as par
from cchc.web.par.models import Assessment, Criterion, Framework, Score
from cchc.web.survey.models import AccessCode, Answer, Group, Question, Reply, SurveyRound

# Codes: printable, typed by hand from paper. No 0/O, 1/I/L; 31 signs ** 8 ≈ 8.5 × 10^11.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
MAX_CODES = 2000  # codes generated at once
MAX_TEXT = 1000  # characters of a free answer
MAX_QUESTION = 1000  # characters of a question
MAX_OPTIONS = 10
MAX_QUESTIONS = 100  # per round
MAX_POST_BYTES = 64 * 1024  # a filled questionnaire is a few hundred bytes

# Results are written into an assessment while the unit self-assesses (its claim) or the
# council appraises round 1 (the round-1 decision too); once round 1 is sent to the unit, the
# giải trình and round 2 work on what round 1 decided, so later states refuse.
OPEN_STATES = ("draft", "submitted")

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


class SurveyError(ValueError):
    """A step the round or the assessment does not allow; the message says why (Vietnamese)."""


class UnknownCode(SurveyError):
    def __init__(self):
        super().__init__(
            "Mã khảo sát không đúng. Xin kiểm tra lại mã in trên phiếu (8 ký tự, chữ in hoa và "
            "chữ số)."
        )


class UsedCode(SurveyError):
    def __init__(self):
        super().__init__(
            "Mã khảo sát này đã được dùng để gửi phiếu. Mỗi mã chỉ trả lời được một lần."
        )


class ClosedRound(SurveyError):
    def __init__(self):
        super().__init__("Đợt khảo sát này đã kết thúc, không nhận thêm phiếu.")


class AnswerErrors(SurveyError):
    """Answers that are not valid: `by_question` maps a question id to its problem, so the
    form marks the question and keeps every other answer."""

    def __init__(self, by_question: dict[int, str]):
        self.by_question = by_question
        super().__init__("; ".join(by_question.values()))


@cache
def defaults() -> dict:
    text = (resources.files("cchc") / "data" / "survey.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def survey_criteria(stored: Framework) -> list[Criterion]:
    """The framework's leaf criteria assessed by survey, in its order."""
    return list(
        stored.criteria.filter(is_leaf=True, method=Criterion.Method.SURVEY).order_by("order")
    )


# --- rounds and questionnaires --------------------------------------------------------------


@transaction.atomic
def create_round(stored: Framework, unit: Unit, year: int, group: str, user) -> SurveyRound:
    """A round with its starting questionnaire: one graded question per survey criterion (the
    default options and weights) and an optional comment."""
    if group not in Group.values:
        raise SurveyError(f"Nhóm đối tượng không hợp lệ: “{group[:40]}”.")
    criteria = survey_criteria(stored)
    if not criteria:
        raise SurveyError(
            f"“{stored.name}” không có tiêu chí nào chấm bằng điều tra xã hội học, "
            "không cần mở đợt khảo sát."
        )
    if SurveyRound.objects.filter(framework=stored, unit=unit, year=year, group=group).exists():
        raise SurveyError(
            f"Đã có đợt khảo sát năm {year} của {unit.name} cho nhóm "
            f"“{Group(group).label}” theo bộ tiêu chí này."
        )
    settings = defaults()
    texts = settings["groups"][group]
    survey = SurveyRound.objects.create(
        framework=stored, unit=unit, year=year, group=group, intro=texts["intro"], created_by=user
    )
    options = [{**o, "weight": str(o["weight"])} for o in settings["options"]]
    for order, criterion in enumerate(criteria, 1):
        Question.objects.create(
            round=survey,
            order=order,
            text=texts["question"].format(criterion=criterion.name),
            criterion=criterion,
            options=options,
        )
    Question.objects.create(
        round=survey, order=len(criteria) + 1, text=settings["comment"], required=False
    )
    audit(user, "survey-round", survey, f"Mở {survey}")
    return survey


def parse_options(text: str) -> list[dict]:
    """Options as the council types them, one a line: "Rất hài lòng = 100" (weight in percent,
    0–100); keys A, B, C… in order. Raises SurveyError naming the line."""
    out = []
    lines = [line.strip() for line in nfc(text or "").splitlines() if line.strip()]
    for n, line in enumerate(lines, 1):
        label, sep, weight = line.rpartition("=")
        label = label.strip()
        if not sep or not label:
            raise SurveyError(f"Dòng {n} “{line[:60]}”: viết “Nhãn = trọng số”, ví dụ “Tốt = 60”.")
        try:
            value = Decimal(weight.strip().rstrip("%").strip().replace(",", "."))
        except ArithmeticError:
            value = None
        if value is None or not value.is_finite() or not 0 <= value <= 100:
            raise SurveyError(f"Dòng {n} “{line[:60]}”: trọng số phải là số từ 0 đến 100.")
        if len(label) > 200:
            raise SurveyError(f"Dòng {n}: nhãn dài quá 200 ký tự.")
        out.append({"key": "ABCDEFGHIJ"[n - 1], "label": label, "weight": f"{value.normalize():f}"})
    if not 2 <= len(out) <= MAX_OPTIONS:
        raise SurveyError(f"Câu hỏi chấm điểm cần từ 2 đến {MAX_OPTIONS} phương án trả lời.")
    return out


def options_text(question: Question) -> str:
    return "\n".join(f"{o['label']} = {o['weight']}" for o in question.options)


@transaction.atomic
def update_question(question: Question, text: str, options: str, user) -> Question:
    """Change a question's text and, for a graded one, its options and weights; only before
    the round's first reply (answers already given would change meaning)."""
    survey = question.round
    if survey.replies.exists():
        raise SurveyError("Đợt khảo sát đã có phiếu trả lời: không sửa câu hỏi được nữa.")
    text = nfc(text or "").strip()
    if not text:
        raise SurveyError(f"Câu {question.order}: chưa nhập nội dung câu hỏi.")
    if len(text) > MAX_QUESTION:
        raise SurveyError(f"Câu {question.order}: câu hỏi dài quá {MAX_QUESTION} ký tự.")
    question.text = text
    if not question.is_comment:
        question.options = parse_options(options)
    question.save(update_fields=["text", "options"])
    audit(user, "survey-question", survey, f"Sửa câu {question.order} của {survey}")
    return question


@transaction.atomic
def set_status(survey: SurveyRound, status: str, user) -> None:
    if status not in SurveyRound.Status.values:
        raise SurveyError("Trạng thái không hợp lệ.")
    survey.status = status
    survey.save(update_fields=["status"])
    audit(user, "survey-status", survey, f"{survey}: {survey.get_status_display()}")


# --- codes ----------------------------------------------------------------------------------


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


@transaction.atomic
def generate_codes(survey: SurveyRound, count: int, user) -> list[str]:
    """`count` new one-time codes for the round (random, unique across every round)."""
    if not 1 <= count <= MAX_CODES:
        raise SurveyError(f"Số mã cần tạo phải từ 1 đến {MAX_CODES}.")
    if survey.status != SurveyRound.Status.OPEN:
        raise ClosedRound()
    fresh: set[str] = set()
    while len(fresh) < count:
        wanted = {new_code() for _ in range(count - len(fresh))}
        taken = set(AccessCode.objects.filter(code__in=wanted).values_list("code", flat=True))
        fresh |= wanted - taken
    codes = sorted(fresh)
    AccessCode.objects.bulk_create(AccessCode(round=survey, code=c) for c in codes)
    audit(user, "survey-codes", survey, f"Tạo {count} mã khảo sát cho {survey}")
    return codes


def normalize_code(text: str) -> str | None:
    """A code as typed ("abcd-efgh", " ABCD EFGH "), or None when it cannot be one."""
    code = "".join(ch for ch in (text or "")[:40].upper() if ch not in " -.\t")
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def find_code(text: str) -> AccessCode:
    """The code's row (with its round); UnknownCode when there is none."""
    code = normalize_code(text)
    found = (
        AccessCode.objects.select_related("round__unit").filter(code=code).first() if code else None
    )
    if found is None:
        raise UnknownCode()
    return found


# --- replies --------------------------------------------------------------------------------


def check_answers(
    questions: list[Question], data
) -> tuple[dict[int, tuple[str, str]], dict[int, str]]:
    """Read `data` (the POST: `q-<id>` per question) against the questions: the answers
    (question id → (option key, text)) and the problems (question id → message)."""
    answers: dict[int, tuple[str, str]] = {}
    problems: dict[int, str] = {}
    for q in questions:
        value = nfc(data.get(f"q-{q.pk}") or "").strip()
        if q.is_comment:
            if len(value) > MAX_TEXT:
                problems[q.pk] = f"Câu {q.order}: ý kiến dài quá {MAX_TEXT} ký tự."
            elif value:
                answers[q.pk] = ("", value)
            elif q.required:
                problems[q.pk] = f"Câu {q.order}: xin ghi ý kiến."
            continue
        keys = {o["key"] for o in q.options}
        if not value:
            if q.required:
                problems[q.pk] = f"Câu {q.order}: xin chọn một phương án."
        elif value not in keys:
            problems[q.pk] = f"Câu {q.order}: phương án “{value[:8]}” không có trong phiếu."
        else:
            answers[q.pk] = (value, "")
    return answers, problems


def submit(code_text: str, data) -> Reply:
    """Store a filled questionnaire for a code: every answer checked first, then the code is
    taken by a conditional UPDATE in the same transaction as the reply, so two posts of one
    code cannot both count (the reply's one-to-one on the code is the second guard)."""
    code = find_code(code_text)
    if code.used_at is not None:
        raise UsedCode()
    survey = code.round
    if survey.status != SurveyRound.Status.OPEN:
        raise ClosedRound()
    questions = list(survey.questions.all())
    answers, problems = check_answers(questions, data)
    if problems:
        raise AnswerErrors(problems)
    try:
        with transaction.atomic():
            taken = AccessCode.objects.filter(pk=code.pk, used_at__isnull=True).update(
                used_at=timezone.now()
            )
            if not taken:
                raise UsedCode()
            reply = Reply.objects.create(round=survey, code=code)
            Answer.objects.bulk_create(
                Answer(reply=reply, question_id=pk, option=option, text=text)
                for pk, (option, text) in answers.items()
            )
    except IntegrityError as exc:
        raise UsedCode() from exc
    return reply


# --- results --------------------------------------------------------------------------------


@dataclass
class QuestionResult:
    question: Question
    counts: list[tuple[dict, int]]  # (option, how many chose it), in the option order
    answered: int
    weighted: Decimal | None  # mean of the chosen options' weights, in percent
    comments: list[str] = field(default_factory=list)


@dataclass
class CriterionResult:
    criterion: Criterion
    answers: int  # graded answers over every question bound to it
    replies: int  # questionnaires they come from
    weighted: Decimal | None  # mean weight in percent, 2 decimals
    points: Decimal | None


def _mean(total: Decimal, n: int) -> Decimal | None:
    return (total / n).quantize(CENT, rounding=ROUND_HALF_UP) if n else None


def round_results(survey: SurveyRound) -> list[QuestionResult]:
    """Per question of one round: the distribution, the weighted mean; the comments."""
    chosen: dict[int, dict[str, int]] = {}
    comments: dict[int, list[str]] = {}
    for question_id, option, text in Answer.objects.filter(reply__round=survey).values_list(
        "question_id", "option", "text"
    ):
        if option:
            by_key = chosen.setdefault(question_id, {})
            by_key[option] = by_key.get(option, 0) + 1
        elif text:
            comments.setdefault(question_id, []).append(text)
    out = []
    for q in survey.questions.all():
        by_key = chosen.get(q.pk, {})
        counts = [(o, by_key.get(o["key"], 0)) for o in q.options]
        answered = sum(n for _, n in counts)
        total = sum((Decimal(o["weight"]) * n for o, n in counts), Decimal(0))
        out.append(
            QuestionResult(q, counts, answered, _mean(total, answered), comments.get(q.pk, []))
        )
    return out


def criterion_points(criterion: Criterion, weighted: Decimal) -> Decimal:
    """The points a weighted mean (percent) earns: a ratio is maximum × mean, a criterion with
    bands takes its band, as the framework's rule rounds (2 decimals, half up)."""
    if criterion.scoring in ("ratio", "bands"):
        return core.points(par.core_leaf(criterion), f"{weighted:f}%")
    return (criterion.max_points * weighted / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


def criterion_results(stored: Framework, unit: Unit, year: int) -> list[CriterionResult]:
    """Per survey criterion, over every round of the unit's year under the framework (all
    groups): each graded answer counts once."""
    rounds = SurveyRound.objects.filter(framework=stored, unit=unit, year=year)
    weights = {}
    for q in Question.objects.filter(round__in=rounds).exclude(criterion=None):
        weights[q.pk] = (q.criterion_id, {o["key"]: Decimal(o["weight"]) for o in q.options})
    sums: dict[int, Decimal] = {}
    counts: dict[int, int] = {}
    replies: dict[int, set[int]] = {}
    for question_id, option, reply_id in (
        Answer.objects.filter(question_id__in=list(weights))
        .exclude(option="")
        .values_list("question_id", "option", "reply_id")
    ):
        criterion_id, by_key = weights[question_id]
        if option in by_key:
            sums[criterion_id] = sums.get(criterion_id, Decimal(0)) + by_key[option]
            counts[criterion_id] = counts.get(criterion_id, 0) + 1
            replies.setdefault(criterion_id, set()).add(reply_id)
    out = []
    for criterion in survey_criteria(stored):
        n = counts.get(criterion.pk, 0)
        total = sums.get(criterion.pk, Decimal(0))
        weighted = _mean(total, n)
        # points from the exact mean: rounded once, as the framework rounds, not twice
        points = criterion_points(criterion, total / n) if n else None
        out.append(
            CriterionResult(criterion, n, len(replies.get(criterion.pk, ())), weighted, points)
        )
    return out


def assessment_for(survey: SurveyRound) -> Assessment | None:
    return Assessment.objects.filter(
        framework=survey.framework, unit=survey.unit, year=survey.year
    ).first()


@transaction.atomic
def apply_results(survey: SurveyRound, user) -> list[CriterionResult]:
    """ "Áp dụng kết quả khảo sát": the points of each survey criterion with answers (over all
    the unit's rounds of the year) become the unit's score for it, marked as computed from the
    survey; once the assessment is with the council (not a draft) they are the appraised points
    too. Then the totals are recomputed. Refused for a published or locked assessment."""
    assessment = (
        Assessment.objects.select_for_update()
        .filter(framework=survey.framework, unit=survey.unit, year=survey.year)
        .first()
    )
    if assessment is None:
        raise SurveyError(
            f"Chưa mở bản đánh giá năm {survey.year} của {survey.unit.name} theo bộ tiêu chí "
            "này: mở bản đánh giá trước rồi áp dụng kết quả khảo sát."
        )
    if assessment.status not in OPEN_STATES:
        raise SurveyError(
            f"Bản đánh giá của {survey.unit.name} năm {survey.year} đang ở trạng thái "
            f"“{assessment.get_status_display()}”: không ghi kết quả khảo sát vào được nữa."
        )
    results = [
        r for r in criterion_results(survey.framework, survey.unit, survey.year) if r.answers
    ]
    if not results:
        raise SurveyError(
            "Chưa có phiếu trả lời nào cho các tiêu chí khảo sát: chưa có gì để áp dụng."
        )
    with_council = assessment.status != Assessment.Status.DRAFT
    for r in results:
        value = r.weighted if r.criterion.scoring in ("ratio", "bands") else r.points
        note = (
            f"Từ {r.replies} phiếu khảo sát ({r.answers} câu trả lời), "
            f"mức hài lòng bình quân {r.weighted}%: {r.points} điểm"
        )
        defaults = {
            "self_value": value,
            "self_points": r.points,
            "computed_value": value,
            "computed_note": note,
            "not_applicable": False,
        }
        if with_council:
            defaults |= {
                "appraised_points": r.points,
                "appraisal_reason": note,
                "round1_points": r.points,
                "round1_reason": note,
            }
        Score.objects.update_or_create(
            assessment=assessment, criterion=r.criterion, defaults=defaults
        )
    par.recompute(assessment)
    summary = "; ".join(f"{r.criterion.code}: {r.points} điểm ({r.replies} phiếu)" for r in results)
    audit(user, "survey-apply", assessment, f"Áp dụng kết quả khảo sát vào {assessment}: {summary}")
    return results
