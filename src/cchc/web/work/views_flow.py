"""Pages of the incoming flow: the register (sổ văn bản đến), the intake, the queue of documents
waiting for direction, the direction and the handling slip. The logic is in `flow`."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cchc.web.accounts.models import Unit
from cchc.web.accounts.roles import can_direct, can_direct_document, can_register
from cchc.web.accounts.roles import sees_direction_queue as sees_queue
from cchc.web.documents import register_files
from cchc.web.documents.models import Document
from cchc.web.documents.services import readable, readable_document
from cchc.web.params import InvalidRequest
from cchc.web.work import flow, slip
from cchc.web.work.forms import (
    DirectionForm,
    IntakeForm,
    NewTaskForm,
    ProposalForm,
    RegisterFilterForm,
    SubmitForm,
)

PER_PAGE = 50
NEW_TASKS = 3  # blank rows for tasks added by hand


def incoming_register(request):
    form = RegisterFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        raise InvalidRequest(" ".join(e for errs in form.errors.values() for e in errs))
    data = form.cleaned_data if form.is_bound else {}
    docs = readable(
        flow.incoming_register(data.get("register"), data.get("start"), data.get("end")),
        request.user,
    )
    fmt = request.GET.get("dinh-dang", "")
    if fmt:
        return _register_file(docs, data, fmt)
    page = flow.id_page(docs, flow.register_rows(), request.GET.get("page"), PER_PAGE)
    page.object_list = flow.with_lead_units(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "work/incoming_register.html",
        {"form": form, "page": page, "query_string": query.urlencode()},
    )


def _register_file(docs, data: dict, fmt: str) -> HttpResponse:
    """The sổ đến of the chosen period (this year when none) as .xlsx or a printable .docx."""
    if fmt not in ("xlsx", "docx"):
        raise InvalidRequest("Định dạng tệp là xlsx hoặc docx.")
    start, end = register_files.default_period()
    period = register_files.Period(
        data.get("start") or start, data.get("end") or end, data.get("register")
    )
    docs = flow.incoming_register(period.register, period.start, period.end)
    build = register_files.xlsx if fmt == "xlsx" else register_files.docx
    content = build(
        "Sổ đăng ký văn bản đến",
        period,
        flow.INCOMING_COLUMNS,
        flow.register_file_rows(docs),
        docs.count(),
    )
    response = HttpResponse(content, content_type=register_files.CONTENT_TYPES[fmt])
    name = f"so-van-ban-den-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _document(pk: int) -> Document:
    return get_object_or_404(Document.objects.defer("text", "machine"), pk=pk)


def intake(request, pk: int):
    if not can_register(request.user):
        raise PermissionDenied("Chỉ văn thư và lãnh đạo được vào sổ văn bản.")
    doc = _document(pk)
    form = IntakeForm(request.POST or None, instance=doc)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in flow.INTAKE_FIELDS}
        doc.refresh_from_db()
        changed = flow.save_intake(doc, values, request.user)
        messages.success(request, "Đã lưu sổ." if changed else "Không có gì thay đổi.")
        return redirect("document-intake", pk=doc.pk)
    status = 400 if request.method == "POST" else 200
    return _intake_page(request, doc, form, SubmitForm(), status)


def _intake_page(request, doc, form, submit_form, status: int):
    return render(
        request,
        "work/intake.html",
        {
            "doc": doc,
            "form": form,
            "submit_form": submit_form,
            "submittable": flow.submittable(doc),
        },
        status=status,
    )


@require_POST
def submit(request, pk: int):
    if not can_register(request.user):
        raise PermissionDenied("Chỉ văn thư và lãnh đạo được trình văn bản.")
    doc = _document(pk)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        raise InvalidRequest("Người được trình không hợp lệ.")
    try:
        flow.submit(doc, request.user, form.cleaned_data["submitted_to"])
    except flow.StaleState as exc:  # a double submit: said, nothing written, nobody told twice
        messages.error(request, str(exc))
        return _intake_page(request, doc, IntakeForm(instance=doc), form, 409)
    messages.success(request, "Đã trình lãnh đạo.")
    return redirect("document", pk=doc.pk)


def queue(request):
    if not sees_queue(request.user):
        raise PermissionDenied("Trang này dành cho lãnh đạo và trưởng đơn vị.")
    docs = flow.direction_queue(request.user)
    page = flow.id_page(docs, flow.queue_rows(), request.GET.get("page"), PER_PAGE)
    return render(request, "work/queue.html", {"page": page})


VERDICT_KEY = re.compile(r"p(\d+)-verdict")


def direct(request, pk: int):
    doc = get_object_or_404(Document, pk=pk)
    if not can_direct_document(request.user, doc):
        raise PermissionDenied("Bạn không có quyền cho ý kiến chỉ đạo văn bản này.")
    data = request.POST if request.method == "POST" else None
    if data is None:
        return _direction_page(request, doc, _direction_forms(request, doc, None), 200)
    try:
        seen = _seen(doc, data)
    except flow.StaleState as exc:
        # shown again from what is there now, the leader's words kept; nothing written
        messages.error(request, str(exc))
        page = _direction_forms(request, doc, None, text=data.get("text", ""))
        return _direction_page(request, doc, page, 409)
    page = _direction_forms(request, doc, data)
    main, rows, extra = page["main"], page["rows"], page["extra"]
    bound = [r for r in rows if r[1].is_bound]
    if not all(f.is_valid() for f in [main, *(r[1] for r in bound), *extra]):
        return _direction_page(request, doc, page, 400)
    outcome = main.cleaned_data["outcome"]
    # "giao tất cả đề xuất còn lại": what the leader left at "để sau" is given as it stands
    rest = "confirm" if outcome == "direct" and main.cleaned_data.get("confirm_rest") else "keep"
    decisions = []
    for task, form, _ in bound:
        fields = form.cleaned_data
        verdict = rest if fields["verdict"] == "keep" else fields["verdict"]
        decisions.append(
            flow.Decision(
                task,
                verdict,
                flow.Edits.of(fields),
                fields.get("merge_into"),
                fields.get("split") or "",
            )
        )
    new_tasks = [flow.Edits.of(f.cleaned_data) for f in extra if f.cleaned_data.get("action")]
    try:
        flow.direct(
            doc,
            request.user,
            main.cleaned_data["text"],
            outcome,
            decisions,
            new_tasks,
            main.cleaned_data.get("forward_unit"),
            seen=seen,
        )
    except flow.StaleState as exc:
        messages.error(request, str(exc))
        doc = get_object_or_404(Document, pk=pk)
        page = _direction_forms(request, doc, None, text=main.cleaned_data["text"])
        return _direction_page(request, doc, page, 409)
    except flow.FlowError as exc:
        messages.error(request, str(exc))
        return _direction_page(request, doc, page, 400)
    messages.success(request, "Đã ghi ý kiến chỉ đạo.")
    return redirect("document", pk=doc.pk)


def _direction_page(request, doc: Document, page: dict, status: int):
    return render(
        request,
        "work/direct.html",
        {
            **page,
            "doc": doc,
            "instructions": flow.instructions(doc),
            "confirmed": flow.confirmed_tasks(doc),
            "may_forward": can_direct(request.user),
        },
        status=status,
    )


def _seen(doc: Document, data) -> str:
    """The state the posted form was shown from; StaleState when it has changed since, or when
    the post decides a proposal that is no longer one."""
    seen = (data.get("state") or "").strip()
    if not seen:
        raise InvalidRequest("Biểu mẫu thiếu trạng thái của văn bản; hãy tải lại trang.")
    flow.check_state(doc, seen)  # checked again, under the lock, as the direction is written
    pending = set(flow.proposals(doc).values_list("id", flat=True))
    posted = {int(m.group(1)) for key in data if (m := VERDICT_KEY.fullmatch(key))}
    if posted - pending:
        raise flow.StaleState(
            f"{len(posted - pending)} đề xuất trong biểu mẫu không còn chờ quyết định (đã được "
            "giao, gộp hoặc loại); chưa ghi gì, hãy xem lại."
        )
    return seen


def _direction_forms(request, doc: Document, data, text: str = "") -> dict:
    """The direction page's forms: the main one, one per pending proposal (numbered 1, 2, … in
    the order of the text), a few for tasks added by hand."""
    proposals = list(flow.proposals(doc))
    main = DirectionForm(data, initial={"state": flow.direction_state(doc), "text": text})
    rows = []
    units = flow.assignable_units(request.user, doc)
    for task in proposals:
        initial = {
            "action": task.action,
            "unit": task.unit_id,
            "support": "; ".join(task.support),
            "assignee": task.assignee_id,
            "deadline": task.deadline,
        }
        if not can_direct(request.user):
            initial["unit"] = doc.unit_id  # a unit's head assigns within the unit
        # a proposal the request does not mention (the API's scripts, "để biết") stays as it is
        posted = data is not None and f"p{task.pk}-verdict" in data
        form = ProposalForm(data if posted else None, prefix=f"p{task.pk}", initial=initial)
        # the machine's lead stays a valid choice (confirming it is checked by the flow)
        form.fields["unit"].queryset = units | Unit.objects.filter(pk=task.unit_id)
        rows.append((task, form, flow.source_sentence(doc, task)))
    extra = [NewTaskForm(data, prefix=f"n{i}") for i in range(NEW_TASKS)]
    for form in extra:
        form.fields["unit"].queryset = units
    return {"main": main, "rows": rows, "extra": extra}


def handling_slip(request, pk: int):
    doc = readable_document(request.user, pk, Document.objects.defer("text", "machine"))
    if doc.direction != Document.Direction.INCOMING:
        raise InvalidRequest("Phiếu giải quyết chỉ có cho văn bản đến.")
    response = HttpResponse(
        slip.handling_slip(doc),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    name = f"phieu-giai-quyet-{doc.incoming_number or doc.pk}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
