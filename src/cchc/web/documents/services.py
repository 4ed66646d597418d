"""What the document pages and the API share: the registry's filters, corrections of a
document, the upload path (one validation for both) and a job's JSON."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404

from cchc import preview
from cchc.dates import InvalidDate, parse_user_date
from cchc.errors import CchcError
from cchc.web.accounts.models import audit
from cchc.web.accounts.roles import reads_all_documents, unit_of
from cchc.web.documents import queue, search
from cchc.web.documents.ingest import accept_upload
from cchc.web.documents.models import (
    EDITABLE_FIELDS,
    Correction,
    Document,
    IngestJob,
    Register,
)
from cchc.web.documents.signals import document_corrected
from cchc.web.documents.store import UploadRejected, safe_name
from cchc.web.params import InvalidRequest, as_id, id_param, year_param

# What a registry row shows (the API's list gives the same fields and `place`).
REGISTRY_FIELDS = [
    "id",
    "direction",
    "incoming_number",
    "received_date",
    "type",
    "number",
    "issuer",
    "date",
    "subject",
    "original_name",
    "exchange_state",
    "signature_state",
]

# The registry's and search's filter on digital signatures (`?chu-ky=`): signed at all, not
# signed, a broken signature. Search reads them as index words (search.signature_words).
SIGNATURE_FILTERS = {
    "co": "Có chữ ký số",
    "khong": "Không có chữ ký số",
    "hong": "Chữ ký số hỏng",
}


def registry_filters(params) -> dict:
    """Filters shared by the registry and search: type, issuer, year, direction, unit."""
    out = {}
    for name in ("type", "issuer", "direction"):
        if value := params.get(name, "").strip():
            out[name] = value
    if (year := year_param(params)) is not None:
        out["year"] = year
    if (unit := id_param(params, "unit", "đơn vị")) is not None:
        out["unit"] = unit
    if signature := params.get("chu-ky", "").strip():
        if signature not in SIGNATURE_FILTERS:
            raise InvalidRequest(
                f"chu-ky: `{signature[:40]}` không hợp lệ; dùng co, khong hoặc hong."
            )
        out["signature"] = signature
    return out


def signature_lookup(value: str) -> dict:
    """The registry's query for a signature filter (the field is indexed)."""
    if value == "co":
        return {"signature_state__gt": ""}
    if value == "khong":
        return {"signature_state": ""}
    return {"signature_state": Document.SignatureState.BROKEN}


def readable(docs, user):
    """The documents of `docs` this person may read: all, or the ordinary ones and the
    confidential ones their unit was sent or given confirmed work from. The one definition of
    the rule: pages, downloads, lists, search and the API all ask it."""
    if reads_all_documents(user):
        return docs
    # ordinary: not marked mật, in no secret register (the few secret registers read first, so
    # the query has no join and PostgreSQL's row estimate, which the registry shows, stays sane)
    secret = list(Register.objects.filter(secret=True).values_list("pk", flat=True))
    allowed = Q(secrecy=Document.Secrecy.NORMAL) & ~Q(register_id__in=secret)
    unit_id = getattr(unit_of(user), "pk", None)
    if unit_id is not None:
        given_work = Document.objects.filter(
            tasks__unit_id=unit_id, tasks__state="confirmed"
        ).values("pk")
        allowed |= Q(unit_id=unit_id) | Q(pk__in=given_work)
    return docs.filter(allowed)


def visible_ids(user) -> Callable[[list[int]], set[int]] | None:
    """For search: None when this person reads every document, else what keeps, of some
    document ids, those they may read (one query on the ids, at most `search.CANDIDATES`)."""
    if reads_all_documents(user):
        return None
    return lambda ids: set(
        readable(Document.objects.filter(pk__in=ids), user).values_list("pk", flat=True)
    )


# what a file download reads of a document: where the file is and what it is
FILE_FIELDS = ("content_type", "original", "original_name", "sha256")


def readable_document(user, pk, queryset=None) -> Document:
    """One document for a page or a download: 404 when absent, 403 when confidential to this
    person (the refusal says why; the document's fields are not shown)."""
    doc = get_object_or_404(Document.objects.all() if queryset is None else queryset, pk=pk)
    if not readable(Document.objects.filter(pk=doc.pk), user).exists():
        raise PermissionDenied("Văn bản mật: chỉ người được giao xử lý mới được xem.")
    return doc


def registry_documents(params, user):
    """The documents under the registry filters of a request's parameters that this person may
    read, and the filters."""
    filters = registry_filters(params)
    docs = readable(Document.objects.all(), user)
    for name, value in filters.items():
        if name == "signature":
            docs = docs.filter(**signature_lookup(value))
        else:
            docs = docs.filter(**{"unit_id" if name == "unit" else name: value})
    return docs, filters


# --- corrections --------------------------------------------------------------------------


class CorrectionError(InvalidRequest):
    pass


def field_value(doc: Document, name: str) -> str:
    """An editable field as the edit form shows it (dates as dd/mm/yyyy)."""
    value = getattr(doc, name)
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return value or ""


def parse_vn_date(text: str) -> date | None:
    """dd/mm/yyyy as typed in a form (the core's one date grammar); empty gives None."""
    if not text:
        return None
    try:
        return parse_user_date(text)
    except InvalidDate as exc:
        raise CorrectionError(str(exc)) from exc


def apply_corrections(doc: Document, values, user) -> list[str]:
    """Save the fields that changed, each with the machine's value kept beside it. Every value is
    checked before anything is saved: one bad value saves nothing (CorrectionError). A changed
    date moves the deadlines its tasks count from it (`document_corrected`)."""
    new_values = {}
    for name in EDITABLE_FIELDS:
        if name not in values:
            continue
        raw = values[name]
        if not isinstance(raw, str):
            raise CorrectionError(f"{EDITABLE_FIELDS[name]}: phải là chuỗi ký tự.")
        new = raw.strip()
        if new != field_value(doc, name):
            new_values[name] = (new, parse_vn_date(new) if name == "date" else new)
    if not new_values:
        return []
    previous = search.indexed(doc)
    old_date = doc.date
    changed = list(new_values)
    with transaction.atomic():
        for name, (typed, value) in new_values.items():
            setattr(doc, name, value)
            machine = doc.machine.get(name)
            if name.startswith("signer_") and doc.machine.get("signer"):
                machine = doc.machine["signer"].get(name.removeprefix("signer_"))
            Correction.objects.create(
                document=doc, field=name, machine_value=machine or "", value=typed, user=user
            )
        doc.save()
        search.index_document(doc, previous)
        audit(user, "document-edit", doc, "Sửa " + ", ".join(changed) + f" của {doc}")
        document_corrected.send(Document, document=doc, fields=changed, old_date=old_date)
    return changed


# --- uploads ------------------------------------------------------------------------------


def job_json(job: IngestJob) -> dict:
    return {
        "id": job.pk,
        "name": job.original_name,
        "status": job.status,
        "status_label": job.get_status_display(),
        "message": job.message,
        "document": job.document_id,
        "document_url": f"/van-ban/{job.document_id}/" if job.document_id else None,
    }


def job_ids(text: str, limit: int = 200) -> list[int]:
    """The ids of `?ids=1,2,3`; anything else is an InvalidRequest."""
    ids = []
    for part in filter(None, (x.strip() for x in text.split(","))):
        ids.append(as_id(part, "công việc nhập"))
    return ids[:limit]


def direction_of(value: str | None) -> str:
    """The register an upload goes to: incoming unless `di`; anything else is refused."""
    value = (value or Document.Direction.INCOMING).strip()
    if value not in Document.Direction.values:
        raise InvalidRequest(
            f"Sổ không hợp lệ: {value[:20]!r} (chọn “den” – văn bản đến hoặc “di” – văn bản đi)."
        )
    return value


def unfinished_jobs(user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return IngestJob.objects.filter(
        created_by=user, status__in=[IngestJob.Status.QUEUED, IngestJob.Status.RUNNING]
    ).count()


def receive_uploads(files: Iterable, user, direction: str | None) -> list[dict]:
    """The one upload path of the page and the API: check the register, store each file once
    and queue it. A user with `CCHC_MAX_QUEUED_JOBS` unfinished jobs has further files refused
    until those are done (OCR of a large scan takes minutes). Returns each file's job (or
    why it was refused) as JSON; InvalidRequest when the request itself is wrong."""
    direction = direction_of(direction)
    files = list(files)
    if not files:
        raise InvalidRequest("Chưa chọn tệp nào (trường files).")
    room = settings.CCHC_MAX_QUEUED_JOBS - unfinished_jobs(user)
    answers = []
    for f in files:
        if room <= 0:
            answers.append(
                {
                    "name": safe_name(f.name),
                    "status": "failed",
                    "message": f"{safe_name(f.name)}: chưa nhận – bạn đang có "
                    f"{settings.CCHC_MAX_QUEUED_JOBS} tệp chờ xử lý; hãy gửi lại khi chúng xong.",
                }
            )
            continue
        try:
            job = accept_upload(f.chunks(), f.name, user, direction)
        except UploadRejected as exc:
            answers.append({"name": f.name, "status": "failed", "message": str(exc)})
            continue
        if job.status == IngestJob.Status.QUEUED:
            room -= 1
            queue.enqueue(job)
        answers.append(job_json(job))
    return answers


# --- pictures of PDF pages ------------------------------------------------------------------

# Pages shown on a document's page; the downloaded original has the rest.
PREVIEW_PAGES = 40


def preview_pages(doc: Document) -> int:
    """How many pages of a PDF original the document page shows as pictures (0: none)."""
    if doc.content_type != "application/pdf":
        return 0
    pages = doc.quality.get("pages")  # the reader counted them at ingest
    if pages is None:  # not counted (an original that is the attachment of a package…)
        try:
            pages = preview.page_count(settings.MEDIA_ROOT / doc.original)
        except CchcError:
            return 0
    return min(pages, PREVIEW_PAGES)


def page_picture(doc: Document, number: int) -> bytes:
    """Page `number` (1-based) of a PDF original as a PNG, drawn once and kept beside the
    originals (`previews/<sha256>-<page>.png`). IndexError when the page is not shown."""
    if doc.content_type != "application/pdf" or not 1 <= number <= PREVIEW_PAGES:
        raise IndexError(number)
    folder = settings.MEDIA_ROOT / "previews"
    cached = folder / f"{doc.sha256}-{number}.png"
    if cached.is_file():
        return cached.read_bytes()
    data = preview.page_png(settings.MEDIA_ROOT / doc.original, number - 1)
    folder.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(f".{os.getpid()}.part")
    partial.write_bytes(data)
    partial.replace(cached)  # two requests drawing the same page both write whole files
    return data
