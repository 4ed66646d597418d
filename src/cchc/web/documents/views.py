"""Pages of the document registry: ingest, registry, document page, original file, search."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from cchc.errors import CchcError
from cchc.web.accounts.models import Unit, audit
from cchc.web.accounts.roles import (
    can_direct_document,
    can_edit_document,
    can_export_edxml,
    can_ingest,
    can_register,
)
from cchc.web.documents import exchange, search, services
from cchc.web.documents.models import EDITABLE_FIELDS, Attachment, Document, IngestJob
from cchc.web.documents.services import REGISTRY_FIELDS, field_value, registry_filters

SORTS = {
    "-date": ("-date", "-id"),
    "date": ("date", "id"),
    # incoming documents by số đến, then the outgoing (no số đến): one index gives the order,
    # filtered by direction or not, where outgoing rows first (NULL dates sort first) made
    # `?direction=den` skip every outgoing document before its first row
    "-received": ("direction", "-received_date", "-incoming_number"),
    "number": ("number_key", "id"),
}
PER_PAGE = 25


def registry(request):
    docs, filters = services.registry_documents(request.GET, request.user)
    sort = request.GET.get("sort", "-date")
    docs = docs.order_by(*SORTS.get(sort, SORTS["-date"]))
    page = IdPaginator(docs, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "documents/registry.html",
        {
            "page": page,
            "filters": filters,
            "sort": sort,
            "types": _choices("type"),
            "years": _choices("year")[::-1],
            "units": Unit.objects.all(),
            "query_string": _without_page(request.GET),
            "signature_filters": services.SIGNATURE_FILTERS,
        },
    )


# Counted exactly up to here; beyond, PostgreSQL's estimate is shown ("khoảng …"): counting a
# million rows takes 200–700 ms on every page of the registry.
COUNT_EXACTLY = 10_000


class IdPaginator(Paginator):
    """Reads a page's ids first, then its rows: skipping to page 20,000 of a million documents
    walks the sort's index only (an index-only scan), not the rows."""

    estimated = False

    @cached_property
    def count(self) -> int:
        first = self.object_list.order_by()[: COUNT_EXACTLY + 1].count()
        if first <= COUNT_EXACTLY:
            return first
        if connection.vendor != "postgresql":
            return self.object_list.count()
        sql, params = self.object_list.order_by().values("pk").query.sql_with_params()
        with connection.cursor() as cur:
            cur.execute("EXPLAIN (FORMAT JSON) " + sql, params)
            plan = cur.fetchone()[0]
        self.estimated = True
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return max(int(plan[0]["Plan"]["Plan Rows"]), first)

    def page(self, number):
        page = super().page(number)
        # a full page whatever the count says: an estimate (a table not yet analysed, a filter
        # it misjudges) may be below the rows there are, and Paginator cuts the page at it
        bottom = (page.number - 1) * self.per_page
        ids = list(self.object_list.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        rows = Document.objects.only(*REGISTRY_FIELDS).in_bulk(ids)
        page.object_list = [rows[pk] for pk in ids if pk in rows]
        return page


def _choices(field: str, limit: int = 100) -> list:
    """The distinct values of an indexed field, in order: one index lookup per value (a skip
    scan), where DISTINCT would read the whole index — a million entries for a few dozen types."""
    values: list = []
    rest = Document.objects.exclude(**{field: "" if field == "type" else None})
    while len(values) < limit:
        after = rest.filter(**{f"{field}__gt": values[-1]}) if values else rest
        value = after.order_by(field).values_list(field, flat=True).first()
        if value is None:
            return values
        values.append(value)
    return values


def _without_page(params) -> str:
    params = params.copy()
    params.pop("page", None)
    return params.urlencode()


def document_page(request, pk: int, typed=None, error: str = ""):
    """The original beside the fields. After a refused edit (`error`), the fields show what the
    person typed (`typed`), not the stored values, so nothing typed is lost."""
    doc = services.readable_document(request.user, pk)
    tasks = (
        doc.tasks.filter(parent=None, state="confirmed")
        .select_related("unit", "assignee")
        .prefetch_related("children")
    )
    # the machine's proposals (work.flow decides them), each beside the sentence it was read from
    proposals = [
        (t, doc.text[t.source_start : t.source_end] if t.source_end else "")
        for t in doc.tasks.filter(state="proposed", parent=None)
        .select_related("unit", "assignee")
        .prefetch_related("children__unit")
        .order_by("source_start", "id")
    ]
    corrections = {c.field: c for c in reversed(doc.corrections.select_related("user"))}
    typed = typed or {}
    fields = [
        (name, label, typed.get(name, field_value(doc, name)), corrections.get(name))
        for name, label in EDITABLE_FIELDS.items()
    ]
    if error:
        messages.error(request, error)
    return render(
        request,
        "documents/document.html",
        {
            "doc": doc,
            "fields": fields,
            "tasks": tasks,
            "citations": doc.citations.select_related("target"),
            "cited_by": services.readable(
                Document.objects.filter(citations__target=doc).distinct(), request.user
            ),
            "highlighted": _highlighted_text(doc, tasks),
            "can_edit": can_edit_document(request.user),
            "edit_refused": bool(error),
            "pages": range(1, services.preview_pages(doc) + 1),
            "is_image": doc.content_type.startswith("image/") and doc.content_type != "image/tiff",
            # the incoming flow: intake, instructions, proposals
            "proposals": proposals,
            "instructions": doc.instructions.select_related("user", "forwarded_to"),
            "can_register": can_register(request.user),
            "can_direct": can_direct_document(request.user, doc),
            # documents as offices exchange them
            "attachments": doc.attachments.all(),
            "replaced_by": doc.replaced_by.only("id", "type", "number", "original_name"),
            "can_export": can_export_edxml(request.user),
        },
    )


def _highlighted_text(doc: Document, tasks) -> str:
    """The document text with each task's sentence marked, linking to the task."""
    spans = sorted(
        (t.source_start, t.source_end, t.pk)
        for t in tasks
        if t.source_start is not None and t.source_end
    )
    out, pos = [], 0
    for start, end, pk in spans:
        if start < pos:
            continue
        out.append(_display(doc.text[pos:start]))
        out.append(
            f'<mark class="task-span" id="span-{pk}"><a href="/cong-viec/{pk}/">'
            f"{_display(doc.text[start:end])}</a></mark>"
        )
        pos = end
    out.append(_display(doc.text[pos:]))
    return mark_safe("".join(out))


def _display(text: str) -> str:
    """Escaped, with the parser's blank line between lines shown as one line break."""
    return escape(text).replace("\n\n", "\n")


@require_POST
def edit_document(request, pk: int):
    doc = services.readable_document(request.user, pk)
    if not can_edit_document(request.user):
        raise PermissionDenied("Bạn không có quyền sửa văn bản.")
    try:
        changed = services.apply_corrections(doc, request.POST, request.user)
    except services.CorrectionError as exc:
        typed = {name: request.POST[name] for name in EDITABLE_FIELDS if name in request.POST}
        answer = document_page(request, doc.pk, typed=typed, error=str(exc))
        answer.status_code = 400
        return answer
    if changed:
        messages.success(request, "Đã lưu: " + ", ".join(EDITABLE_FIELDS[f] for f in changed))
    return redirect("document", pk=doc.pk)


# Shown in the browser beside the fields; anything else (SVG, HTML, text, DOCX, PDF…) is
# downloaded. A PDF is shown as pictures of its pages (page_picture): the browser's viewer would
# run its JavaScript, and Chromium's refuses to start under the sandbox stored files get.
INLINE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")


def page_picture(request, pk: int, number: int):
    doc = services.readable_document(request.user, pk, Document.objects.only(*services.FILE_FIELDS))
    try:
        data = services.page_picture(doc, number)
    except (IndexError, CchcError) as exc:
        raise Http404("Không có trang này") from exc
    response = HttpResponse(data, content_type="image/png")
    response["Cache-Control"] = "private, max-age=86400"
    return response


def original_file(request, pk: int):
    """The original as uploaded, with the type read from its content and a safe name."""
    doc = services.readable_document(request.user, pk, Document.objects.defer("text", "machine"))
    path = settings.MEDIA_ROOT / doc.original
    if not path.is_file():
        raise Http404("Không tìm thấy tệp gốc")
    inline = doc.content_type in INLINE_TYPES
    response = FileResponse(
        path.open("rb"),
        content_type=doc.content_type,
        as_attachment=not inline,
        filename=doc.original_name,
    )
    # nothing served from here runs scripts; only a PDF needs the browser's viewer unsandboxed
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
        + ("" if doc.content_type == "application/pdf" else "; sandbox")
    )
    return response


def attachment_file(request, pk: int, position: int):
    """One file an edXML package carried, served like the original (download, sandboxed)."""
    services.readable_document(request.user, pk, Document.objects.only(*services.FILE_FIELDS))
    item = get_object_or_404(Attachment, document_id=pk, position=position)
    path = settings.MEDIA_ROOT / item.file
    if not path.is_file():
        raise Http404("Không tìm thấy tệp đính kèm")
    response = FileResponse(
        path.open("rb"), content_type=item.content_type, as_attachment=True, filename=item.name
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_POST
def export_edxml(request, pk: int):
    """The document as an edXML package to send through the office's LGSP."""
    if not can_export_edxml(request.user):
        raise PermissionDenied("Bạn không có quyền lập gói edXML.")
    doc = services.readable_document(request.user, pk)
    name, data = exchange.export_package(doc)
    audit(request.user, "document-export-edxml", doc, f"Lập gói edXML {name} cho {doc}")
    response = HttpResponse(data, content_type="application/xml")
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def ingest_page(request):
    if request.method == "POST":
        return upload(request)
    # the list shows a job's name, state and message and links its document by id: never the
    # document itself (its text and machine JSON, once per job)
    jobs = IngestJob.objects.only(
        "id", "original_name", "status", "message", "document_id", "created_at"
    )[:30]
    return render(
        request, "documents/ingest.html", {"jobs": jobs, "can_ingest": can_ingest(request.user)}
    )


def upload(request):
    """POST one or many files (`files`); answers with the jobs as JSON for the progress list."""
    if not can_ingest(request.user):
        return JsonResponse({"detail": "Bạn không có quyền nhập văn bản."}, status=403)
    try:
        answers = services.receive_uploads(
            request.FILES.getlist("files"), request.user, request.POST.get("direction")
        )
    except services.InvalidRequest as exc:
        return JsonResponse({"detail": str(exc)}, status=400)
    if request.headers.get("accept", "").startswith("application/json"):
        return JsonResponse({"jobs": answers})
    for a in answers:
        messages.info(
            request, f"{a['name']}: {a['status_label'] if 'status_label' in a else a['message']}"
        )
    return redirect("ingest")


def jobs_status(request):
    try:
        ids = services.job_ids(request.GET.get("ids", ""))
    except services.InvalidRequest as exc:
        return JsonResponse({"detail": str(exc)}, status=400)
    jobs = IngestJob.objects.filter(pk__in=ids) if ids else IngestJob.objects.all()[:30]
    return JsonResponse({"jobs": [services.job_json(j) for j in jobs]})


def search_page(request):
    text = request.GET.get("q", "").strip()
    query = search.Query.parse(text)
    filters = registry_filters(request.GET)
    filters.pop("unit", None)
    order = "date" if request.GET.get("sort") == "date" else "relevance"
    context = {
        "q": text,
        "filters": filters,
        "order": order,
        "query_string": _without_page(request.GET),
        "signature_filters": services.SIGNATURE_FILTERS,
    }
    if query:
        try:
            page = max(1, int(request.GET.get("page", 1)))
        except ValueError:
            page = 1
        results = search.search(
            query, filters, order, page, visible=services.visible_ids(request.user)
        )
        context.update(
            results=results,
            hits=search_hits(query, results.ids, request.user),
            page=page,
            pages=(results.total + 19) // 20,
        )
    return render(request, "documents/search.html", context)


def search_hits(query: search.Query, ids: list[int], user) -> list:
    """The page's documents in order, each with its snippet; only the fields the page shows are
    read (the parse kept in JSON beside them is most of a document's row). A confidential
    document this person may not read was left out by the search already; checked again here."""
    docs = services.readable(
        Document.objects.only("id", "type", "number", "date", "issuer", "subject", "text"), user
    ).in_bulk(ids)
    return [(docs[i], mark_safe(search.snippet(docs[i].text, query))) for i in ids if i in docs]
