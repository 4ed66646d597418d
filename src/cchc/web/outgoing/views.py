"""Pages of outgoing documents: the drafts, one draft's way (versions, trình ký, duyệt, cấp số,
phát hành, closing the tasks it answers) and the two registers with their exports."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from cchc.web.accounts import roles
from cchc.web.accounts.models import Unit
from cchc.web.documents import register_files
from cchc.web.documents.models import Document, Register
from cchc.web.documents.services import readable
from cchc.web.documents.store import UploadRejected
from cchc.web.forms import DayField
from cchc.web.params import InvalidRequest, as_id, id_param, int_param
from cchc.web.work.services import attachment

from . import registers, services
from .models import Draft, DraftReview, DraftVersion

PER_PAGE = 50
XLSX, DOCX = register_files.CONTENT_TYPES["xlsx"], register_files.CONTENT_TYPES["docx"]


# --- the drafts --------------------------------------------------------------------------


DRAFT_FIELDS = (
    "id",
    "subject",
    "type",
    "state",
    "notation",
    "updated_at",
    "unit__name",
    "author__first_name",
    "author__username",
)
MINE_SHOWN = 20


def drafts(request):
    """The person's own drafts still on their way first, then every draft by state, newest
    first (each list read along its own index)."""
    state = request.GET.get("tinh-trang", "")
    if state and state not in Draft.State.values:
        raise InvalidRequest(f"Tình trạng không hợp lệ: “{state[:40]}”.")
    rows = Draft.objects.select_related("unit", "author").only(*DRAFT_FIELDS)
    mine = list(
        rows.filter(author_id=request.user.pk)
        .exclude(state=Draft.State.ISSUED)
        .order_by("-updated_at")[:MINE_SHOWN]
    )
    listed = rows.filter(state=state) if state else rows
    page = Paginator(listed.order_by("-updated_at", "-id"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "mine": mine,
        "page": page,
        "state": state,
        "states": Draft.State.choices,
        "state_label": Draft.State(state).label if state else "",
        "can_draft": roles.can_draft_outgoing(request.user),
        "query_string": f"tinh-trang={state}" if state else "",
    }
    return render(request, "outgoing/drafts.html", context)


class DraftForm(forms.Form):
    subject = forms.CharField(label="Trích yếu", widget=forms.Textarea(attrs={"rows": 3}))
    type = forms.ChoiceField(label="Tên loại văn bản")
    unit = forms.ModelChoiceField(
        label="Đơn vị soạn thảo",
        queryset=Unit.objects.active().only("id", "name"),
        required=False,
        error_messages={
            "invalid_choice": "Bạn chỉ soạn được văn bản đi cho đơn vị mình làm việc; "
            "chọn đơn vị trong danh sách."
        },
    )
    recipients = forms.CharField(
        label="Nơi nhận (mỗi dòng một nơi)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    answers = forms.ModelMultipleChoiceField(
        queryset=Document.objects.filter(direction=Document.Direction.INCOMING).only("id"),
        required=False,
        widget=forms.MultipleHiddenInput,
    )
    answer_number = forms.CharField(
        label="Trả lời văn bản đến số (nếu có)", max_length=120, required=False
    )
    file = forms.FileField(label="Tệp dự thảo (.docx, .pdf, .txt)")
    note = forms.CharField(label="Ghi chú", max_length=500, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [(n, n) for n in services.type_names()]
        allowed = roles.drafting_unit_ids(user)  # only the units the user acts for
        if allowed is not None:
            field = self.fields["unit"]
            field.queryset = field.queryset.filter(pk__in=allowed)
            field.empty_label = None

    def clean_answer_number(self):
        typed = self.cleaned_data["answer_number"].strip()
        if typed and services.incoming_by_number(typed) is None:
            raise forms.ValidationError(f"Không có văn bản đến số “{typed}” trong sổ.")
        return typed


def new_draft(request):
    """Start a draft; `?tra-loi=<document>` starts the answer to an incoming document."""
    if not roles.can_draft_outgoing(request.user):
        raise PermissionDenied("Bạn không có quyền soạn văn bản đi.")
    answering = None
    if (pk := id_param(request.GET, "tra-loi", "văn bản")) is not None:
        answering = get_object_or_404(
            Document.objects.only("id", "type", "number", "date", "issuer", "subject"), pk=pk
        )
    own = roles.unit_of(request.user)
    if request.method == "POST":
        form = DraftForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            unit = data["unit"] or own
            answers = list(data["answers"])
            if data["answer_number"]:
                answers.append(services.incoming_by_number(data["answer_number"]))
            if unit is None:
                form.add_error("unit", "Chọn đơn vị soạn thảo.")
            else:
                try:
                    draft = services.create_draft(
                        request.user,
                        subject=data["subject"],
                        type=data["type"],
                        unit=unit,
                        upload=data["file"],
                        recipients=data["recipients"],
                        answers=answers,
                        note=data["note"],
                    )
                except UploadRejected as exc:
                    form.add_error("file", str(exc))
                except services.DuplicateDraft as exc:  # the same form sent twice
                    existing = exc.existing
                    messages.warning(
                        request,
                        format_html(
                            "Dự thảo này vừa được tạo, không tạo thêm bản trùng: "
                            '<a href="{}">{}</a>.',
                            reverse("outgoing-draft", args=[existing.pk]),
                            f"{existing.type}: {existing.subject[:100]}",
                        ),
                    )
                    return redirect("outgoing-draft", pk=existing.pk)
                else:
                    messages.success(request, "Đã tạo dự thảo.")
                    return redirect("outgoing-draft", pk=draft.pk)
    else:
        initial = {"unit": own, "type": services.type_names()[0]}
        if answering is not None:
            initial["subject"] = services.answer_subject(answering)
            initial["answers"] = [answering.pk]
            if answering.issuer:
                initial["recipients"] = f"- {answering.issuer};\n- Lưu: VT."
        form = DraftForm(initial=initial, user=request.user)
    status = 400 if form.is_bound and form.errors else 200
    if form.is_bound and form.has_error("unit", "invalid_choice"):
        status = 403  # a unit the user does not act for: refused, the form shown again
    context = {"form": form, "answering": answering}
    return render(request, "outgoing/new.html", context, status=status)


def draft_page(request, pk: int):
    draft = get_object_or_404(Draft.objects.select_related("unit", "author", "approver"), pk=pk)
    return _render_draft(request, draft)


def _render_draft(request, draft: Draft, failed: str = "", error: str = "", status: int = 200):
    """The draft's page; after a refused step (`failed`: which form) with the error beside that
    form and the values typed into it, answered with status 400."""
    user = request.user
    state = draft.state
    editable = state in (Draft.State.DRAFT, Draft.State.RETURNED)
    proposals = [
        (t, roles.can_close_answered(user, draft, t))
        for t in (services.answered_open_tasks(draft) if state == Draft.State.ISSUED else [])
    ]
    approvers = [
        u
        for u in get_user_model()
        .objects.filter(is_active=True)
        .select_related("profile")
        .only("id", "username", "first_name", "is_superuser", "profile__role", "profile__directs")
        if roles.can_approve_outgoing(u)
    ]
    context = {
        "draft": draft,
        "versions": draft.versions.select_related("user"),
        "reviews": draft.reviews.select_related("user", "version"),
        "events": draft.events.select_related("user"),
        "answers": draft.answers.only("id", "type", "number", "date", "issuer", "subject"),
        "can_edit": editable and roles.can_edit_draft(user, draft),
        "can_review": state == Draft.State.SUBMITTED and roles.can_approve_outgoing(user),
        "can_number": state == Draft.State.APPROVED and roles.can_number_outgoing(user),
        "can_issue": state == Draft.State.NUMBERED and roles.can_number_outgoing(user),
        "can_export": bool(draft.issued_document_id) and roles.can_export_edxml(user),
        "proposals": proposals,
        "can_close_any": any(allowed for _t, allowed in proposals),
        "approvers": approvers,
        "registers": Register.objects.filter(direction=Document.Direction.OUTGOING),
        "proposed_symbol": services.proposed_notation(draft),
        "today": timezone.localdate(),
        "approved_on": services.approval_date(draft) if state == Draft.State.NUMBERED else None,
        "failed": failed,
        "error": error,
        "posted": request.POST if failed else {},
    }
    return render(request, "outgoing/draft.html", context, status=status)


def _step(request, pk: int, action, name: str) -> HttpResponse:
    """Run one step of a draft's way; a step its state or values refuse shows the page again
    with the error at the form (`name`) and what was typed in it (status 400)."""
    draft = get_object_or_404(Draft, pk=pk)
    try:
        done = action(draft)
    except (services.DraftError, UploadRejected) as exc:
        draft = get_object_or_404(Draft.objects.select_related("unit", "author", "approver"), pk=pk)
        return _render_draft(request, draft, failed=name, error=str(exc), status=400)
    messages.success(request, done)
    return redirect("outgoing-draft", pk=draft.pk)


@require_POST
def add_version(request, pk: int):
    def action(draft):
        upload = request.FILES.get("file")
        if upload is None:
            if not roles.can_edit_draft(request.user, draft):
                raise PermissionDenied("Chỉ người soạn hoặc đơn vị soạn thảo được thêm bản.")
            raise services.DraftError("Chọn tệp dự thảo để tải lên.")
        version = services.add_version(
            draft, upload, request.user, request.POST.get("note", "")[:500]
        )
        return f"Đã lưu bản {version.number}."

    return _step(request, pk, action, "version")


@require_POST
def submit(request, pk: int):
    def action(draft):
        approver = None
        if (chosen := id_param(request.POST, "approver", "người ký")) is not None:
            approver = get_object_or_404(get_user_model(), pk=chosen)
        services.submit(draft, request.user, approver, request.POST.get("note", "")[:2000])
        return "Đã trình ký."

    return _step(request, pk, action, "submit")


@require_POST
def review(request, pk: int):
    def action(draft):
        decision = request.POST.get("decision", "")
        services.review(draft, request.user, decision, request.POST.get("comment", "")[:4000])
        return "Đã duyệt dự thảo." if decision == DraftReview.Decision.APPROVE else "Đã trả lại."

    return _step(request, pk, action, "review")


@require_POST
def give_number(request, pk: int):
    def action(draft):
        if not roles.can_number_outgoing(request.user):
            raise PermissionDenied("Chỉ văn thư (hoặc lãnh đạo) được cấp số văn bản đi.")
        register = None
        if (chosen := id_param(request.POST, "register", "sổ")) is not None:
            register = get_object_or_404(Register, pk=chosen)
        services.give_number(draft, request.user, register, request.POST.get("symbol", "")[:120])
        return f"Đã cấp số {draft.notation}."

    return _step(request, pk, action, "number")


class IssueForm(forms.Form):
    issued = DayField(
        label="Ngày phát hành",
        error_messages={"required": "Nhập ngày phát hành (dd/mm/yyyy)."},
    )
    notation = forms.CharField(label="Số, ký hiệu", max_length=120, required=False)
    recipients = forms.CharField(label="Nơi nhận", required=False, max_length=4000)
    copies = forms.IntegerField(label="Số lượng bản", min_value=1, max_value=9999, required=False)
    note = forms.CharField(label="Ghi chú", required=False, max_length=1000)


@require_POST
def issue(request, pk: int):
    def action(draft):
        if not roles.can_number_outgoing(request.user):
            raise PermissionDenied("Chỉ văn thư (hoặc lãnh đạo) được phát hành văn bản đi.")
        form = IssueForm(request.POST)
        if not form.is_valid():
            raise services.DraftError(
                " ".join(
                    f"{form.fields[name].label}: {e}" if name in form.fields else e
                    for name, errors in form.errors.items()
                    for e in errors
                )
            )
        data = form.cleaned_data
        services.issue(
            draft,
            request.user,
            data["issued"],
            recipients=data["recipients"] if "recipients" in request.POST else None,
            copies=data["copies"],
            symbol=data["notation"],
            note=data["note"],
        )
        return f"Đã phát hành văn bản số {draft.notation}."

    return _step(request, pk, action, "issue")


@require_POST
def close_tasks(request, pk: int):
    def action(draft):
        ids = [as_id(v, "công việc") for v in request.POST.getlist("task")]
        if not ids:
            if not any(
                roles.can_close_answered(request.user, draft, t)
                for t in services.answered_open_tasks(draft)
            ):
                raise PermissionDenied("Bạn không có quyền đóng các công việc này.")
            raise services.DraftError("Chọn công việc cần đóng.")
        closed = services.close_answered(draft, request.user, ids)
        return f"Đã đóng {len(closed)} công việc, gắn văn bản trả lời {draft.notation}."

    return _step(request, pk, action, "close")


def version_file(request, pk: int):
    version = get_object_or_404(DraftVersion.objects.only("path", "name"), pk=pk)
    return attachment(version.path, version.name)


# --- the registers -----------------------------------------------------------------------


class PeriodForm(forms.Form):
    tu = DayField(label="Từ ngày", required=False)
    den = DayField(label="Đến ngày", required=False)
    so = forms.ModelChoiceField(label="Sổ", queryset=Register.objects.none(), required=False)
    dinh_dang = forms.ChoiceField(
        choices=[("", "trang"), ("xlsx", "xlsx"), ("docx", "docx")], required=False
    )

    def __init__(self, data, direction: str):
        data = data.copy()
        if "dinh-dang" in data:
            data["dinh_dang"] = data["dinh-dang"]
        super().__init__(data)
        self.fields["so"].queryset = Register.objects.filter(direction=direction)

    def period(self) -> register_files.Period:
        """The period asked for (this year when none); InvalidRequest for a wrong one."""
        if not self.is_valid():
            raise InvalidRequest(
                " ".join(str(e) for errors in self.errors.values() for e in errors)
            )
        start, end = register_files.default_period()
        start = self.cleaned_data["tu"] or start
        end = self.cleaned_data["den"] or end
        if end < start:
            raise InvalidRequest("“Đến ngày” phải sau “Từ ngày”.")
        return register_files.Period(start, end, self.cleaned_data["so"])


def _register_page(
    request,
    direction: str,
    title: str,
    columns,
    query,
    rows_of,
    counted: bool,
    last=None,
    parts=None,
):
    form = PeriodForm(request.GET, direction)
    period = form.period()
    rows = readable(query(period), request.user)  # confidential ones only for who may read them
    fmt = form.cleaned_data["dinh_dang"]
    if fmt:
        count = rows.count()
        build = register_files.xlsx if fmt == "xlsx" else register_files.docx
        content = build(title, period, columns, rows_of(rows.iterator(chunk_size=2000)), count)
        response = HttpResponse(content, content_type=XLSX if fmt == "xlsx" else DOCX)
        slug = "so-van-ban-di" if direction == "di" else "so-theo-doi-giai-quyet"
        name = f"{slug}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    number = int_param(request.GET, "page", "Trang", 1, 100_000, 1)
    items, has_next = registers.window(
        rows, number, PER_PAGE, parts(rows, period) if parts is not None else None
    )
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "title": title,
        "columns": columns,
        "rows": [registers.html_row(row) for row in rows_of(items)],
        "count": rows.count() if counted else None,
        "number": number,
        "previous": number - 1 if number > 1 else None,
        "next": number + 1 if has_next else None,
        "period": period,
        "registers": form.fields["so"].queryset,
        "query_string": params.urlencode(),
        "last": last(rows, period) if last is not None else None,
    }
    return render(request, "outgoing/register.html", context)


def outgoing_register(request):
    """Sổ đăng ký văn bản đi (Nghị định 30/2020, Phụ lục IV)."""
    return _register_page(
        request,
        Document.Direction.OUTGOING,
        "Sổ đăng ký văn bản đi",
        registers.OUTGOING_COLUMNS,
        registers.outgoing_documents,
        registers.outgoing_rows,
        counted=True,  # read from the register's index alone
        last=registers.last_numbered,
        parts=registers.year_parts,  # by year first: a page sorts the year it falls in
    )


def tracking_register(request):
    """Sổ theo dõi giải quyết văn bản đến: each task of an incoming document and its answer."""
    return _register_page(
        request,
        Document.Direction.INCOMING,
        "Sổ theo dõi giải quyết văn bản đến",
        registers.TRACKING_COLUMNS,
        registers.tracked_documents,
        registers.tracking_rows,
        counted=False,
    )
