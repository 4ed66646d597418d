"""Bringing files in: store the original once per content hash, run the core pipeline
(OCR → repair → parse → tasks), and save the result in one transaction.

A job is recorded before any work starts, so a crash leaves a job to retry, never half a document.
"""

from __future__ import annotations

import errno
import logging
import os
import stat
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Min, OuterRef, Subquery
from django.utils import timezone

import cchc
from cchc.parse import marks
from cchc.readers import markup_kind, media_type
from cchc.web.accounts.models import AuditEntry, audit_entry
from cchc.web.accounts.roles import can_register
from cchc.web.documents import exchange
from cchc.web.documents.models import (
    Citation,
    Document,
    IngestJob,
    Register,
    RegisterCounter,
    number_key,
)
from cchc.web.documents.parsing import parse_original
from cchc.web.documents.signals import document_ingested
from cchc.web.documents.store import UploadRejected, safe_name, store_file

log = logging.getLogger("cchc.ingest")

# A lost database connection: the job stays unfinished, to be tried again.
DATABASE_AWAY = (OperationalError, InterfaceError)


def _not_a_document(path: Path, kind: str) -> str | None:
    """Why a file that is not PDF, DOCX or an image is no text either: NUL bytes in its first
    4 KB (UTF-16 aside), or markup (a web page or script under a document's name)."""
    if not kind.startswith("text/"):
        return None
    with path.open("rb") as fh:
        sample = fh.read(4096)
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "không phải văn bản, PDF, DOCX hay ảnh quét"
    if markup_kind(sample.decode("utf-8", "replace")):
        return "tệp HTML/XML hoặc mã script, không phải văn bản"
    return None


def accept_upload(chunks, name: str, user=None, direction: str = "den") -> IngestJob:
    """Store an uploaded file and queue it; the same content twice gives a DUPLICATE job."""
    display = safe_name(name)
    sha, relative, _size, _kind = store_file(chunks, display, refuse=_not_a_document)
    existing = Document.objects.filter(sha256=sha).first()
    job = IngestJob.objects.create(
        original_name=display,
        stored_path=relative,
        sha256=sha,
        direction=direction,
        created_by=user if user is not None and user.is_authenticated else None,
        status=IngestJob.Status.DUPLICATE if existing else IngestJob.Status.QUEUED,
        document=existing,
        message=f"đã có trong sổ: {existing}" if existing else "",
        finished_at=timezone.now() if existing else None,
    )
    return job


def accept_path(
    path: str | Path,
    user=None,
    direction: str = "den",
    follow_links: bool = True,
    name: str | None = None,
) -> IngestJob:
    """Accept a file of the server's disk, registered under `name` (default: the file's own);
    without `follow_links` a symbolic link is refused (a watched folder: a link put there must
    not read a file elsewhere)."""
    path = Path(path)
    flags = os.O_RDONLY | (0 if follow_links else os.O_NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if not follow_links and exc.errno == errno.ELOOP:
            raise UploadRejected(f"{path.name}: là liên kết (symlink), không nhận") from exc
        raise
    if not follow_links and not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise UploadRejected(f"{path.name}: không phải tệp thường, không nhận")

    def chunks():
        with os.fdopen(fd, "rb") as fh:
            while chunk := fh.read(1 << 20):
                yield chunk

    return accept_upload(chunks(), name or path.name, user, direction)


# Parsed files stored per transaction when several jobs run together (a folder ingest).
STORE_BATCH = 50


def run_jobs(
    jobs: list[IngestJob],
    tasks: bool = True,
    new_attempt: bool = True,
    parse_map: Callable = map,
) -> Iterator[IngestJob]:
    """The one executor of ingest jobs, whoever runs them (the server's thread and Celery
    workers through `queue.process`, `cchc ingest` for files and folders): mark the jobs
    running, parse their files with `parse_map` (`map` here, a process pool's for a folder)
    and store them, `STORE_BATCH` to a transaction. Yields each job once finished, in order.
    Without `new_attempt` the run goes on with the attempt a lost database connection cut off."""
    runnable = []
    for job in jobs:
        if job.status in (IngestJob.Status.QUEUED, IngestJob.Status.RUNNING):
            runnable.append(job)
        else:
            yield job
    for job in runnable:
        job.attempts += new_attempt
        job.started_at = timezone.now()
        IngestJob.objects.filter(pk=job.pk).update(
            status=IngestJob.Status.RUNNING, attempts=job.attempts, started_at=job.started_at
        )
    parsed = parse_map(
        parse_original,
        [str(Path(settings.MEDIA_ROOT) / job.stored_path) for job in runnable],
        [job.original_name for job in runnable],
        [tasks] * len(runnable),
    )
    batch: list[tuple[IngestJob, cchc.Document | str]] = []
    for job, result in zip(runnable, parsed, strict=True):
        batch.append((job, result))
        if len(batch) == STORE_BATCH:
            yield from finish_jobs(batch)
            batch = []
    if batch:
        yield from finish_jobs(batch)


def run_job(job: IngestJob, tasks: bool = True, new_attempt: bool = True) -> IngestJob:
    """Parse the stored file and save the document, its citations, tasks and search entry."""
    return next(run_jobs([job], tasks, new_attempt))


def finish_job(job: IngestJob, parsed: cchc.Document | str) -> IngestJob:
    """Store a parsed document in one transaction (or record why it failed). A job finished
    meanwhile by another worker is left as it is. A lost database connection is raised, not
    recorded: the job is still unfinished and will be tried again."""
    try:
        with transaction.atomic():
            current = IngestJob.objects.select_for_update().filter(pk=job.pk).first()
            if current is None or current.status not in (
                IngestJob.Status.QUEUED,
                IngestJob.Status.RUNNING,
            ):
                return current or job
            stored = existing = None
            if not isinstance(parsed, str):
                existing = Document.objects.filter(sha256=job.sha256).first()
                if existing is None:
                    try:
                        with transaction.atomic():
                            stored = save_document(parsed, job)
                    except IntegrityError:  # a parallel job stored the same content just now
                        existing = Document.objects.filter(sha256=job.sha256).first()
                        if existing is None:
                            raise
            _set_outcome(job, parsed, stored, existing)
            job.save()
    except DATABASE_AWAY:
        raise
    except Exception as exc:
        log.exception("storing %s failed", job.original_name)
        fail_job(job, f"{job.original_name}: không lưu được ({type(exc).__name__}: {exc})")
    return job


def finish_jobs(results: list[tuple[IngestJob, cchc.Document | str]]) -> list[IngestJob]:
    """`finish_job` for a batch (a folder being ingested): the documents stored in one
    transaction, which costs far less than one each. An error other than a lost connection
    falls back to finishing them one by one, so a bad document fails only its own job.
    Returns the jobs in the order given."""
    given = results
    try:
        with transaction.atomic():
            open_ids = set(
                IngestJob.objects.select_for_update()
                .filter(
                    pk__in=[job.pk for job, _ in results],
                    status__in=[IngestJob.Status.QUEUED, IngestJob.Status.RUNNING],
                )
                .values_list("pk", flat=True)
            )
            results = [(job, parsed) for job, parsed in results if job.pk in open_ids]
            shas = [job.sha256 for job, parsed in results if not isinstance(parsed, str)]
            earlier = {
                d.sha256: d
                for d in Document.objects.filter(sha256__in=shas).only(
                    "type", "number", "original_name", "sha256"
                )
            }
            first: dict[str, IngestJob] = {}
            for job, parsed in results:
                if not isinstance(parsed, str) and job.sha256 not in earlier:
                    first.setdefault(job.sha256, job)
            stored = save_documents(
                [(parsed, job) for job, parsed in results if first.get(job.sha256) is job]
            )
            stored_by_sha = {doc.sha256: doc for doc in stored}
            for job, parsed in results:
                if isinstance(parsed, str) or first.get(job.sha256) is job:
                    _set_outcome(job, parsed, stored=stored_by_sha.get(job.sha256))
                else:
                    existing = earlier.get(job.sha256) or stored_by_sha[job.sha256]
                    _set_outcome(job, parsed, existing=existing)
            IngestJob.objects.bulk_update(
                [job for job, _ in results], ["status", "message", "document", "finished_at"]
            )
    except DATABASE_AWAY:
        raise
    except Exception:
        log.warning("storing a batch of %d failed; storing one by one", len(given), exc_info=True)
        return [finish_job(job, parsed) for job, parsed in given]
    for job, _ in given:
        if job.pk not in open_ids:  # finished meanwhile by another worker
            job.refresh_from_db()
    return [job for job, _ in given]


def _set_outcome(
    job: IngestJob,
    parsed: cchc.Document | str,
    stored: Document | None = None,
    existing: Document | None = None,
) -> None:
    """A finished job's status, message, document and time (not saved): failed when `parsed`
    is the reason it could not be read, a duplicate of `existing`, or done as `stored`."""
    if isinstance(parsed, str):
        job.status, job.message, job.document = IngestJob.Status.FAILED, parsed, None
    elif existing is not None:
        job.status, job.document = IngestJob.Status.DUPLICATE, existing
        job.message = f"đã có trong sổ: {existing}"
    else:
        job.status, job.document = IngestJob.Status.DONE, stored
        job.message = "; ".join(parsed.warnings)
    job.finished_at = timezone.now()


def fail_job(job: IngestJob, message: str) -> None:
    _set_outcome(job, message)
    job.save()


def _date(iso: str | None) -> date | None:
    return date.fromisoformat(iso) if iso else None


def save_document(parsed: cchc.Document, job: IngestJob) -> Document:
    """Store one parsed document (inside the caller's transaction)."""
    return save_documents([(parsed, job)])[0]


def save_documents(items: list[tuple[cchc.Document, IngestJob]]) -> list[Document]:
    """Store parsed documents with their citations, tasks, search entries and audit entries
    (inside the caller's transaction); one insert per table for the lot."""
    docs = [_document_row(parsed, job) for parsed, job in items]
    for doc in docs:  # one INSERT each: a bulk insert on PostgreSQL quotes every text and JSON
        doc.save()  # value into an array literal in Python, which costs more than the round trips
    _save_citations(docs, [parsed for parsed, _job in items])
    warned = []
    for doc, (parsed, _job) in zip(docs, items, strict=True):
        # the apps built on documents add theirs: tasks (work), the search entry (search)
        for _receiver, warnings in document_ingested.send(Document, document=doc, parsed=parsed):
            if warnings:
                parsed.warnings.extend(warnings)
                doc.warnings = list(parsed.warnings)
                warned.append(doc)
    if warned:
        Document.objects.bulk_update(warned, ["warnings"])
    AuditEntry.objects.bulk_create(
        audit_entry(job.created_by, "ingest", doc, f"Nhập văn bản {doc} từ tệp {job.original_name}")
        for doc, (_parsed, job) in zip(docs, items, strict=True)
    )
    # last: the year's counter row stays locked until the transaction ends, so parallel
    # workers wait for each other only this long
    if _number_incoming(docs):
        Document.objects.bulk_update(docs, ["incoming_number"])
        for doc in docs:  # a received edXML package in the register: 03 đã tiếp nhận
            exchange.note_progress(doc)
    return docs


def _document_row(parsed: cchc.Document, job: IngestJob) -> Document:
    stored = Path(settings.MEDIA_ROOT) / job.stored_path
    signer = parsed.signer
    machine = parsed.to_dict()
    machine.pop("text", None)
    incoming = job.direction == Document.Direction.INCOMING
    doc = Document(
        sha256=job.sha256,
        original=job.stored_path,
        original_name=job.original_name,
        content_type=media_type(_head(stored)),
        size=stored.stat().st_size,
        direction=job.direction,
        register=Register.default(job.direction),
        received_date=timezone.localdate() if incoming else None,
        handling=Document.Handling.REGISTERED if incoming else "",
        urgency=marks.urgency(parsed.text) or Document.Urgency.NORMAL,
        secrecy=marks.secrecy(parsed.text) or Document.Secrecy.NORMAL,
        page_count=parsed.quality.pages if parsed.quality else None,
        type=parsed.type or "",
        number=parsed.number or "",
        issuer=parsed.issuer or "",
        parent_issuer=parsed.parent_issuer or "",
        place=parsed.place or "",
        date=_date(parsed.date),
        subject=parsed.subject or "",
        signer_name=(signer.name or "") if signer else "",
        signer_title=(signer.title or "") if signer else "",
        signer_authority=(signer.authority or "") if signer else "",
        recipients=parsed.recipients,
        distribution=parsed.distribution,
        bases=machine["bases"],
        sections=machine["sections"],
        text=parsed.text,
        quality=machine["quality"] or {},
        warnings=parsed.warnings,
        machine=machine,
        created_by=job.created_by,
    )
    for name, value in exchange.ingest_fields(parsed).items():
        setattr(doc, name, value)
    if doc.sender_organ_id:
        doc.received_via = Document.ReceivedVia.ELECTRONIC
    return doc


def _head(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(8)


def _number_incoming(docs: list[Document]) -> bool:
    """Số đến runs from 1 each year in each register, in the order given (inside the caller's
    transaction, which holds the counter row until it ends). False when none is incoming."""
    incoming = [d for d in docs if d.direction == Document.Direction.INCOMING and _registers(d)]
    for register_id, year in sorted({(d.register_id, d.received_date.year) for d in incoming}):
        for doc in incoming:
            if (doc.register_id, doc.received_date.year) == (register_id, year):
                doc.incoming_number = next_number(register_id, year)
    return bool(incoming)


def _registers(doc: Document) -> bool:
    """Does this document get its số đến as it comes in? When the office's own channels bring
    it (the watched folder, the CLI, an edXML package: no user) or the văn thư (or a leader)
    uploads it. A unit's officer who uploads a document keeps it out of the number sequence
    until the văn thư registers it (vào sổ), so that the register is the văn thư's."""
    return doc.created_by is None or can_register(doc.created_by)


def next_number(register_id: int, year: int) -> int:
    """The next number of a register in a year (inside the caller's transaction: the counter
    row stays locked until it ends, so two workers never give the same number)."""
    counter, _ = RegisterCounter.objects.select_for_update().get_or_create(
        register_id=register_id, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _save_citations(docs: list[Document], parsed: list[cchc.Document]) -> None:
    """The documents each one cites, linked to the first ingested document with that number;
    citations stored earlier that wait for one of these numbers are linked now."""
    cited = []
    for doc, one in zip(docs, parsed, strict=True):
        refs = {}
        for ref in one.references:
            key = number_key(ref.number)
            if key and key not in refs and key != doc.number_key:
                refs[key] = ref
        cited.append(refs)
    wanted = {key for refs in cited for key in refs}
    targets = dict(
        Document.objects.filter(number_key__in=wanted)
        .values("number_key")
        .annotate(first=Min("id"))
        .values_list("number_key", "first")
    )
    Citation.objects.bulk_create(
        Citation(
            document=doc,
            type=ref.type or "",
            number=ref.number or "",
            number_key=key,
            date=_date(ref.date),
            issuer=ref.issuer or "",
            text=ref.text[:500],
            target_id=targets.get(key),
        )
        for doc, refs in zip(docs, cited, strict=True)
        for key, ref in refs.items()
    )
    numbers = {doc.number_key for doc in docs if doc.number_key}
    if numbers:
        first = Document.objects.filter(number_key=OuterRef("number_key")).order_by("id")
        Citation.objects.filter(number_key__in=numbers, target=None).update(
            target=Subquery(first.values("id")[:1])
        )


def ingest_file(
    path: str | Path,
    user=None,
    direction: str = "den",
    tasks: bool = True,
    follow_links: bool = True,
):
    """Accept and process one file now (CLI, watched folder, benchmarks)."""
    job = accept_path(path, user, direction, follow_links)
    return run_job(job, tasks=tasks)
