"""Pages of the incoming flow: the register (sổ văn bản đến), the intake, the queue of documents
waiting for direction, the direction and the handling slip. The logic is in `flow`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cchc.web.accounts.roles import can_direct, can_direct_document, can_register
from cchc.web.accounts.roles import sees_direction_queue as sees_queue
from cchc.web.documents.models import Document
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
    docs = flow.incoming_register(data.get("register"), data.get("start"), data.get("end"))
    page = flow.id_page(docs, flow.register_rows(), request.GET.get("page"), PER_PAGE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "work/incoming_register.html",
        {"form": form, "page": page, "query_string": query.urlencode()},
    )


def _document(pk: int) -> Document:
    return get_object_or_404(Document.objects.defer("text", "machine"), pk=pk)


def intake(request, pk: int):
    if not can_register(request.user):
        raise PermissionDenied("Chỉ văn thư và lãnh đạo được vào sổ văn bản.")
    doc = _document(pk)
    form = IntakeForm(request.POST or None, instance=doc)
    submit_form = SubmitForm()
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in flow.INTAKE_FIELDS}
        doc.refresh_from_db()
        changed = flow.save_intake(doc, values, request.user)
        messages.success(request, "Đã lưu sổ." if changed else "Không có gì thay đổi.")
        return redirect("document-intake", pk=doc.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "work/intake.html",
        {"doc": doc, "form": form, "submit_form": submit_form},
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
    flow.submit(doc, request.user, form.cleaned_data["submitted_to"])
    messages.success(request, "Đã trình lãnh đạo.")
    return redirect("document", pk=doc.pk)


def queue(request):
    if not sees_queue(request.user):
        raise PermissionDenied("Trang này dành cho lãnh đạo và trưởng đơn vị.")
    docs = flow.direction_queue(request.user)
    page = flow.id_page(docs, flow.queue_rows(), request.GET.get("page"), PER_PAGE)
    return render(request, "work/queue.html", {"page": page})


def direct(request, pk: int):
    doc = get_object_or_404(Document, pk=pk)
    if not can_direct_document(request.user, doc):
        raise PermissionDenied("Bạn không có quyền cho ý kiến chỉ đạo văn bản này.")
    data = request.POST if request.method == "POST" else None
    proposals = list(flow.proposals(doc))
    main = DirectionForm(data)
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
        form.fields["unit"].queryset = units
        rows.append((task, form, flow.source_sentence(doc, task)))
    extra = [NewTaskForm(data, prefix=f"n{i}") for i in range(NEW_TASKS)]
    for form in extra:
        form.fields["unit"].queryset = units
    status = 200
    if data is not None:
        bound = [r for r in rows if r[1].is_bound]
        valid = all(f.is_valid() for f in [main, *(r[1] for r in bound), *extra])
        if valid:
            decisions = [
                flow.Decision(
                    task,
                    form.cleaned_data["verdict"],
                    flow.Edits.of(form.cleaned_data),
                    form.cleaned_data.get("merge_into"),
                    form.cleaned_data.get("split") or "",
                )
                for task, form, _ in bound
            ]
            new_tasks = [
                flow.Edits.of(f.cleaned_data) for f in extra if f.cleaned_data.get("action")
            ]
            try:
                flow.direct(
                    doc,
                    request.user,
                    main.cleaned_data["text"],
                    main.cleaned_data["outcome"],
                    decisions,
                    new_tasks,
                    main.cleaned_data.get("forward_unit"),
                )
            except flow.FlowError as exc:
                messages.error(request, str(exc))
                status = 400
            else:
                messages.success(request, "Đã ghi ý kiến chỉ đạo.")
                return redirect("document", pk=doc.pk)
        else:
            status = 400
    return render(
        request,
        "work/direct.html",
        {
            "doc": doc,
            "main": main,
            "rows": rows,
            "extra": extra,
            "instructions": flow.instructions(doc),
            "confirmed": flow.confirmed_tasks(doc),
            "may_forward": can_direct(request.user),
        },
        status=status,
    )


def handling_slip(request, pk: int):
    doc = _document(pk)
    if doc.direction != Document.Direction.INCOMING:
        raise InvalidRequest("Phiếu giải quyết chỉ có cho văn bản đến.")
    response = HttpResponse(
        slip.handling_slip(doc),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    name = f"phieu-giai-quyet-{doc.incoming_number or doc.pk}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
