"""Documents as offices exchange them, on the web side: what an ingested edXML package does
(its attachments stored, its sender kept and matched to a unit, a revoke/update/replace message
acting on the document it names), the status messages (03, 04, 05, 06) written to the outbox as
the workflow moves a received package, and a registered document exported as a package.

The workflow does not call this module: `DocumentsConfig.ready` connects it to the model signals
of documents and tasks, so `work.flow` stays as it is.
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone

import cchc
from cchc import edxml
from cchc.document import Document as CoreDocument
from cchc.document import Signer
from cchc.errors import CchcError
from cchc.extract.units import canonical_name
from cchc.web.accounts.models import Unit, audit
from cchc.web.documents.models import (
    Attachment,
    Document,
    ExchangeState,
    StatusMessage,
    number_key,
    signature_state,
)
from cchc.web.documents.store import store_file
from cchc.web.params import InvalidRequest

log = logging.getLogger("cchc.exchange")

OUTBOX_ENV = "CCHC_EDXML_OUTBOX"
# OtherInfo/Priority (edxml.PRIORITIES) → độ khẩn; "hỏa tốc hẹn giờ" is hỏa tốc here.
PRIORITY_URGENCY = {
    0: Document.Urgency.NORMAL,
    1: Document.Urgency.URGENT,
    2: Document.Urgency.VERY_URGENT,
    3: Document.Urgency.EXPRESS,
    4: Document.Urgency.EXPRESS,
}
ORGAN_ENV = "CCHC_EDXML_ORGAN_ID"


# --- at ingest --------------------------------------------------------------------------------


def ingest_fields(parsed: cchc.Document) -> dict:
    """The exchange fields of a document row, from its parse: the sender of an edXML package
    (its issuer is the unit with that mã định danh, when the deployment has one) and the
    summary of its digital signatures."""
    fields = {"signature_state": signature_state([asdict(s) for s in parsed.signatures])}
    section = parsed.edxml or {}
    if section.get("kind") == "document":
        if section.get("priority") is not None:
            fields["urgency"] = PRIORITY_URGENCY.get(section["priority"], Document.Urgency.NORMAL)
        if section.get("due_date"):
            fields["handling_deadline"] = date.fromisoformat(section["due_date"])
        sender = section.get("sender") or {}
        fields["sender_organ_id"] = (sender.get("organ_id") or "")[:40]
        fields["sender_name"] = (sender.get("name") or "")[:300]
        fields["edxml_id"] = (section.get("document_id") or "")[:300]
        if fields["sender_organ_id"]:
            unit = Unit.objects.filter(organ_id=fields["sender_organ_id"]).values("name").first()
            if unit:
                fields["issuer"] = unit["name"]
    return fields


def on_ingested(sender, document: Document, parsed: cchc.Document, **_kwargs) -> list[str]:
    """`document_ingested` receiver (inside the storing transaction): an edXML package's
    attachments stored as originals, and what a revoke/update/replace message does."""
    section = parsed.edxml or {}
    if section.get("kind") != "document":
        return []
    store_attachments(document, section)
    business = section.get("business")
    if business in ("revoke", "update", "replace"):
        return act_on_target(document, section, business)
    return []


def store_attachments(document: Document, section: dict) -> list[Attachment]:
    """Every attachment of the stored package, written to the originals store (once per content
    hash) and recorded. The package is read again from the stored original: the parse that runs
    in a worker process does not carry the files' bytes back."""
    package = edxml.read_package(Path(settings.MEDIA_ROOT) / document.original)
    main = {a["sha256"] for a in section.get("attachments", []) if a.get("main")}
    rows = []
    for position, item in enumerate(package.attachments):
        name = edxml.attachment_file_name(item.name, position + 1)
        sha, relative, size, kind = store_file(iter([item.data]), name)
        rows.append(
            Attachment(
                document=document,
                position=position,
                name=name,
                content_type=kind,
                size=size,
                sha256=sha,
                file=relative,
                main=sha in main,
            )
        )
        main.discard(sha)  # one attachment is the main one, even when two are the same file
    return Attachment.objects.bulk_create(rows)


def find_target(document: Document, section: dict) -> Document | None:
    """The document a revoke/update/replace package names: by DocumentId (its ResponseFor's or,
    as the axis sends them, its own), else by the sender's mã định danh, số/ký hiệu and date.
    Another revoke message, or a version already superseded, is never the target."""
    candidates = (
        Document.objects.exclude(pk=document.pk)
        .exclude(
            exchange_state__in=[
                ExchangeState.UPDATED,
                ExchangeState.REPLACED,
                ExchangeState.REVOKE_MESSAGE,
            ]
        )
        .order_by("-id")
    )
    ids = [r.get("document_id") for r in section.get("response_for", [])]
    ids = [i for i in [*ids, section.get("document_id")] if i]
    if ids:
        found = candidates.filter(edxml_id__in=ids).first()
        if found:
            return found
    refs = [(r.get("organ_id"), r.get("code"), r.get("date")) for r in section["response_for"]]
    own = section.get("sender", {}).get("organ_id")
    refs.append((own, document.number, document.date.isoformat() if document.date else None))
    for organ_id, code, day in refs:
        if not (organ_id and code):
            continue
        match = candidates.filter(sender_organ_id=organ_id, number_key=number_key(code))
        if day:
            match = match.filter(date=day)
        found = match.first()
        if found:
            return found
    return None


def _named(section: dict, document: Document) -> str:
    for ref in section.get("response_for", []):
        if ref.get("document_id") or ref.get("code"):
            return ref.get("document_id") or ref.get("code")
    return section.get("document_id") or document.number or "?"


def act_on_target(document: Document, section: dict, business: str) -> list[str]:
    """Revoke: the named document is marked revoked (when, by which message) and its proposed
    and open tasks flagged, none deleted; update/replace: the new package is linked to the old
    one, which is marked. A message naming no known document: a warning, nothing else."""
    target = find_target(document, section)
    word = edxml.BUSINESS_WORDS[{"revoke": 1, "update": 2, "replace": 3}[business]]
    if target is None:
        return [
            f"gói edXML {word} văn bản {_named(section, document)}, nhưng văn bản đó chưa có "
            "trong sổ: gói được lưu như một văn bản thường; hãy kiểm tra với cơ quan gửi"
        ]
    target = Document.objects.select_for_update().get(pk=target.pk)
    if business == "revoke":
        if target.exchange_state == ExchangeState.REVOKED:
            return [f"văn bản {target} đã bị thu hồi trước đó (gói tin khác)"]
        target.exchange_state = ExchangeState.REVOKED
        target.revoked_at = timezone.now()
        target.revoked_by = document
        target.save(update_fields=["exchange_state", "revoked_at", "revoked_by"])
        document.exchange_state = ExchangeState.REVOKE_MESSAGE  # not a document to handle
        Document.objects.filter(pk=document.pk).update(exchange_state=document.exchange_state)
        flagged = flag_tasks(target, document)
        audit(None, "document-revoke", target, f"Thu hồi {target} theo gói tin {document}")
        queue_statuses(document, ["15"])  # đồng ý thu hồi
        note = f"; {flagged} việc, đề xuất của văn bản được đánh dấu" if flagged else ""
        return [f"gói tin thu hồi văn bản {target} (đã đánh dấu thu hồi{note})"]
    target.exchange_state = (
        ExchangeState.UPDATED if business == "update" else ExchangeState.REPLACED
    )
    target.save(update_fields=["exchange_state"])
    Document.objects.filter(pk=document.pk).update(replaces=target)
    document.replaces = target
    audit(None, f"document-{business}", target, f"{word.capitalize()} {target} bằng {document}")
    return [f"gói tin {word} văn bản {target}"]


def flag_tasks(target: Document, message: Document) -> int:
    """The revoked document's proposals and unfinished tasks get a flag (`machine["revoked"]`)
    and a line in their history; a flagged proposal cannot be confirmed (`refuse_revoked`)."""
    Task = apps.get_model("work", "Task")
    TaskChange = apps.get_model("work", "TaskChange")
    tasks = list(
        Task.objects.filter(document=target)
        .exclude(state=Task.State.DISCARDED)
        .exclude(state=Task.State.CONFIRMED, status=Task.Status.DONE)
    )
    flag = {"at": timezone.now().isoformat(), "by": message.pk, "message": str(message)}
    for task in tasks:
        task.machine = {**(task.machine or {}), "revoked": flag}
    Task.objects.bulk_update(tasks, ["machine"])
    TaskChange.objects.bulk_create(
        TaskChange(
            task=task,
            field="document",
            old="",
            new="Văn bản bị thu hồi",
            reason=f"Gói tin thu hồi {message} (số đến {message.incoming_number or '—'})",
        )
        for task in tasks
    )
    return len(tasks)


def refuse_revoked(sender, instance, **_kwargs) -> None:
    """`pre_save` of tasks: a proposal of a revoked document is not confirmed. The leader
    decides it (loại, để biết) knowing the document was revoked."""
    if not instance.pk or not (instance.machine or {}).get("revoked"):
        return
    if instance.state != sender.State.CONFIRMED:
        return
    before = sender.objects.filter(pk=instance.pk).values_list("state", flat=True).first()
    if before == sender.State.PROPOSED:
        raise InvalidRequest(revoked_reason(instance))


def revoked_reason(task) -> str | None:
    """Why a proposal of a revoked document cannot be given (None when its document stands)."""
    flag = (task.machine or {}).get("revoked")
    if not flag:
        return None
    return (
        f"Văn bản của đề xuất “{task.action[:80]}” đã bị thu hồi ({flag.get('message', '')}): "
        "không giao được; hãy loại đề xuất hoặc chọn Để biết."
    )


# --- status messages --------------------------------------------------------------------------


def outbox() -> Path:
    """Where status messages are written (CCHC_EDXML_OUTBOX, default <data dir>/edxml-outbox);
    the office's own transport takes them to its LGSP."""
    configured = os.environ.get(OUTBOX_ENV) or getattr(settings, "CCHC_EDXML_OUTBOX", None)
    if configured:
        return Path(configured)
    data = getattr(settings, "DATA_DIR", None) or Path(settings.MEDIA_ROOT).parent
    return Path(data) / "edxml-outbox"


def our_organ() -> edxml.Organ | None:
    """The deployment as edXML names it: CCHC_EDXML_ORGAN_ID, else the active top unit (no parent)
    that has a mã định danh."""
    organ_id = os.environ.get(ORGAN_ENV, "").strip()
    if organ_id:
        unit = Unit.objects.filter(organ_id=organ_id).values("name").first()
        return edxml.Organ(organ_id, unit["name"] if unit else None)
    unit = (
        Unit.objects.active()
        .filter(parent=None)
        .exclude(organ_id="")
        .order_by("id")
        .values("organ_id", "name")
        .first()
    )
    return edxml.Organ(unit["organ_id"], unit["name"]) if unit else None


def received_package(doc: Document) -> bool:
    return bool(doc.sender_organ_id) and doc.direction == Document.Direction.INCOMING


def reached(doc: Document) -> list[str]:
    """The status codes a received package has reached, in order."""
    Task = apps.get_model("work", "Task")
    H = Document.Handling
    codes = []
    if doc.incoming_number is not None:
        codes.append("03")
    if doc.handling in (H.DIRECTED, H.FORWARDED, H.INFORMATION):
        codes.append("04")
    statuses = set(Task.work.filter(document=doc, parent=None).values_list("status", flat=True))
    if statuses & {Task.Status.DOING, Task.Status.DONE}:
        codes.append("05")
    if doc.handling == H.INFORMATION or (statuses and statuses == {Task.Status.DONE}):
        codes.append("06")
    return codes


def note_progress(doc: Document) -> list[str]:
    """Write the status messages the document has reached and not yet sent (each once, in
    order); files are written when the transaction commits. Returns the codes queued."""
    # a revoke message is answered by 15 (act_on_target), not handled as work
    if not received_package(doc) or doc.exchange_state in (
        ExchangeState.REVOKED,
        ExchangeState.REVOKE_MESSAGE,
    ):
        return []
    sent = set(StatusMessage.objects.filter(document=doc).values_list("code", flat=True))
    return queue_statuses(doc, [code for code in reached(doc) if code not in sent])


def queue_statuses(doc: Document, todo: list[str]) -> list[str]:
    """Status messages `todo` answering the package `doc` came in, each once; written to the
    outbox when the transaction commits. Returns the codes queued."""
    if not todo:
        return []
    organ = our_organ()
    if organ is None:
        log.warning(
            "status %s of document %s not written: no unit has a mã định danh (%s)",
            ",".join(todo),
            doc.pk,
            ORGAN_ENV,
        )
        return []
    number, notation = edxml.split_code(doc.number)
    package = edxml.Package(
        file=doc.original_name,
        sender=edxml.Organ(doc.sender_organ_id, doc.sender_name or None),
        number=number or None,
        notation=notation or None,
        date=doc.date.isoformat() if doc.date else None,
        document_id=doc.edxml_id or None,
    )
    queued = []
    for code in todo:
        name = f"trang-thai-{code}-van-ban-{doc.pk}.edxml"
        with transaction.atomic():
            _, created = StatusMessage.objects.get_or_create(
                document=doc, code=code, defaults={"file": name}
            )
        if not created:
            continue
        data = edxml.build_status(package, code, organ)
        transaction.on_commit(lambda d=data, n=name, c=code: _write_status(doc.pk, c, n, d))
        queued.append(code)
    return queued


def _write_status(doc_id: int, code: str, name: str, data: bytes) -> None:
    folder = outbox()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        edxml.write_atomically(folder / name, data)
    except OSError:
        log.exception("status %s of document %s: cannot write to %s", code, doc_id, folder)
        StatusMessage.objects.filter(document_id=doc_id, code=code).delete()  # tried again later


def document_saved(sender, instance: Document, created: bool, **_kwargs) -> None:
    """`post_save` of documents: vào sổ (03), phân công / chuyển / để biết (04, 06)."""
    if created or not instance.sender_organ_id:
        return
    note_progress(instance)


def task_saved(sender, instance, **_kwargs) -> None:
    """`post_save` of tasks: a task in progress (05), every task done (06)."""
    if instance.document_id is None or instance.state != sender.State.CONFIRMED:
        return
    _progress_of(instance.document_id)


def status_noted(sender, instance, created: bool, **_kwargs) -> None:
    """`post_save` of progress notes: a status change (`assign.set_status` writes the task with
    an UPDATE, which sends no signal, and always adds this note)."""
    if not created or not instance.status_to:
        return
    Task = apps.get_model("work", "Task")
    document_id = Task.objects.filter(pk=instance.task_id).values_list("document_id", flat=True)
    document_id = document_id.first()
    if document_id is not None:
        _progress_of(document_id)


def _progress_of(document_id: int) -> None:
    doc = (
        Document.objects.filter(pk=document_id)
        .exclude(sender_organ_id="")
        .only(
            "id",
            "direction",
            "sender_organ_id",
            "sender_name",
            "edxml_id",
            "number",
            "date",
            "original_name",
            "incoming_number",
            "handling",
            "exchange_state",
        )
        .first()
    )
    if doc is not None:
        note_progress(doc)


# --- export -----------------------------------------------------------------------------------


class ExportError(InvalidRequest):
    pass


def _core(doc: Document) -> CoreDocument:
    core = CoreDocument(file=doc.original_name)
    core.type, core.number, core.issuer = doc.type, doc.number, doc.issuer
    core.parent_issuer, core.place, core.subject = doc.parent_issuer, doc.place, doc.subject
    core.date = doc.date.isoformat() if doc.date else None
    core.distribution = list(doc.distribution or [])
    if doc.signer_name or doc.signer_title:
        core.signer = Signer(doc.signer_name, doc.signer_title, doc.signer_authority)
    return core


def answered_documents(doc: Document) -> list[Document]:
    """The incoming documents an outgoing one answers (the draft it was issued from)."""
    draft = getattr(doc, "outgoing_draft", None)  # the reverse one-to-one, when there is one
    if draft is None:
        return []
    return list(draft.answers.all())


def recipient_organs(doc: Document) -> list[edxml.Organ]:
    """To of a document that answers nothing: its Kính gửi recipients that the unit registry
    knows with a mã định danh, in the document's order (others are left for the LGSP)."""
    wanted = [canonical_name(name) for name in doc.recipients if isinstance(name, str)]
    known = {
        row["canonical"]: row
        for row in Unit.objects.filter(canonical__in=wanted)
        .exclude(organ_id="")
        .values("canonical", "organ_id", "name")
    }
    seen, out = set(), []
    for key in wanted:
        row = known.get(key)
        if row and row["organ_id"] not in seen:
            seen.add(row["organ_id"])
            out.append(edxml.Organ(row["organ_id"], row["name"]))
    return out


def export_package(doc: Document, now: datetime | None = None) -> tuple[str, bytes]:
    """A registered document as an edXML package: From is the deployment's mã định danh; its
    files (the original, or a received package's attachments) attached; ResponseFor names the
    documents it answers, To their senders (else the recipients the registry knows with a mã
    định danh). Returns (file name, bytes)."""
    organ = our_organ()
    if organ is None:
        raise ExportError(
            "Chưa có mã định danh của cơ quan: quản trị nhập mã định danh cho đơn vị cấp trên "
            f"cùng (Đơn vị › mã định danh) hoặc đặt biến môi trường {ORGAN_ENV}."
        )
    if not doc.number:
        raise ExportError(f"Văn bản {doc} chưa có số, ký hiệu: không lập được gói edXML.")
    answered = answered_documents(doc)
    targets = [
        edxml.ResponseFor(a.sender_organ_id or None, a.number or None, _iso(a), a.edxml_id or None)
        for a in answered
    ]
    receivers = [
        edxml.Organ(a.sender_organ_id, a.sender_name or a.issuer)
        for a in answered
        if a.sender_organ_id
    ] or recipient_organs(doc)
    media = Path(settings.MEDIA_ROOT)
    files = [(a.name, media / a.file) for a in doc.attachments.all()]
    if not files:
        files = [(doc.original_name, media / doc.original)]
    with tempfile.TemporaryDirectory(prefix="cchc-export-") as folder:
        paths = []
        for index, (name, source) in enumerate(files, start=1):
            if not source.is_file():
                raise ExportError(f"{doc}: không tìm thấy tệp {name} trong kho tệp gốc.")
            target = Path(folder) / f"{index}" / edxml.attachment_file_name(name, index)
            target.parent.mkdir()
            target.write_bytes(source.read_bytes())
            paths.append(target)
        try:
            data = edxml.build_package(
                _core(doc),
                organ,
                receivers,
                paths,
                targets,
                due_date=doc.handling_deadline.isoformat() if doc.handling_deadline else None,
                priority=URGENCY_PRIORITY.get(doc.urgency, 0),
                now=now,
            )
        except CchcError as exc:
            raise ExportError(str(exc)) from exc
    stem = edxml.attachment_file_name(doc.number.replace("/", "-"), 1)
    return f"{stem}{edxml.SUFFIX}", data


URGENCY_PRIORITY = {
    Document.Urgency.NORMAL: 0,
    Document.Urgency.URGENT: 1,
    Document.Urgency.VERY_URGENT: 2,
    Document.Urgency.EXPRESS: 3,
}


def _iso(doc: Document) -> str | None:
    return doc.date.isoformat() if doc.date else None
