"""The PAR INDEX work flow over the database: import/export frameworks, score, appraise,
publish, rank, find weak criteria, turn them into tasks, follow commitments."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import FloatField, Q
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from cchc.par import framework as core
from cchc.par.scoring import Adjusted, Layout, Result, adjusted, losses, rank_by_index, score
from cchc.web.accounts.models import Unit, audit
from cchc.web.accounts.roles import can_self_assess, is_council
from cchc.web.par.models import (
    Assessment,
    Commitment,
    Criterion,
    Framework,
    Score,
    ScoreEvidence,
)
from cchc.web.work.assign import match_unit
from cchc.web.work.models import Task


class WorkflowError(ValueError):
    """A step the assessment's status does not allow, or entries that are not valid."""


class EntryErrors(WorkflowError):
    """Entries of a form that are not valid: `by_criterion` maps a criterion id to its problem,
    so the form can mark the field and keep everything else."""

    def __init__(self, by_criterion: dict[int, str]):
        self.by_criterion = by_criterion
        super().__init__("; ".join(by_criterion.values()))


class Incomplete(WorkflowError):
    """A submission with criteria not self-assessed; `missing` lists them (code, name)."""

    def __init__(self, missing: list[tuple[str, str]]):
        self.missing = missing
        codes = ", ".join(code for code, _ in missing[:8])
        more = f" và {len(missing) - 8} tiêu chí khác" if len(missing) > 8 else ""
        super().__init__(f"Còn {len(missing)} tiêu chí chưa tự chấm: {codes}{more}")


# Results that compare units (rankings, charts, trends) count only these: the points after the
# final appraisal, locked (chốt điểm) or published. A draft, a submission, or a result still in
# round 1, giải trình or round 2 is not final: not ranked.
RESULT_STATES = ("locked", "published")


# --- frameworks ---------------------------------------------------------------------------


@transaction.atomic
def import_framework(data: core.Framework, user=None) -> Framework:
    """Store a validated framework; the same name, year and level twice is refused."""
    if Framework.objects.filter(name=data.name, year=data.year, level=data.level).exists():
        raise WorkflowError(f"Đã có bộ tiêu chí “{data.name}” năm {data.year} cấp {data.level}.")
    stored = Framework.objects.create(
        name=data.name,
        year=data.year,
        level=data.level,
        source=data.source or "",
        max_total=data.total(),
        classes=[{"name": b.name, "min": float(b.minimum)} for b in data.classes],
        bonus_max=data.bonus_max,
        penalty_max=data.penalty_max,
        not_applicable=data.not_applicable,
    )
    rows: dict[str, Criterion] = {}
    for order, (node, depth, parent) in enumerate(data.walk()):
        above = rows[parent.code] if parent else None
        row = Criterion.objects.create(
            framework=stored,
            parent=above,
            area=(above.area or above) if above else None,  # the area is the top ancestor
            code=node.code,
            name=node.name,
            max_points=node.max_points,
            scoring=node.scoring,
            scale_levels=node.scale_levels,
            unit_text=node.unit or "",
            unit_id=match_unit(node.unit) if node.unit else None,
            evidence=node.evidence or "",
            depth=depth,
            order=order,
            is_leaf=not node.children,
            rule=[_rule_json(item) for item in node.rule],
            method=node.method,
            evidence_rule=node.evidence_rule or "",
        )
        rows[node.code] = row
    audit(user, "framework-import", stored, f"Nhập bộ tiêu chí {stored}")
    return stored


def _rule_json(item: core.RuleItem) -> dict:
    def num(d):
        return None if d is None else str(d)

    return {
        "label": item.label,
        "points": str(item.points),
        "low": num(item.low),
        "low_inclusive": item.low_inclusive,
        "high": num(item.high),
        "high_inclusive": item.high_inclusive,
    }


def rule_items(row: Criterion) -> list[core.RuleItem]:
    def num(v):
        return None if v is None else Decimal(v)

    return [
        core.RuleItem(
            i["label"],
            Decimal(i["points"]),
            num(i.get("low")),
            i.get("low_inclusive", True),
            num(i.get("high")),
            i.get("high_inclusive", True),
        )
        for i in row.rule or []
    ]


def to_core(stored: Framework) -> core.Framework:
    """The stored framework as the core's dataclasses (for scoring and Excel export)."""
    nodes: dict[int, core.Criterion] = {}
    areas: list[core.Criterion] = []
    for row in stored.criteria.order_by("order"):
        node = core.Criterion(
            code=row.code,
            name=row.name,
            max_points=row.max_points,
            scoring=row.scoring,
            scale_levels=row.scale_levels,
            unit=row.unit_text or None,
            evidence=row.evidence or None,
            rule=rule_items(row),
            method=row.method,
            evidence_rule=row.evidence_rule or None,
        )
        nodes[row.pk] = node
        if row.parent_id is None:
            areas.append(node)
        else:
            nodes[row.parent_id].children.append(node)
    return core.Framework(
        name=stored.name,
        year=stored.year,
        level=stored.level,
        source=stored.source or None,
        areas=areas,
        classes=[core.Band(c["name"], Decimal(str(c["min"]))) for c in stored.classes or []],
        bonus_max=stored.bonus_max,
        penalty_max=stored.penalty_max,
        not_applicable=stored.not_applicable,
    )


# --- scoring -------------------------------------------------------------------------------


def open_assessment(stored: Framework, unit: Unit, year: int) -> Assessment:
    if not stored.scorable:
        raise WorkflowError(f"“{stored.name}” là mẫu chưa có điểm tối đa, chưa chấm được.")
    assessment, _ = Assessment.objects.get_or_create(framework=stored, unit=unit, year=year)
    return assessment


def core_leaf(row: Criterion) -> core.Criterion:
    return core.Criterion(
        code=row.code,
        name=row.name,
        max_points=row.max_points,
        scoring=row.scoring,
        scale_levels=row.scale_levels,
        rule=rule_items(row),
    )


@transaction.atomic
def prefill(assessment: Assessment, user=None) -> list[str]:
    """Compute every sub-criterion the framework binds to an evidence rule, for the unit and
    year: the computed value becomes the self-assessed value where none was entered yet (a
    person's entry is never overwritten), the documents and tasks read become evidence links.
    Returns the codes computed. (Many drafts at once: `prefill_many`.)"""
    from cchc.web.par import evidence

    if assessment.status != Assessment.Status.DRAFT:
        raise WorkflowError("Chỉ tính sẵn được khi bản đánh giá đang tự đánh giá.")
    computed = {
        name: evidence.RULES[name](assessment.unit, assessment.year)
        for name in _bound(assessment.framework)[1]
    }
    return _store_prefill([assessment], {assessment.unit_id: computed}, user)[assessment.pk]


def _computed_points(assessment: Assessment) -> dict[int, Decimal]:
    """Criterion id → the points of the value computed from tracked work (evidence rules)."""
    out = {}
    for s in assessment.scores.filter(computed_value__isnull=False).select_related("criterion"):
        value = s.computed_value
        if s.criterion.scoring in ("ratio", "bands"):
            value = f"{value}%"
        try:
            out[s.criterion_id] = core.points(core_leaf(s.criterion), value)
        except ValueError:
            continue
    return out


@transaction.atomic
def save_self_assessment(
    assessment: Assessment,
    entries: dict[int, tuple],
    user,
    not_applicable: set[int] | None = None,
    overrides: dict[int, str] | None = None,
) -> list[str]:
    """Entries: criterion id → (entered value or None, explanation). Every value is checked
    before anything is saved; the errors name the criteria. `not_applicable`: criteria that do
    not apply to the unit (an explanation is required); `overrides`: reasons for a value other
    than the one computed from tracked work (required when it differs)."""
    not_applicable = not_applicable or set()
    overrides = overrides or {}
    _require(user, "unit", assessment, "tự đánh giá")
    if assessment.status != Assessment.Status.DRAFT:
        raise _state_error(assessment, "sửa bản tự đánh giá")
    leaves = {c.pk: c for c in assessment.framework.criteria.filter(is_leaf=True)}
    problems: dict[int, str] = {}
    changes = []
    computed_of = _computed_points(assessment)
    for criterion_id, (value, explanation) in entries.items():
        row = leaves.get(criterion_id)
        if row is None:
            continue
        try:
            if isinstance(value, ValueError):  # the form could not read what was typed
                raise value
            if criterion_id in not_applicable:
                if not explanation.strip():
                    raise ValueError("ghi lý do không áp dụng vào ô giải trình")
                changes.append((row, None, None, explanation))
                continue
            points = None if value is None else core.points(core_leaf(row), value)
            computed = computed_of.get(criterion_id)
            if (
                computed is not None
                and value is not None
                and points != computed
                and not overrides.get(criterion_id, "").strip()
            ):
                raise ValueError(
                    f"khác kết quả tính từ công việc ({computed} điểm): ghi lý do điều chỉnh"
                )
            if value is not None:  # kept as a number: a ratio or band as its percent
                if row.scoring in ("ratio", "bands"):
                    value = core.as_percent(value)
                elif row.scoring == "yesno":
                    value = Decimal(int(points > 0))
                else:
                    value = core.number(value)
        except ValueError as exc:
            problems[criterion_id] = f"{row.code}: {exc}".replace(
                f"{row.code}: {row.code}:", f"{row.code}:"
            )
            continue
        changes.append((row, value, points, explanation))
    if problems:
        raise EntryErrors(problems)
    for row, value, points, explanation in changes:
        Score.objects.update_or_create(
            assessment=assessment,
            criterion=row,
            defaults={
                "self_value": value,
                "self_points": points,
                "explanation": explanation,
                "not_applicable": row.pk in not_applicable,
                "override_reason": overrides.get(row.pk, "").strip(),
            },
        )
        if overrides.get(row.pk, "").strip():
            audit(
                user,
                "par-override",
                assessment,
                f"{row.code}: {points} điểm thay kết quả tính; lý do: {overrides[row.pk].strip()}",
            )
    recompute(assessment)
    audit(user, "par-self", assessment, f"Tự đánh giá {assessment}: {assessment.self_total} điểm")
    return [row.code for row, *_ in changes]


# --- the appraisal cycle --------------------------------------------------------------------
# draft → submitted → round1 → explained → locked → published. The unit self-assesses and
# submits (and may withdraw before appraisal); the council appraises round 1 and finishes it,
# which sends the result to the unit; the unit explains the criteria round 1 cut (giải trình,
# with new evidence) or accepts round 1; the council decides round 2 on what was explained and
# locks the points (chốt điểm); a locked result changes only by "mở lại" with a reason, back to
# round 2; the council publishes. Who may do what: accounts.roles (the unit: can_self_assess;
# the council: is_council).


class NotAllowed(PermissionDenied):
    """A step or an entry the user's role does not allow (a view answers 403)."""


def _require(user, who: str, assessment: Assessment, what: str) -> None:
    if who == "council":
        if user is None or not is_council(user):
            raise NotAllowed(f"Chỉ hội đồng thẩm định (lãnh đạo, quản trị) được {what}.")
    elif user is None or not can_self_assess(user, assessment):
        raise NotAllowed(f"Chỉ đơn vị {assessment.unit.name} được {what}.")


def _state_error(assessment: Assessment, what: str) -> WorkflowError:
    return WorkflowError(
        f"Không thể {what} khi bản đánh giá đang ở trạng thái “{assessment.get_status_display()}”."
    )


def appraisal_round(assessment: Assessment) -> int | None:
    """The round the council enters points for in the assessment's state (1, 2), else None."""
    return {Assessment.Status.SUBMITTED: 1, Assessment.Status.EXPLAINED: 2}.get(assessment.status)


def has_appraisal(assessment: Assessment) -> bool:
    """Round 1 is finished: the assessment has points after appraisal to show."""
    return assessment.status in (
        Assessment.Status.ROUND1,
        Assessment.Status.EXPLAINED,
        Assessment.Status.LOCKED,
        Assessment.Status.PUBLISHED,
    )


@transaction.atomic
def save_appraisal(assessment: Assessment, entries: dict[int, tuple], user) -> list[str]:
    """The council's points for the round the state is in. Entries: criterion id → (points or
    None, reason), points may be the ValueError the form met reading them. Round 1: a change of
    the unit's claim needs a reason. Round 2: only criteria the unit explained are decided again,
    each with a reason answering the giải trình; the others keep round 1. Nothing is saved when
    one entry is wrong (EntryErrors names them). Returns the codes saved."""
    _require(user, "council", assessment, "thẩm định")
    round_ = appraisal_round(assessment)
    if round_ is None:
        raise _state_error(assessment, "nhập điểm thẩm định")
    leaves = {c.pk: c for c in assessment.framework.criteria.filter(is_leaf=True)}
    scores = {s.criterion_id: s for s in assessment.scores.all()}
    problems: dict[int, str] = {}
    changes = []
    for criterion_id, (points, reason) in entries.items():
        row = leaves.get(criterion_id)
        if row is None:
            continue
        reason, current = reason.strip(), scores.get(criterion_id)
        if isinstance(points, ValueError):
            problems[criterion_id] = f"{row.code}: {points}"
        elif points is not None and not (0 <= points <= row.max_points):
            problems[criterion_id] = (
                f"{row.code}: điểm thẩm định {points} ngoài khoảng 0–{row.max_points}"
            )
        elif round_ == 1:
            claimed = current.self_points if current else None
            if points is not None and points != claimed and not reason:
                problems[criterion_id] = f"{row.code}: cần ghi lý do khi điều chỉnh điểm"
            else:
                changes.append((row, points, reason))
        elif current is None or not current.disputed:
            kept = current.round1_points if current else None
            if points is not None and points != kept:  # not explained: round 1 stands
                problems[criterion_id] = (
                    f"{row.code}: đơn vị không giải trình tiêu chí này, giữ kết quả vòng 1"
                )
        elif points is not None and not reason:
            problems[criterion_id] = (
                f"{row.code}: vòng 2 cần ghi lý do (trả lời giải trình của đơn vị)"
            )
        else:
            changes.append((row, points, reason))
    if problems:
        raise EntryErrors(problems)
    for row, points, reason in changes:
        if round_ == 1:
            values = {
                "appraised_points": points,
                "appraisal_reason": reason,
                "round1_points": points,
                "round1_reason": reason,
            }
        else:
            first = scores[row.pk]
            values = {
                "round2_points": points,
                "round2_reason": reason,
                "appraised_points": points if points is not None else first.round1_points,
                "appraisal_reason": reason if points is not None else first.round1_reason,
            }
        Score.objects.update_or_create(assessment=assessment, criterion=row, defaults=values)
    recompute(assessment)
    audit(
        user,
        f"par-appraise-{round_}",
        assessment,
        f"Thẩm định vòng {round_} {assessment}: {assessment.final_total} điểm",
    )
    return [row.code for row, *_ in changes]


@transaction.atomic
def save_adjustments(
    assessment: Assessment,
    bonus: Decimal,
    bonus_reason: str,
    penalty: Decimal,
    penalty_reason: str,
    user,
) -> None:
    """The council's bonus and penalty points, each within the framework's cap and with a
    reason when not 0 (in round 1 or round 2)."""
    _require(user, "council", assessment, "cho điểm thưởng, điểm trừ")
    if appraisal_round(assessment) is None:
        raise _state_error(assessment, "cho điểm thưởng, điểm trừ")
    stored, problems = assessment.framework, []
    for what, value, cap, reason in (
        ("Điểm thưởng", bonus, stored.bonus_max, bonus_reason),
        ("Điểm trừ", penalty, stored.penalty_max, penalty_reason),
    ):
        if value < 0:
            problems.append(f"{what} không được âm")
        elif cap is not None and value > cap:
            problems.append(f"{what} {value} vượt mức tối đa {cap} của bộ tiêu chí")
        elif cap is None and value:
            problems.append(f"Bộ tiêu chí không có {what.lower()}")
        if value and not reason.strip():
            problems.append(f"{what}: cần ghi lý do")
    if problems:
        raise WorkflowError("; ".join(problems))
    assessment.bonus, assessment.penalty = bonus, penalty
    assessment.bonus_reason, assessment.penalty_reason = (
        bonus_reason.strip(),
        penalty_reason.strip(),
    )
    assessment.save(update_fields=["bonus", "penalty", "bonus_reason", "penalty_reason"])
    audit(user, "par-adjust", assessment, f"Điểm thưởng {bonus}, điểm trừ {penalty}: {assessment}")


NOTE_LIMIT = 5000


@transaction.atomic
def save_explanations(assessment: Assessment, notes: dict[int, str], user) -> list[str]:
    """The unit's giải trình after round 1: criterion id → its explanation, only for criteria
    round 1 cut (an empty text withdraws the dispute). Nothing is saved when one is wrong.
    Returns the codes explained."""
    _require(user, "unit", assessment, "giải trình kết quả thẩm định")
    if assessment.status != Assessment.Status.ROUND1:
        raise _state_error(assessment, "giải trình")
    scores = {s.criterion_id: s for s in assessment.scores.select_related("criterion")}
    problems: dict[int, str] = {}
    for criterion_id, note in notes.items():
        current = scores.get(criterion_id)
        note = note.strip()
        if current is None or not current.disputable:
            if note:
                code = current.criterion.code if current else str(criterion_id)
                problems[criterion_id] = f"{code}: vòng 1 không giảm điểm, không cần giải trình"
        elif len(note) > NOTE_LIMIT:
            problems[criterion_id] = (
                f"{current.criterion.code}: giải trình dài quá {NOTE_LIMIT} ký tự"
            )
    if problems:
        raise EntryErrors(problems)
    explained = []
    for criterion_id, note in notes.items():
        current = scores.get(criterion_id)
        if current is not None and current.disputable:
            current.dispute_note = note.strip()
            current.save(update_fields=["dispute_note"])
            if current.dispute_note:
                explained.append(current.criterion.code)
    audit(
        user,
        "par-explain-save",
        assessment,
        f"Giải trình {assessment}: {', '.join(explained) or 'không tiêu chí nào'}",
    )
    return explained


@transaction.atomic
def add_evidence(
    assessment: Assessment,
    criterion: Criterion,
    user,
    *,
    path: str = "",
    name: str = "",
    document=None,
) -> ScoreEvidence:
    """Evidence a person attaches: with the self-assessment while it is a draft, or as new
    evidence of a giải trình (a criterion round 1 cut) while the unit explains. Never once
    the points are locked."""
    _require(user, "unit", assessment, "bổ sung minh chứng")
    if assessment.status == Assessment.Status.DRAFT:
        stage = ScoreEvidence.Stage.SELF
        score_row, _ = Score.objects.get_or_create(assessment=assessment, criterion=criterion)
    elif assessment.status == Assessment.Status.ROUND1:
        stage = ScoreEvidence.Stage.DISPUTE
        score_row = Score.objects.filter(assessment=assessment, criterion=criterion).first()
        if score_row is None or not score_row.disputable:
            raise WorkflowError(
                f"{criterion.code}: vòng 1 không giảm điểm, không bổ sung minh chứng giải trình."
            )
    else:
        raise _state_error(assessment, "bổ sung minh chứng")
    evidence = ScoreEvidence.objects.create(
        score=score_row,
        document=document,
        path=path,
        name=(name or str(document))[:255],
        user=user,
        stage=stage,
    )
    audit(user, "par-evidence", assessment, f"{criterion.code}: minh chứng {evidence.name}")
    return evidence


def recompute(assessment: Assessment) -> None:
    self_total, final_total = Decimal(0), Decimal(0)
    for s in assessment.scores.all():
        self_total += s.self_points or 0
        final_total += s.final_points or 0
    assessment.self_total, assessment.final_total = self_total, final_total
    assessment.save(update_fields=["self_total", "final_total"])


def missing_criteria(assessment: Assessment) -> list[tuple[str, str]]:
    """(code, name) of the leaves this assessment has not scored, in the framework's order.
    (The scores of THIS assessment: a filter across the relation would count another unit's.)"""
    scored = set(
        assessment.scores.filter(Q(self_points__isnull=False) | Q(not_applicable=True)).values_list(
            "criterion_id", flat=True
        )
    )
    return [
        (code, name)
        for pk, code, name in assessment.framework.criteria.filter(is_leaf=True)
        .order_by("order")
        .values_list("pk", "code", "name")
        if pk not in scored
    ]


def undecided_disputes(assessment: Assessment) -> list[str]:
    """Codes of criteria the unit explained that round 2 has not decided yet."""
    return [
        s.criterion.code
        for s in assessment.scores.filter(round2_points__isnull=True)
        .exclude(dispute_note="")
        .select_related("criterion")
        .order_by("criterion__order")
        if s.disputed
    ]


@dataclass(frozen=True)
class Step:
    source: str
    target: str
    who: str  # "unit" (can_self_assess) or "council" (is_council)
    stamp: str | None  # the <stamp>_by/<stamp>_at fields it sets
    verb: str


S = Assessment.Status
STEPS = {
    "submit": Step(S.DRAFT, S.SUBMITTED, "unit", "submitted", "Gửi thẩm định"),
    "withdraw": Step(S.SUBMITTED, S.DRAFT, "unit", None, "Rút lại để sửa"),
    "reopen": Step(S.SUBMITTED, S.DRAFT, "council", None, "Trả lại để sửa"),
    "appraise": Step(S.SUBMITTED, S.ROUND1, "council", "appraised", "Hoàn thành thẩm định vòng 1"),
    "explain": Step(S.ROUND1, S.EXPLAINED, "unit", "explained", "Gửi giải trình"),
    "accept": Step(S.ROUND1, S.EXPLAINED, "unit", "explained", "Chấp nhận kết quả vòng 1"),
    "lock": Step(S.EXPLAINED, S.LOCKED, "council", "locked", "Chốt điểm"),
    "unlock": Step(S.LOCKED, S.EXPLAINED, "council", None, "Mở lại kết quả đã chốt"),
    "publish": Step(S.LOCKED, S.PUBLISHED, "council", "published", "Công bố"),
}
del S


@transaction.atomic
def advance(
    assessment: Assessment,
    action: str,
    user,
    confirm_incomplete: bool = False,
    reason: str = "",
) -> Assessment:
    """Move the assessment one step of the cycle (STEPS), checking the user's role, the state,
    and what the step needs; audited. `reason`: required to reopen a locked result."""
    step = STEPS.get(action)
    if step is None:
        raise WorkflowError(f"Không có bước “{action}”.")
    _require(user, step.who, assessment, step.verb.lower())
    current = Assessment.objects.select_for_update().filter(pk=assessment.pk).values("status")
    assessment.status = current.get()["status"]  # what another request may have moved
    if assessment.status != step.source:
        raise _state_error(assessment, f"“{step.verb.lower()}”")
    reason = reason.strip()
    if action == "submit" and not confirm_incomplete:
        missing = missing_criteria(assessment)
        if missing:
            raise Incomplete(missing)
    explained = list(assessment.scores.exclude(dispute_note="").select_related("criterion"))
    if action == "explain" and not any(s.disputed for s in explained):
        raise WorkflowError(
            "Chưa giải trình tiêu chí nào bị giảm điểm: ghi giải trình, hoặc chọn "
            "“Chấp nhận kết quả vòng 1”."
        )
    if action == "accept" and explained:
        raise WorkflowError(
            f"Đã có giải trình cho {', '.join(s.criterion.code for s in explained)}: gửi giải "
            "trình, hoặc xoá giải trình trước khi chấp nhận kết quả vòng 1."
        )
    if action == "lock" and (undecided := undecided_disputes(assessment)):
        raise WorkflowError(
            f"Chưa thẩm định vòng 2 các tiêu chí đơn vị đã giải trình: {', '.join(undecided)}."
        )
    if action == "unlock":
        if not reason:
            raise WorkflowError("Mở lại kết quả đã chốt cần ghi lý do.")
        assessment.reopen_reason = reason
        assessment.locked_by, assessment.locked_at = None, None
    assessment.status = step.target
    if step.stamp:
        setattr(assessment, f"{step.stamp}_by", user)
        setattr(assessment, f"{step.stamp}_at", timezone.now())
    if action in ("explain", "accept"):
        assessment.accepted_round1 = action == "accept"
    if action == "appraise":  # criteria the council did not touch keep the unit's score
        recompute(assessment)
    assessment.save()
    audit(
        user,
        f"par-{action}",
        assessment,
        f"{step.verb}: {assessment}" + (f"; lý do: {reason}" if reason else ""),
    )
    _tell(assessment, action, user)
    return assessment


def _tell(assessment: Assessment, action: str, user) -> None:
    """Finishing round 1 sends the result to the unit; its giải trình goes to the appraiser."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from cchc.web.accounts.roles import UNIT_ROLES
    from cchc.web.work.notify import notify

    url = reverse("par-assessment", args=[assessment.pk])
    if action in ("appraise", "unlock"):
        text = (
            f"Kết quả thẩm định vòng 1 {assessment}: {assessment.final_total} điểm "
            f"(tự đánh giá {assessment.self_total}). Đơn vị giải trình hoặc chấp nhận kết quả."
            if action == "appraise"
            else f"Kết quả đã chốt của {assessment} được mở lại: {assessment.reopen_reason}"
        )
        people = get_user_model().objects.filter(
            profile__unit=assessment.unit, profile__role__in=UNIT_ROLES, is_active=True
        )
        for person in people:
            notify(person, f"par-{action}", text, url)
    elif action in ("explain", "accept") and assessment.appraised_by_id:
        verb = "gửi giải trình" if action == "explain" else "chấp nhận kết quả vòng 1"
        notify(assessment.appraised_by, f"par-{action}", f"{assessment.unit} {verb}.", url)


def area_points(assessment: Assessment) -> dict[str, float]:
    """The assessment's points per area (appraised where set, else claimed), whatever its
    state: for its own page, never for comparing units."""
    layout = Layout.of(to_core(assessment.framework))
    return score(layout, str(assessment.pk), values_of([assessment])[assessment.pk]).areas


def own_result(assessment: Assessment) -> OwnResult:
    """The assessment's points, maximum, index and class as its framework counts them, in any
    state (its own page; comparisons use `ranking`)."""
    stored = assessment.framework
    layout = Layout.of(to_core(stored))
    result = score(layout, str(assessment.pk), values_of([assessment])[assessment.pk])
    adj = adjusted_result(
        stored, layout, assessment, result, not_applicable_of([assessment])[assessment.pk]
    )
    return OwnResult(adj.points, adj.maximum, adj.index, classify(stored, adj.index))


@dataclass
class OwnResult:
    points: float
    maximum: float
    index: float
    classification: str


# --- ranking and weak criteria --------------------------------------------------------------


def values_of(assessments, not_applicable: dict | None = None) -> dict[int, dict[str, float]]:
    """Final points per leaf code for each assessment id, in one query; with a dict given as
    `not_applicable`, it is filled with the codes each assessment marked "không áp dụng" from
    the same rows."""
    out: dict[int, dict[str, float]] = {a.pk: {} for a in assessments}
    if not out:
        return out
    codes = dict(
        Criterion.objects.filter(framework__in={a.framework_id for a in assessments}).values_list(
            "pk", "code"
        )
    )
    # The final points as floats in SQL: the appraised points where the council set them, else
    # the unit's, read straight from the cursor. Decimals through the ORM's per-row converters
    # were most of the time for 330,000 scores, only to be turned back into floats.
    final = Cast(Coalesce("appraised_points", "self_points"), FloatField())
    query = Score.objects.filter(assessment__in=list(out)).values_list(
        "assessment_id", "criterion_id", final, "not_applicable"
    )
    sql, params = query.query.sql_with_params()
    if not_applicable is not None:
        for pk in out:
            not_applicable.setdefault(pk, set())
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(20000):
            for assessment_id, criterion_id, points, na in rows:
                if points is not None:
                    out[assessment_id][codes[criterion_id]] = float(points)
                if na and not_applicable is not None:
                    not_applicable[assessment_id].add(codes[criterion_id])
    return out


def not_applicable_of(assessments) -> dict[int, set[str]]:
    """Codes of the leaves each assessment marked "không áp dụng", in one query."""
    out: dict[int, set[str]] = {a.pk: set() for a in assessments}
    if out:
        for pk, code in Score.objects.filter(
            assessment__in=list(out), not_applicable=True
        ).values_list("assessment_id", "criterion__code"):
            out[pk].add(code)
    return out


def adjusted_result(
    stored: Framework, layout: Layout, a: Assessment, result: Result, na
) -> Adjusted:
    return adjusted(
        layout,
        result,
        na,
        float(a.bonus or 0),
        float(a.penalty or 0),
        stored.not_applicable,
        float(stored.bonus_max) if stored.bonus_max is not None else None,
        float(stored.penalty_max) if stored.penalty_max is not None else None,
    )


def classify(stored: Framework, index: float) -> str:
    for band in sorted(stored.classes or [], key=lambda b: -float(b["min"])):
        if index >= float(band["min"]):
            return band["name"]
    return ""


@dataclass
class RankRow:
    place: int
    count: int
    assessment: Assessment
    result: Result
    index: float
    change: float | None  # index points against last year, None without last year
    values: dict[str, float] = field(default_factory=dict, repr=False)  # final points per leaf
    points: float = 0.0  # with bonus, penalty and criteria that do not apply
    maximum: float = 0.0
    classification: str = ""


def ranking(stored: Framework, year: int, published_only: bool = False) -> list[RankRow]:
    """Appraised or published assessments of the framework and year, best index first, with
    the change on last year. A draft or a submission is a claim, not a result: not ranked."""
    assessments = list(
        Assessment.objects.filter(framework=stored, year=year, status__in=RESULT_STATES)
        .select_related("unit")
        .order_by("pk")
    )
    if published_only:
        assessments = [a for a in assessments if a.status == Assessment.Status.PUBLISHED]
    layout = Layout.of(to_core(stored))
    na: dict[int, set[str]] = {}
    values = values_of(assessments, na)
    by_id = {a.pk: a for a in assessments}
    results = {a.pk: score(layout, str(a.pk), values[a.pk]) for a in assessments}
    adjusted_of = {
        pk: adjusted_result(stored, layout, by_id[pk], results[pk], na[pk]) for pk in results
    }
    last = {  # last year's index, on last year's own maximum
        unit_id: float(total) * 100 / float(maximum)
        for unit_id, total, maximum in Assessment.objects.filter(
            framework__level=stored.level, year=year - 1
        )
        .filter(status__in=RESULT_STATES)
        .values_list("unit_id", "final_total", "framework__max_total")
        if maximum
    }
    rows = []
    for place, key, index in rank_by_index((str(pk), adj.index) for pk, adj in adjusted_of.items()):
        a = by_id[int(key)]
        adj = adjusted_of[a.pk]
        previous = last.get(a.unit_id)
        change = round(index - previous, 2) if previous is not None else None
        rows.append(
            RankRow(
                place,
                len(assessments),
                a,
                results[a.pk],
                index,
                change,
                values[a.pk],
                adj.points,
                adj.maximum,
                classify(stored, index),
            )
        )
    return rows


def by_group(rows: list[RankRow]) -> list[tuple[str, list[RankRow]]]:
    """The ranking split by kind of unit (sở apart from xã/phường), each group ranked on its
    own; kinds are read as the registry has them, whatever kinds it knows."""
    kinds: dict[str, list[RankRow]] = {}
    for row in rows:
        kinds.setdefault(row.assessment.unit.kind, []).append(row)
    if len(kinds) < 2:
        return []
    labels = dict(Unit.Kind.choices)
    out = []
    for kind, members in kinds.items():
        ranked, previous, place = [], None, 0
        for n, row in enumerate(members, 1):  # already best first
            if row.result.total != previous:
                place, previous = n, row.result.total
            ranked.append(
                RankRow(
                    place,
                    len(members),
                    row.assessment,
                    row.result,
                    row.index,
                    row.change,
                    row.values,
                )
            )
        out.append((labels.get(kind, kind), ranked))
    return out


def weak_criteria(
    assessment: Assessment, top: int = 10
) -> dict[str, list[tuple[Criterion, float]]]:
    """Leaves where the unit lost most points: against the best unit of its ranking, against its
    own last year, and against the maximum."""
    stored = assessment.framework
    layout = Layout.of(to_core(stored))
    rows = ranking(stored, assessment.year)
    mine = values_of([assessment])[assessment.pk]
    by_code = {c.code: c for c in stored.criteria.filter(is_leaf=True)}
    out = {"best": [], "last_year": [], "maximum": []}
    if rows and rows[0].assessment.pk != assessment.pk:
        best = values_of([rows[0].assessment])[rows[0].assessment.pk]
        out["best"] = [(by_code[c], gap) for c, gap in losses(layout, mine, best, top)]
    last = Assessment.objects.filter(
        unit=assessment.unit,
        framework__level=stored.level,
        year=assessment.year - 1,
        status__in=RESULT_STATES,
    ).first()
    if last is not None:
        previous = {c: v for c, v in values_of([last])[last.pk].items() if c in by_code}
        out["last_year"] = [(by_code[c], gap) for c, gap in losses(layout, mine, previous, top)]
    out["maximum"] = [(by_code[c], gap) for c, gap in losses(layout, mine, layout.leaf_max, top)]
    return out


def plan_section(assessment: Assessment) -> str:
    """Where improvement tasks of an assessment are filed (the plan they belong to)."""
    return f"Kế hoạch nâng cao Chỉ số CCHC {assessment.year + 1} – {assessment.unit.name}"[:200]


@transaction.atomic
def create_improvement_tasks(assessment: Assessment, items: list[dict], user) -> list[Task]:
    """Items reviewed by a person: {criterion, unit, action, deadline}; one task each."""
    tasks = []
    for item in items:
        criterion: Criterion = item["criterion"]
        task = Task.objects.create(
            unit=item["unit"],
            lead_text=item["unit"].name if item["unit"] else "",
            action=item["action"],
            deadline=item["deadline"],
            criterion=criterion,
            kind=Task.Kind.TASK,
            report_to="Phòng Nội vụ",
            created_by=user,
            section=plan_section(assessment),
            state=Task.State.CONFIRMED,  # a plan the council reviewed is work, not a proposal
        )
        audit(user, "par-plan", task, f"Nhiệm vụ nâng điểm tiêu chí {criterion.code}: {task}")
        tasks.append(task)
    return tasks


def suggested_action(criterion: Criterion, lost: float) -> str:
    return (
        f"Khắc phục hạn chế tại tiêu chí {criterion.code} “{criterion.name}” "
        f"(mất {lost:g} điểm)"
        + (f"; hoàn thiện tài liệu kiểm chứng: {criterion.evidence}" if criterion.evidence else "")
    )


# --- commitments ---------------------------------------------------------------------------


@dataclass
class CommitmentState:
    commitment: Commitment
    tasks_done: int
    tasks_total: int
    criteria_met: int
    criteria_total: int

    @property
    def fulfilled(self) -> bool:
        return self.tasks_done == self.tasks_total and self.criteria_met == self.criteria_total

    @property
    def overdue(self) -> bool:
        return not self.fulfilled and self.commitment.deadline < timezone.localdate()


def commitment_state(commitment: Commitment) -> CommitmentState:
    """Tasks finished, and criteria scored at their maximum in the unit's assessment of the year."""
    tasks = list(
        commitment.tasks.filter(state=Task.State.CONFIRMED).values_list("status", flat=True)
    )
    criteria = list(commitment.criteria.all())
    met = 0
    for criterion in criteria:
        found = Score.objects.filter(
            criterion=criterion,
            assessment__unit=commitment.unit,
            assessment__year=commitment.year,
        ).first()
        if (
            found is not None
            and found.final_points is not None
            and (found.final_points >= criterion.max_points)
        ):
            met += 1
    return CommitmentState(
        commitment, sum(s == Task.Status.DONE for s in tasks), len(tasks), met, len(criteria)
    )


def unmet_commitments(on: date | None = None) -> list[CommitmentState]:
    """Heads whose commitments are not fulfilled at their deadline."""
    on = on or timezone.localdate()
    states = [
        commitment_state(c)
        for c in Commitment.objects.filter(deadline__lt=on).select_related("unit")
    ]
    return [s for s in states if not s.fulfilled]


# --- pre-fill of many assessments (bench/par.py: 3,321 communes from 1,000,000 tasks) ---------


def _bound(stored: Framework) -> tuple[list[Criterion], set[str]]:
    """The framework's leaves bound to a known evidence rule, in its order, and those rules."""
    from cchc.web.par import evidence

    rows = [
        row
        for row in stored.criteria.filter(is_leaf=True).exclude(evidence_rule="")
        if row.evidence_rule in evidence.RULES
    ]
    return rows, {row.evidence_rule for row in rows}


@transaction.atomic
def prefill_many(assessments: list[Assessment], user=None) -> dict[int, list[str]]:
    """`prefill` for many drafts at once (a province's 3,321 communes): each rule computed for
    all their units by a few grouped queries (`evidence.compute_all`), the scores, evidence
    links, totals and audit entries written in bulk. Assessment id → the codes computed."""
    from cchc.web.par import evidence

    if any(a.status != Assessment.Status.DRAFT for a in assessments):
        raise WorkflowError("Chỉ tính sẵn được khi bản đánh giá đang tự đánh giá.")
    out: dict[int, list[str]] = {}
    groups: dict[tuple[int, int], list[Assessment]] = {}
    for a in assessments:
        groups.setdefault((a.framework_id, a.year), []).append(a)
    for (_framework, year), members in groups.items():
        rules = _bound(members[0].framework)[1]
        computed = evidence.compute_all([a.unit_id for a in members], year, rules)
        out.update(_store_prefill(members, computed, user))
    return out


def _store_prefill(
    assessments: list[Assessment], computed: dict[int, dict], user
) -> dict[int, list[str]]:
    """Write what the rules computed (unit id → rule → `evidence.Computed`) into the
    assessments of one framework: computed value and note on each bound score, the value as
    the self-assessment where no one entered one, the evidence links replaced, totals
    recomputed, one audit entry per assessment."""
    from cchc.web.accounts.models import AuditEntry, audit_entry
    from cchc.web.par import evidence
    from cchc.web.par.models import ScoreEvidence

    rows, _rules = _bound(assessments[0].framework)
    out: dict[int, list[str]] = {a.pk: [] for a in assessments}
    if not rows:
        return out
    ids = list(out)
    existing = set(
        Score.objects.filter(assessment__in=ids, criterion__in=rows).values_list(
            "assessment_id", "criterion_id"
        )
    )
    Score.objects.bulk_create(
        [
            Score(assessment_id=a.pk, criterion=row)
            for a in assessments
            for row in rows
            if (a.pk, row.pk) not in existing
        ],
        batch_size=2000,
    )
    scores = {
        (s.assessment_id, s.criterion_id): s
        for s in Score.objects.filter(assessment__in=ids, criterion__in=rows).only(
            "id", "assessment_id", "criterion_id", "self_points", "self_value", "not_applicable"
        )
    }
    items = {row.pk: rule_items(row) for row in rows}
    leaves = {row.pk: core_leaf(row) for row in rows}
    links, changed = [], []
    for a in assessments:
        for row in rows:
            found = computed[a.unit_id][row.evidence_rule]
            value = evidence.value_for(row, found, items[row.pk])
            score_row = scores[(a.pk, row.pk)]
            score_row.computed_value, score_row.computed_note = value, found.note
            if value is not None and score_row.self_points is None and not score_row.not_applicable:
                as_entered = f"{value}%" if row.scoring in ("ratio", "bands") else value
                score_row.self_points = core.points(leaves[row.pk], as_entered)
                score_row.self_value = value
            changed.append(score_row)
            links += [
                ScoreEvidence(
                    score=score_row, document=d, name=str(d)[:255], user=user, computed=True
                )
                for d in found.documents
            ]
            links += [
                ScoreEvidence(
                    score=score_row,
                    task=t,
                    name=f"Nhiệm vụ: {t.action}"[:255],
                    user=user,
                    computed=True,
                )
                for t in found.tasks
            ]
            out[a.pk].append(row.code)
    # One UPDATE per distinct outcome (most communes share a grade and its sentence): Django's
    # bulk_update of 16,000 rows builds CASE expressions that take minutes.
    same: dict[tuple, list[int]] = {}
    for s in changed:
        key = (s.computed_value, s.computed_note, s.self_points, s.self_value)
        same.setdefault(key, []).append(s.pk)
    for (value, note, points, entered), pks in same.items():
        Score.objects.filter(pk__in=pks).update(
            computed_value=value, computed_note=note, self_points=points, self_value=entered
        )
    ScoreEvidence.objects.filter(score__in=[s.pk for s in changed], computed=True).delete()
    ScoreEvidence.objects.bulk_create(links, batch_size=2000)
    _recompute_many(assessments)
    who = user if user is not None and user.is_authenticated else None
    AuditEntry.objects.bulk_create(
        audit_entry(who, "par-prefill", a, f"Tính sẵn từ công việc: {', '.join(out[a.pk])}")
        for a in assessments
        if out[a.pk]
    )
    return out


def _recompute_many(assessments: list[Assessment]) -> None:
    """`recompute` for many assessments, in one UPDATE: each total the sum of its scores (the
    appraised points where set for the final one), 0 without scores."""
    from django.db.models import OuterRef, Subquery, Sum, Value

    total = Assessment._meta.get_field("self_total")

    def summed(expression):
        per_assessment = (
            Score.objects.filter(assessment=OuterRef("pk"))
            .order_by()
            .values("assessment")
            .annotate(total=Sum(expression, output_field=total))
            .values("total")
        )
        return Coalesce(Subquery(per_assessment), Value(Decimal(0)), output_field=total)

    ids = [a.pk for a in assessments]
    Assessment.objects.filter(pk__in=ids).update(
        self_total=summed("self_points"),
        final_total=summed(Coalesce("appraised_points", "self_points")),
    )
    stored = {
        pk: (own, final)
        for pk, own, final in Assessment.objects.filter(pk__in=ids).values_list(
            "pk", "self_total", "final_total"
        )
    }
    for a in assessments:
        a.self_total, a.final_total = stored[a.pk]
