"""Pages of the sociological survey: the council's rounds, codes and results (log-in, council
only), and the public questionnaire a respondent opens with a one-time code (no log-in)."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cchc.web.accounts.models import Unit
from cchc.web.accounts.roles import can_run_survey
from cchc.web.par.models import Criterion, Framework
from cchc.web.params import InvalidRequest, as_id, id_param, int_param, year_param
from cchc.web.survey import services
from cchc.web.survey.models import Group, Question, SurveyRound


def _require_council(user) -> None:
    if not can_run_survey(user):
        raise PermissionDenied("Chỉ lãnh đạo hoặc quản trị được làm việc với đợt khảo sát.")


# --- the council's pages -------------------------------------------------------------------


def _survey_frameworks():
    return (
        Framework.objects.filter(criteria__is_leaf=True, criteria__method=Criterion.Method.SURVEY)
        .distinct()
        .only("pk", "name", "year", "level")
    )


@require_http_methods(["GET", "POST"])
def rounds_page(request):
    _require_council(request.user)
    if request.method == "POST":
        framework = id_param(request.POST, "framework", "bộ tiêu chí")
        unit = id_param(request.POST, "unit", "đơn vị")
        year = year_param(request.POST)
        group = request.POST.get("group", "")
        if framework is None or unit is None or year is None or not group:
            messages.error(request, "Chọn bộ tiêu chí, đơn vị, năm và nhóm đối tượng khảo sát.")
            return redirect("survey-rounds")
        stored = get_object_or_404(Framework, pk=framework)
        target = get_object_or_404(Unit, pk=unit)
        try:
            survey = services.create_round(stored, target, year, group, request.user)
        except services.SurveyError as exc:
            messages.error(request, str(exc))
            return redirect("survey-rounds")
        messages.success(request, f"Đã mở {survey}. Sửa câu hỏi nếu cần, rồi tạo mã phát phiếu.")
        return redirect("survey-round", survey.pk)
    rounds = (
        SurveyRound.objects.select_related("unit", "framework")
        .only("pk", "year", "group", "status", "unit__name", "framework__name")
        .annotate(
            code_count=Count("codes", distinct=True),
            reply_count=Count("replies", distinct=True),
        )
    )
    return render(
        request,
        "survey/rounds.html",
        {
            "rounds": rounds,
            "frameworks": _survey_frameworks(),
            "units": Unit.objects.active().only("pk", "name"),
            "groups": Group.choices,
            "year": timezone.localdate().year,
        },
    )


def _round(pk: int) -> SurveyRound:
    return get_object_or_404(SurveyRound.objects.select_related("framework", "unit"), pk=pk)


@require_http_methods(["GET", "POST"])
def round_page(request, pk: int):
    _require_council(request.user)
    survey = _round(pk)
    if request.method == "POST":
        return _act(request, survey)
    codes = survey.codes.aggregate(
        total=Count("pk"), used=Count("pk", filter=Q(used_at__isnull=False))
    )
    assessment = services.assessment_for(survey)
    current = {}
    if assessment is not None:
        current = {
            s.criterion_id: s
            for s in assessment.scores.filter(criterion__method="survey").only(
                "criterion_id", "self_points", "appraised_points"
            )
        }
    criteria = [
        (r, current.get(r.criterion.pk))
        for r in services.criterion_results(survey.framework, survey.unit, survey.year)
    ]
    questions = services.round_results(survey)
    for r in questions:
        r.question.options_lines = services.options_text(r.question)
    return render(
        request,
        "survey/round.html",
        {
            "survey": survey,
            "questions": questions,
            "editable": not survey.replies.exists(),
            "codes": codes,
            "assessment": assessment,
            "criteria": criteria,
            "refused": assessment is not None and assessment.status not in services.OPEN_STATES,
            "max_codes": services.MAX_CODES,
        },
    )


def _vn(number) -> str:
    """A decimal as Vietnamese pages write it (1,16)."""
    return str(number).replace(".", ",")


def _act(request, survey: SurveyRound):
    action = request.POST.get("action", "")
    try:
        if action == "codes":
            count = int_param(request.POST, "count", "Số mã", 1, services.MAX_CODES, 0)
            if not count:
                raise services.SurveyError("Nhập số mã cần tạo.")
            services.generate_codes(survey, count, request.user)
            messages.success(request, f"Đã tạo {count} mã. In danh sách mã để phát phiếu.")
        elif action == "question":
            question_id = as_id(request.POST.get("question", ""), "câu hỏi")
            question = get_object_or_404(Question, pk=question_id, round=survey)
            text = request.POST.get("text", "")
            options = request.POST.get("options", "")
            if len(text) > services.MAX_QUESTION * 2 or len(options) > 4000:
                raise services.SurveyError("Nội dung câu hỏi hoặc phương án quá dài.")
            services.update_question(question, text, options, request.user)
            messages.success(request, f"Đã sửa câu {question.order}.")
        elif action == "apply":
            results = services.apply_results(survey, request.user)
            done = ", ".join(f"{r.criterion.code}: {_vn(r.points)} điểm" for r in results)
            messages.success(request, f"Đã áp dụng kết quả khảo sát vào bản đánh giá ({done}).")
        elif action in ("close", "open"):
            status = SurveyRound.Status.CLOSED if action == "close" else SurveyRound.Status.OPEN
            services.set_status(survey, status, request.user)
            messages.success(request, f"Đợt khảo sát: {survey.get_status_display().lower()}.")
        else:
            raise InvalidRequest(f"Thao tác không hợp lệ: “{action[:40]}”.")
    except services.SurveyError as exc:
        messages.error(request, str(exc))
    return redirect("survey-round", survey.pk)


@require_GET
def codes_page(request, pk: int):
    """The round's codes to print and hand out (HTML), or as CSV (`?dinh-dang=csv`)."""
    _require_council(request.user)
    survey = _round(pk)
    rows = list(survey.codes.values_list("code", "used_at"))
    link = request.build_absolute_uri(reverse("survey-start"))
    if request.GET.get("dinh-dang") == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["ma", "da_dung", "duong_dan"])
        for code, used in rows:
            writer.writerow([code, "có" if used else "", f"{link}{code}/"])
        answer = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
        answer["Content-Disposition"] = f'attachment; filename="ma-khao-sat-{survey.pk}.csv"'
        return answer
    unused_only = request.GET.get("chua-dung") == "1"
    return render(
        request,
        "survey/codes.html",
        {
            "survey": survey,
            "rows": [(c, u) for c, u in rows if not (unused_only and u)],
            "link": link,
            "unused_only": unused_only,
        },
    )


# --- the public questionnaire ---------------------------------------------------------------


@require_GET
def start_page(request):
    """Type the code printed on the slip; no log-in."""
    typed = request.GET.get("ma", "")
    if typed:
        code = services.normalize_code(typed)
        if code is None:
            messages.error(request, str(services.UnknownCode()))
        else:
            return redirect("survey-answer", code)
    return render(request, "survey/start.html", {"typed": typed[:40]})


def _message(request, title: str, text: str, status: int):
    return render(request, "survey/message.html", {"title": title, "text": text}, status=status)


def _length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return services.MAX_POST_BYTES + 1  # unreadable: refused as too large


@require_http_methods(["GET", "POST"])
def answer_page(request, code: str):
    """The questionnaire of a code; each code answers once."""
    if request.method == "POST" and _length(request) > services.MAX_POST_BYTES:
        return _message(request, "Phiếu quá lớn", "Nội dung gửi quá lớn, không nhận.", 413)
    try:
        found = services.find_code(code)
    except services.UnknownCode as exc:
        return _message(request, "Không tìm thấy mã", str(exc), 404)
    survey = found.round
    if found.used_at is not None:
        return _message(request, "Mã đã được dùng", str(services.UsedCode()), 409)
    if survey.status != SurveyRound.Status.OPEN:
        return _message(request, "Đợt khảo sát đã kết thúc", str(services.ClosedRound()), 410)
    questions = list(survey.questions.all())
    errors: dict[int, str] = {}
    posted: dict[int, str] = {}
    if request.method == "POST":
        if len(request.POST) > len(questions) + 5:
            return _message(request, "Phiếu không hợp lệ", "Phiếu có các trường lạ.", 400)
        try:
            services.submit(found.code, request.POST)
        except services.AnswerErrors as exc:
            errors = exc.by_question
            posted = {
                q.pk: request.POST.get(f"q-{q.pk}", "")[: services.MAX_TEXT + 1] for q in questions
            }
        except services.SurveyError as exc:  # used meanwhile, or closed
            return _message(request, "Không gửi được phiếu", str(exc), 409)
        else:
            messages.success(request, "Phiếu đã được ghi nhận. Trân trọng cảm ơn ông/bà!")
            return redirect("survey-start")
    return render(
        request,
        "survey/answer.html",
        {
            "survey": survey,
            "code": found.code,
            "rows": [(q, posted.get(q.pk, ""), errors.get(q.pk, "")) for q in questions],
            "errors": errors,
            "max_text": services.MAX_TEXT,
        },
        status=400 if errors else 200,
    )
