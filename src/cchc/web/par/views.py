"""Pages of the PAR INDEX: frameworks, assessments, ranking and charts, improvement plans,
commitments and report drafts."""

from __future__ import annotations

import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cchc.errors import CchcError
from cchc.par import framework as core
from cchc.web.accounts.models import Unit
from cchc.web.accounts.roles import can_make_reports, can_self_assess, is_council
from cchc.web.documents.models import Document, number_key
from cchc.web.documents.store import UploadRejected, safe_name, store_file
from cchc.web.forms import DayField
from cchc.web.par import charts, reports, services
from cchc.web.par.forms import (
    ChartQuery,
    CommitmentForm,
    OpenAssessmentForm,
    ReportQuery,
    first_error,
)
from cchc.web.par.models import Assessment, Commitment, Criterion, Framework, ScoreEvidence
from cchc.web.params import InvalidRequest, as_id, id_param, year_param
from cchc.web.work.models import Task
from cchc.web.work.services import attachment

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _council(user) -> bool:
    """Leaders and admins act as the appraisal council and run frameworks and plans."""
    return is_council(user)


def _require_council(user) -> None:
    if not _council(user):
        raise PermissionDenied("Chỉ lãnh đạo hoặc quản trị được làm việc này.")


def _may_self_assess(user, assessment: Assessment) -> bool:
    return can_self_assess(user, assessment)


CHART_UNITS = 30  # bars in the ranking page's chart


RANKING_PAGE = 200  # rows of the ranking table per page


def overview(request):
    frameworks = list(Framework.objects.all())
    scorable = [f for f in frameworks if f.scorable and f.assessments.exists()]
    chosen = None
    if (framework := id_param(request.GET, "framework", "bộ tiêu chí")) is not None:
        chosen = get_object_or_404(Framework, pk=framework)
    elif scorable:  # the first with results to rank, else the first assessed at all
        ranked = (
            f for f in scorable if f.assessments.filter(status__in=services.RESULT_STATES).exists()
        )
        chosen = next(ranked, scorable[0])
    years = []
    rows = []
    pending = []
    year = None
    if chosen is not None:
        years = sorted(set(chosen.assessments.values_list("year", flat=True)), reverse=True)
        scored = sorted(
            set(
                chosen.assessments.exclude(status=Assessment.Status.DRAFT).values_list(
                    "year", flat=True
                )
            ),
            reverse=True,
        )
        year = year_param(request.GET, default=(scored or years or [None])[0])
        if year is not None:
            rows = services.ranking(chosen, year)
            pending = list(
                chosen.assessments.filter(year=year)
                .exclude(status__in=services.RESULT_STATES)
                .select_related("unit")
                .only("pk", "status", "unit__name", "year")
            )
    chart = ""
    if rows:
        # The page's chart: the leading units only. Bars for 3,321 communes are a figure metres
        # tall that no one reads, and drawing it took most of the page's time (bench/par.py);
        # the table below ranks them all.
        shown = rows[:CHART_UNITS]
        title = f"{len(shown)} đơn vị dẫn đầu / {len(rows)}" if len(rows) > len(shown) else ""
        chart = charts.render(
            charts.ranking_bars(
                [r.assessment.unit.name for r in shown], [r.index for r in shown], title=title
            ),
            "svg",
        ).decode()
    groups = services.by_group(rows)
    group = request.GET.get("nhom", "")
    if group and group not in dict(groups):
        raise InvalidRequest(f"nhom: `{group[:40]}` không phải một nhóm đơn vị của bảng xếp hạng.")
    # a page of the ranking (all units, or one group ranked on its own): every unit is ranked,
    # but a province's 3,321 communes are not one page to read or to draw
    shown = Paginator(dict(groups)[group] if group else rows, RANKING_PAGE)
    return render(
        request,
        "par/overview.html",
        {
            "frameworks": frameworks,
            "chosen": chosen,
            "years": years,
            "year": year,
            "rows": rows,
            "page": shown.get_page(request.GET.get("trang")),
            "group": group,
            "groups": [label for label, _members in groups],
            "pending": pending,
            "chart": chart,
            "council": _council(request.user),
            "this_year": timezone.localdate().year,
        },
    )


@require_POST
def import_framework(request):
    _require_council(request.user)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(
            request, "Chưa chọn tệp bộ tiêu chí (Quyết định .docx/.pdf, .xlsx hoặc .yaml)."
        )
        return redirect("par")
    name = safe_name(upload.name)
    overrides = {  # what the form says wins over what the sheet says
        "level": request.POST.get("level") or None,
        "year": year_param(request.POST),
        "name": request.POST.get("name", "").strip() or None,
    }
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        head = b""  # a PDF is a decision whatever its name says
        with path.open("wb") as out:
            for chunk in upload.chunks():
                head = head or chunk[:4]
                out.write(chunk)
        try:
            if name.lower().endswith((".yaml", ".yml")):
                data = core.load_yaml(path)
                for field, value in overrides.items():
                    if value is not None:
                        setattr(data, field, value)
            elif name.lower().endswith((".docx", ".pdf")) or head == b"%PDF":
                data = core.load_decision(path, **overrides)
            else:
                data = core.load_excel(path, **overrides)
            stored = services.import_framework(data, request.user)
        except CchcError as exc:  # its message starts with the temporary path: not shown
            messages.error(request, f"{name}: {exc.detail or exc.problem}")
            return redirect("par")
        except (services.WorkflowError, ValueError) as exc:
            messages.error(request, f"{name}: {exc}")
            return redirect("par")
    messages.success(
        request, f"Đã nhập bộ tiêu chí “{stored.name}” ({stored.criteria.count()} mục)."
    )
    return redirect("par-framework", pk=stored.pk)


def framework_page(request, pk: int):
    stored = get_object_or_404(Framework, pk=pk)
    return render(
        request,
        "par/framework.html",
        {
            "framework": stored,
            "criteria": stored.criteria.select_related("unit"),
            "council": _council(request.user),
            "units": Unit.objects.active(),
            "this_year": timezone.localdate().year,
        },
    )


def framework_excel(request, pk: int):
    stored = get_object_or_404(Framework, pk=pk)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bo-tieu-chi.xlsx"
        core.to_excel(services.to_core(stored), path)
        data = path.read_bytes()
    return _download(data, XLSX, f"bo-tieu-chi-{stored.pk}.xlsx")


def _download(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
def open_assessment(request):
    _require_council(request.user)
    form = OpenAssessmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        if "framework" in form.cleaned_data:
            return _status(framework_page(request, form.cleaned_data["framework"].pk), 400)
        return _status(overview(request), 400)
    stored, year = form.cleaned_data["framework"], form.cleaned_data["year"]
    try:
        opened = [services.open_assessment(stored, u, year) for u in form.cleaned_data["units"]]
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect("par-framework", pk=stored.pk)
    messages.success(request, f"Đã mở {len(opened)} bản đánh giá năm {year}.")
    return redirect("par-assessment", pk=opened[0].pk)


def _status(response: HttpResponse, status: int) -> HttpResponse:
    response.status_code = status
    return response


def _decimal(text: str) -> Decimal | None:
    try:
        return core.entered_value(text)
    except ValueError as exc:
        raise services.WorkflowError(str(exc)) from exc


def _typed(criterion: Criterion, text: str):
    """The form's value for a criterion, or the ValueError saying why it cannot be read (the
    service names the criterion; the form marks its field)."""
    try:
        return core.form_value(services.core_leaf(criterion), text)
    except ValueError as exc:
        return exc


class _Row:
    """One line of the assessment table: the criterion, its score, and what the form shows
    (what was typed when the form comes back with an error, else what is stored)."""

    def __init__(self, criterion, score, posted=None, error="", kept=(), judged=None, dispute=None):
        self.c, self.s, self.error, self.kept = criterion, score, error, list(kept)
        self.posted = posted is not None
        if posted is not None:
            self.value, self.note, self.doc, self.na, self.override = posted
        else:
            value = score.self_value if score is not None else None
            self.value = "" if value is None else _plain(value)
            self.note = score.explanation if score is not None else ""
            self.doc = ""
            self.na = bool(score and score.not_applicable)
            self.override = score.override_reason if score is not None else ""
        # the council's entry of the round in progress: as typed, or as stored
        if judged is not None:
            self.judged, self.judged_reason = judged
        elif score is not None and score.round2_points is not None:
            self.judged, self.judged_reason = _plain(score.round2_points), score.round2_reason
        elif score is not None and score.appraised_points is not None and not score.disputed:
            self.judged, self.judged_reason = _plain(score.appraised_points), score.appraisal_reason
        else:
            self.judged, self.judged_reason = "", ""
        # the unit's giải trình: as typed with the files kept, or as stored
        self.dispute_kept: list[dict] = []
        if dispute is not None:
            self.dispute, self.dispute_kept = dispute
        else:
            self.dispute = score.dispute_note if score is not None else ""
        self.disputable = bool(score and score.disputable)
        self.evidence = list(score.evidence.all()) if score is not None else []
        self.computed = (
            _plain(score.computed_value)
            if score is not None and score.computed_value is not None
            else ""
        )
        self.rule = core.rule_text(services.core_leaf(criterion)) if criterion.rule else ""
        chosen = core.entered_value(self.value) if self.value and criterion.rule else None
        self.options = [
            (_plain(Decimal(i["points"])), i["label"], chosen == Decimal(i["points"]))
            for i in (criterion.rule if criterion.scoring == "options" else [])
        ]


def _plain(value: Decimal) -> str:
    """A stored value as the form shows it: 1.500 → "1,5"."""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def assessment_page(request, pk: int):
    assessment = _assessment(pk)
    if request.method == "POST":
        return _save_assessment(request, assessment)
    return _assessment_view(request, assessment)


def _assessment(pk: int) -> Assessment:
    return get_object_or_404(
        Assessment.objects.select_related(
            "framework",
            "unit",
            "submitted_by",
            "appraised_by",
            "explained_by",
            "locked_by",
            "published_by",
        ),
        pk=pk,
    )


def _assessment_view(
    request,
    assessment,
    posted=None,
    errors=None,
    kept=None,
    missing=None,
    judged=None,
    disputes=None,
    adjust=None,
):
    """The assessment page; after an error, `posted`/`kept` (self-assessment), `judged` (the
    council's points and reasons) or `disputes` (the unit's giải trình and its files) carry what
    was typed so nothing is lost, `errors` marks the fields."""
    posted, errors, kept = posted or {}, errors or {}, kept or {}
    judged, disputes = judged or {}, disputes or {}
    scores = {
        s.criterion_id: s
        for s in assessment.scores.prefetch_related("evidence__document", "evidence__task")
    }
    rows = [
        _Row(
            c,
            scores.get(c.pk),
            posted.get(c.pk),
            errors.get(c.pk, ""),
            kept.get(c.pk, ()),
            judged.get(c.pk),
            disputes.get(c.pk),
        )
        for c in assessment.framework.criteria.select_related("unit")
    ]
    final = assessment.status in services.RESULT_STATES
    ranked = services.ranking(assessment.framework, assessment.year) if final else []
    mine = next((r for r in ranked if r.assessment.pk == assessment.pk), None)
    areas = list(assessment.framework.criteria.filter(depth=0))
    own = services.area_points(assessment)
    own_result = services.own_result(assessment)
    council = _council(request.user)
    unit_side = _may_self_assess(request.user, assessment)
    status = assessment.status
    rounds = status not in (Assessment.Status.DRAFT, Assessment.Status.SUBMITTED)
    return render(
        request,
        "par/assessment.html",
        {
            "assessment": assessment,
            "rows": rows,
            "rank": mine,
            "appraised": services.has_appraisal(assessment),
            "final": final,
            "own": own_result,
            "areas": [(a, own.get(a.code, 0)) for a in areas],
            "errors": errors,
            "general_error": errors.get(0, ""),
            "adjust": {
                "bonus": _plain(assessment.bonus),
                "bonus_reason": assessment.bonus_reason,
                "penalty": _plain(assessment.penalty),
                "penalty_reason": assessment.penalty_reason,
                **(adjust or {}),
            },
            "missing": missing,
            "can_self": unit_side and status == Assessment.Status.DRAFT,
            "round": services.appraisal_round(assessment) if council else None,
            # the council may act for a unit, but the giải trình form is the unit's
            "can_explain": unit_side and not council and status == Assessment.Status.ROUND1,
            "rounds": rounds,
            "columns": 7 if rounds else 5,
            "council": council,
            "may_submit": unit_side,
        },
        status=400 if errors else 200,
    )


def _save_assessment(request, assessment: Assessment):
    """One POST of the assessment page: its `action` says what. The services check the role
    (403) and the state (a message)."""
    if not _may_self_assess(request.user, assessment):  # neither its unit nor the council
        raise PermissionDenied("Bạn chỉ làm việc được với bản đánh giá của đơn vị mình.")
    action = request.POST.get("action", "")
    leaves = list(assessment.framework.criteria.filter(is_leaf=True))
    try:
        if action == "self":
            return _save_self(request, assessment, leaves)
        if action in ("explain-save", "explain"):
            return _save_explanations(request, assessment, leaves, send=action == "explain")
        if action == "appraise-scores":
            return _save_appraisal(request, assessment, leaves)
        if action == "prefill":
            codes = services.prefill(assessment, request.user)
            messages.success(
                request,
                f"Đã tính sẵn {len(codes)} tiêu chí từ công việc đã theo dõi"
                + (f": {', '.join(codes)}." if codes else "."),
            )
        elif action in services.STEPS:
            confirm = request.POST.get("confirm") == "1"
            try:
                services.advance(
                    assessment,
                    action,
                    request.user,
                    confirm_incomplete=confirm,
                    reason=request.POST.get("reason", ""),
                )
            except services.Incomplete as exc:  # ask before sending an incomplete assessment
                return _assessment_view(request, assessment, missing=exc.missing)
            messages.success(request, f"Trạng thái: {assessment.get_status_display()}.")
        elif action:
            messages.error(request, f"Không có thao tác “{action[:40]}”.")
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
    return redirect("par-assessment", pk=assessment.pk)


def _points(text: str):
    """The council's points as typed: a number, None when empty, or the ValueError saying why
    it cannot be read (the service names the criterion; the form marks the field)."""
    try:
        return core.entered_value(text)
    except ValueError as exc:
        return exc


def _save_appraisal(request, assessment: Assessment, leaves):
    """The council's points of the round in progress (and bonus/penalty): all saved or, on an
    error, the form back with everything typed and the wrong fields marked."""
    judged = {
        c.pk: (
            request.POST.get(f"appraised-{c.pk}", "").strip(),
            request.POST.get(f"reason-{c.pk}", ""),
        )
        for c in leaves
        if f"appraised-{c.pk}" in request.POST
    }
    entries = {pk: (_points(text), reason) for pk, (text, reason) in judged.items()}
    try:
        with transaction.atomic():
            services.save_appraisal(assessment, entries, request.user)
            if "bonus" in request.POST or "penalty" in request.POST:
                services.save_adjustments(
                    assessment,
                    _decimal(request.POST.get("bonus", "")) or Decimal(0),
                    request.POST.get("bonus_reason", ""),
                    _decimal(request.POST.get("penalty", "")) or Decimal(0),
                    request.POST.get("penalty_reason", ""),
                    request.user,
                )
    except services.WorkflowError as exc:
        messages.error(request, f"Chưa lưu: {exc}. Các ô đã nhập vẫn được giữ.")
        errors = exc.by_criterion if isinstance(exc, services.EntryErrors) else {0: str(exc)}
        assessment.refresh_from_db()
        adjust = {  # shown as typed
            f: request.POST[f]
            for f in ("bonus", "bonus_reason", "penalty", "penalty_reason")
            if f in request.POST
        }
        return _assessment_view(request, assessment, errors=errors, judged=judged, adjust=adjust)
    messages.success(request, "Đã lưu điểm thẩm định.")
    return redirect("par-assessment", pk=assessment.pk)


def _save_explanations(request, assessment: Assessment, leaves, send: bool):
    """The unit's giải trình after round 1: per criterion round 1 cut, its explanation and new
    evidence files; `send` also sends it to the council. On an error nothing is saved and the
    form comes back with every text and file kept."""
    notes = {
        c.pk: request.POST.get(f"dispute-{c.pk}", "")
        for c in leaves
        if f"dispute-{c.pk}" in request.POST
    }
    files = _kept_files(request, leaves, "dispute")
    by_pk = {c.pk: c for c in leaves}
    try:
        with transaction.atomic():
            services.save_explanations(assessment, notes, request.user)
            for pk, items in files.items():
                for item in items:
                    services.add_evidence(
                        assessment, by_pk[pk], request.user, path=item["path"], name=item["name"]
                    )
            if send:
                services.advance(assessment, "explain", request.user)
    except services.WorkflowError as exc:
        messages.error(request, f"Chưa lưu: {exc}. Giải trình và tệp đã chọn vẫn được giữ.")
        errors = exc.by_criterion if isinstance(exc, services.EntryErrors) else {0: str(exc)}
        assessment.refresh_from_db()
        _sign(files)
        disputes = {pk: (notes.get(pk, ""), files.get(pk, [])) for pk in set(notes) | set(files)}
        return _assessment_view(request, assessment, errors=errors, disputes=disputes)
    messages.success(
        request, "Đã gửi giải trình tới hội đồng thẩm định." if send else "Đã lưu giải trình."
    )
    return redirect("par-assessment", pk=assessment.pk)


def _kept_files(request, leaves, prefix: str = "") -> dict[int, list[dict]]:
    """Per criterion: the files kept by a form that came back (signed references) and the
    files uploaded now (stored)."""
    kept: dict[int, list[dict]] = {}
    for c in leaves:
        carried = [_unsign(v) for v in request.POST.getlist(f"{prefix}kept-{c.pk}")]
        kept[c.pk] = [k for k in carried if k]
        for upload in request.FILES.getlist(f"{prefix}files-{c.pk}"):
            try:
                _sha, relative, _size, _kind = store_file(upload.chunks(), safe_name(upload.name))
            except UploadRejected as exc:
                messages.error(request, str(exc))
                continue
            kept[c.pk].append({"path": relative, "name": safe_name(upload.name)})
    return {pk: items for pk, items in kept.items() if items}


def _sign(kept: dict[int, list[dict]]) -> None:
    for items in kept.values():
        for item in items:
            item["token"] = signing.dumps(
                {"path": item["path"], "name": item["name"]}, salt=EVIDENCE_SALT
            )


def _save_self(request, assessment: Assessment, leaves):
    """Save the self-assessment; on a wrong value, the form comes back with everything typed
    and every file attached kept (the files stored, carried as signed references), the wrong
    field marked, and nothing saved."""
    typed = {
        c.pk: (
            request.POST.get(f"value-{c.pk}", ""),
            request.POST.get(f"note-{c.pk}", "").strip(),
            request.POST.get(f"doc-{c.pk}", "").strip(),
            f"na-{c.pk}" in request.POST,
            request.POST.get(f"override-{c.pk}", "").strip(),
        )
        for c in leaves
        if (f"value-{c.pk}" in request.POST or f"na-{c.pk}" in request.POST)
        and c.method != Criterion.Method.SURVEY  # scored by the survey (survey.apply_results)
    }
    kept = _kept_files(request, leaves)
    by_pk = {c.pk: c for c in leaves}
    entries = {pk: (_typed(by_pk[pk], t[0]), t[1]) for pk, t in typed.items()}
    not_applicable = {pk for pk, t in typed.items() if t[3]}
    overrides = {pk: t[4] for pk, t in typed.items() if t[4]}
    try:
        with transaction.atomic():
            services.save_self_assessment(
                assessment, entries, request.user, not_applicable, overrides
            )
            _save_evidence(request, assessment, leaves, kept)
    except services.EntryErrors as exc:
        messages.error(
            request, "Chưa lưu: " + str(exc) + ". Các ô khác và tệp đã chọn vẫn được giữ."
        )
        _sign(kept)
        return _assessment_view(request, assessment, typed, exc.by_criterion, kept)
    messages.success(request, "Đã lưu bản tự đánh giá.")
    return redirect("par-assessment", pk=assessment.pk)


EVIDENCE_SALT = "par-kept-evidence"


def _unsign(token: str) -> dict | None:
    """A file kept by a form that came back with an error; None if the reference was forged."""
    try:
        item = signing.loads(token, salt=EVIDENCE_SALT, max_age=24 * 3600)
    except signing.BadSignature:
        return None
    if not isinstance(item, dict) or not {"path", "name"} <= item.keys():
        return None
    return {"path": str(item["path"]), "name": str(item["name"])}


def _save_evidence(request, assessment: Assessment, leaves, kept) -> None:
    """Per criterion: a number of an ingested document to link, and the files stored."""
    for criterion in leaves:
        number = request.POST.get(f"doc-{criterion.pk}", "").strip()
        files = kept.get(criterion.pk, [])
        if not assessment.scores.filter(criterion=criterion).exists() or not (number or files):
            continue
        if number:
            doc = Document.objects.filter(number_key=number_key(number)).first()
            if doc is None:
                messages.warning(
                    request, f"{criterion.code}: chưa có văn bản số {number} trong sổ."
                )
            else:
                services.add_evidence(assessment, criterion, request.user, document=doc)
        for item in files:
            services.add_evidence(
                assessment, criterion, request.user, path=item["path"], name=item["name"]
            )


def score_evidence_file(request, pk: int):
    evidence = get_object_or_404(ScoreEvidence, pk=pk)
    return attachment(evidence.path, evidence.name)


def weak_page(request, pk: int):
    """Weak criteria of an assessment and the improvement plan a person reviews before creating."""
    assessment = get_object_or_404(Assessment.objects.select_related("framework", "unit"), pk=pk)
    weak = services.weak_criteria(assessment)
    if request.method == "POST":
        _require_council(request.user)
        items, problems = [], []
        for cid in request.POST.getlist("criterion"):
            cid = as_id(cid, "tiêu chí")
            criterion = get_object_or_404(Criterion, pk=cid, framework=assessment.framework)
            unit_id = id_param(request.POST, f"unit-{cid}", "đơn vị")
            try:
                deadline = DayField().clean(request.POST.get(f"deadline-{cid}", ""))
            except ValidationError as exc:
                problems.append(f"{criterion.code}: {' '.join(exc.messages)}")
                continue
            action = request.POST.get(f"action-{cid}", "").strip()
            if not action:
                problems.append(f"{criterion.code}: thiếu nội dung nhiệm vụ")
                continue
            unit = Unit.objects.filter(pk=unit_id).first() if unit_id is not None else None
            items.append(
                {"criterion": criterion, "unit": unit, "action": action, "deadline": deadline}
            )
        if problems or not items:
            messages.error(request, "; ".join(problems) or "Chưa chọn tiêu chí nào.")
        else:
            tasks = services.create_improvement_tasks(assessment, items, request.user)
            messages.success(
                request, f"Đã tạo {len(tasks)} nhiệm vụ nâng điểm; xem ở bảng công việc."
            )
            return redirect("par-weak", pk=assessment.pk)
    # every weak criterion once, the largest loss first, with a proposed task to review
    planned = Task.work.filter(section=services.plan_section(assessment)).select_related(
        "unit", "criterion"
    )
    proposals, seen = [], set(planned.values_list("criterion_id", flat=True))
    for kind in ("best", "last_year", "maximum"):
        for criterion, lost in weak[kind]:
            if criterion.pk not in seen:
                seen.add(criterion.pk)
                proposals.append(
                    {
                        "criterion": criterion,
                        "lost": lost,
                        "against": kind,
                        "unit": criterion.unit_id,
                        "action": services.suggested_action(criterion, lost),
                    }
                )
    deadline = date(assessment.year + 1, 6, 30)
    return render(
        request,
        "par/weak.html",
        {
            "assessment": assessment,
            "weak": weak,
            "proposals": proposals[:15],
            "units": Unit.objects.active(),
            "deadline": deadline,
            "planned": planned,
            "council": _council(request.user),
        },
    )


def chart(request, kind: str, fmt: str):
    """Charts as PNG (download) or SVG: ranking of a framework-year, radar and trend of a unit."""
    if fmt not in ("png", "svg"):
        raise Http404
    query = ChartQuery(request.GET)
    if not query.is_valid():
        return HttpResponseBadRequest(first_error(query), content_type="text/plain; charset=utf-8")
    params = query.cleaned_data
    if kind == "xep-hang":
        stored = get_object_or_404(Framework, pk=params["framework"])
        year = params["year"] or 0
        rows = services.ranking(stored, year)
        fig = charts.ranking_bars(
            [r.assessment.unit.name for r in rows],
            [r.index for r in rows],
            title=f"Xếp hạng Chỉ số CCHC năm {year}",
        )
    elif kind == "ra-da":
        assessment = get_object_or_404(Assessment, pk=params["assessment"])
        fig = charts.radar(*_radar_series(assessment), title=str(assessment))
    elif kind == "xu-huong":
        unit = get_object_or_404(Unit, pk=params["unit"])
        fig = charts.trend(*_trend_series(unit), title=f"Chỉ số CCHC qua các năm – {unit.name}")
    else:
        raise Http404
    data = charts.render(fig, fmt)
    if fmt == "svg":
        response = HttpResponse(data, content_type="image/svg+xml")
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
        return response
    return _download(data, "image/png", f"{kind}.png")


def _radar_series(assessment: Assessment):
    """The assessment's own areas (whatever its state: the unit sees its claim) and the best
    appraised result of its ranking."""
    areas = [a for a in assessment.framework.criteria.filter(depth=0) if a.max_points]
    own = services.area_points(assessment)
    series = {str(assessment.unit): [100 * own.get(a.code, 0) / float(a.max_points) for a in areas]}
    rows = services.ranking(assessment.framework, assessment.year)
    if rows and rows[0].assessment.pk != assessment.pk:
        series[f"{rows[0].assessment.unit} (cao nhất)"] = [
            100 * rows[0].result.areas.get(a.code, 0) / float(a.max_points) for a in areas
        ]
    return [a.name for a in areas], series


def _trend_series(unit: Unit):
    """The unit's index per year, from appraised or published results only: a year not
    assessed (or still a draft) is absent, not 0."""
    assessments = (
        Assessment.objects.filter(unit=unit, status__in=services.RESULT_STATES)
        .select_related("framework")
        .order_by("year")
    )
    years = sorted({a.year for a in assessments if a.framework.max_total})
    by_year = {
        a.year: float(a.final_total) * 100 / float(a.framework.max_total)
        for a in assessments
        if a.framework.max_total
    }
    return years, {unit.name: [by_year.get(y) for y in years]}


def unit_trend_page(request, pk: int):
    unit = get_object_or_404(Unit, pk=pk)
    assessments = list(Assessment.objects.filter(unit=unit).select_related("framework"))
    years, series = _trend_series(unit)
    chart = charts.render(charts.trend(years, series), "svg").decode() if years else ""
    return render(
        request, "par/trend.html", {"unit": unit, "chart": chart, "assessments": assessments}
    )


def commitments_page(request):
    if request.method == "POST":
        _require_council(request.user)
        form = CommitmentForm(request.POST)
        if not form.is_valid():
            messages.error(request, first_error(form))
            return _status(_commitments(request), 400)
        data = form.cleaned_data
        unit = data["unit"]
        commitment = Commitment.objects.create(
            unit=unit,
            year=data["year"],
            head_name=data["head_name"].strip(),
            head_title=data["head_title"].strip(),
            signed_on=data["signed_on"],
            deadline=data["deadline"],
            created_by=request.user,
        )
        commitment.criteria.set(data["criteria"])
        commitment.tasks.set([t for t in data["tasks"] if t.unit_id == unit.pk])
        messages.success(request, f"Đã ghi {commitment}.")
        return redirect("par-commitments")
    return _commitments(request)


def _commitments(request) -> HttpResponse:
    states = [
        services.commitment_state(c)
        for c in Commitment.objects.select_related("unit").prefetch_related("criteria", "tasks")
    ]
    return render(
        request,
        "par/commitments.html",
        {
            "states": states,
            "unmet": services.unmet_commitments(),
            "units": Unit.objects.active(),
            "council": _council(request.user),
            "criteria": Criterion.objects.filter(
                is_leaf=True, framework__max_total__isnull=False
            ).select_related("framework")[:300],
            "tasks": Task.work.exclude(unit=None)
            .filter(Q(criterion__isnull=False) | Q(kind=Task.Kind.COMMITMENT))
            .select_related("unit")[:300],
            "this_year": timezone.localdate().year,
        },
    )


def reports_page(request):
    """Report drafts: the periodic CCHC report of a period, the index results of a year. For
    leaders (they sign them), not every reader."""
    if not can_make_reports(request.user):
        raise PermissionDenied("Chỉ lãnh đạo hoặc quản trị được lập báo cáo.")
    if "report" in request.GET:
        query = ReportQuery(request.GET)
        if not query.is_valid():
            messages.error(request, f"Không lập được báo cáo: {first_error(query)}")
            return _status(_reports_form(request), 400)
        params = query.cleaned_data
        year, fmt = params["year"], params["format"] or "docx"
        try:
            if params["report"] == "dinh-ky":
                period = params["period"] or "Q1"
                draft, tables = reports.periodic_report(year, period, request.user)
                name = f"bao-cao-cchc-{period.lower()}-{year}"
            else:
                stored = get_object_or_404(Framework, pk=params["framework"])
                draft, tables = reports.index_report(stored, year, request.user)
                name = f"ket-qua-chi-so-cchc-{year}"
        except (KeyError, ValueError) as exc:
            messages.error(request, f"Không lập được báo cáo: {exc}")
            return redirect("par-reports")
        data = reports.to_bytes(draft, tables, fmt)
        return _download(data, DOCX if fmt == "docx" else XLSX, f"{name}.{fmt}")
    return _reports_form(request)


def _reports_form(request) -> HttpResponse:
    frameworks = [f for f in Framework.objects.all() if f.scorable and f.assessments.exists()]
    return render(
        request,
        "par/reports.html",
        {
            "periods": reports.PERIODS,
            "frameworks": frameworks,
            "this_year": timezone.localdate().year,
        },
    )
