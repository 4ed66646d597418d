"""The way of an outgoing document, shared by the pages (and any script): a draft and its
versions, submission for signature, the signer's review, numbering in the register of
outgoing documents, issuing through the real ingest, and closing the tasks it answers.

Every step checks the state it starts from, runs in one transaction, is written to the
draft's history (`DraftEvent`) and to the audit log. Versions are never deleted."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from cchc import notation
from cchc.knowledge import doc_types
from cchc.text import running_name
from cchc.web.accounts import roles
from cchc.web.accounts.models import Profile, Unit, audit
from cchc.web.documents.ingest import accept_path, next_number, run_job
from cchc.web.documents.models import Document, IngestJob, Register, number_key
from cchc.web.documents.services import apply_corrections
from cchc.web.documents.store import safe_name, store_file
from cchc.web.params import InvalidRequest
from cchc.web.work import assign
from cchc.web.work import services as work_services
from cchc.web.work.models import Notification, Task

from .models import Draft, DraftEvent, DraftReview, DraftVersion

State = Draft.State

# The files a draft may be: what the signer reads and the ingest can file.
DRAFT_EXTENSIONS = (".docx", ".pdf", ".txt")
_KINDS = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class DraftError(InvalidRequest):
    """A step the draft's state or the given values do not allow; the message says why."""


class DuplicateDraft(DraftError):
    """The same draft (author, unit, type, trích yếu, file) was just created: a form sent
    twice."""

    def __init__(self, existing: Draft):
        super().__init__(f"Dự thảo này vừa được tạo (biểu mẫu gửi hai lần): {existing}.")
        self.existing = existing


# A draft the same as one its author created this recently is the same form sent twice.
DUPLICATE_WINDOW = timedelta(seconds=60)


# --- notifications along the way ---------------------------------------------------------


def _draft_url(draft: Draft) -> str:
    return reverse("outgoing-draft", args=[draft.pk])


def _tell(people, kind: str, text: str, url: str, actor=None) -> None:
    """One notification to each person (not to whoever took the step), each person once."""
    seen = set()
    for person in people:
        if person is None or person.pk in seen or (actor is not None and person.pk == actor.pk):
            continue
        seen.add(person.pk)
        Notification.objects.create(user=person, kind=kind, text=text[:2000], url=url[:300])


def _active(**filters):
    return get_user_model().objects.filter(is_active=True, **filters).select_related("profile")


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else "Hệ thống"


def type_names() -> list[str]:
    """The types a draft may be, công văn first (the table of Phụ lục III)."""
    names = [t.name for t in doc_types()]
    return [notation.LETTER] + [n for n in names if n != notation.LETTER]


# --- the draft and its versions ----------------------------------------------------------


def _refuse(name: str):
    """`store_file`'s check: a .docx, .pdf or .txt whose content is what its name says."""
    suffix = Path(name).suffix.lower()

    def refuse(path: Path, kind: str) -> str | None:
        if suffix not in DRAFT_EXTENSIONS:
            return "dự thảo phải là tệp .docx, .pdf hoặc .txt"
        if suffix in _KINDS:
            return None if kind == _KINDS[suffix] else f"nội dung không phải tệp {suffix}"
        if not kind.startswith("text/"):
            return "nội dung không phải văn bản thuần (.txt)"
        sample = path.open("rb").read(4096)
        try:
            sample.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(sample) - 4:  # a character cut at the end of the sample is fine
                return "tệp .txt phải được lưu dạng UTF-8"
        return "tệp .txt có ký tự nhị phân" if b"\x00" in sample else None

    return refuse


def add_version(draft: Draft, upload, user, note: str = "") -> DraftVersion:
    """Keep an uploaded file as the draft's next version (UploadRejected when it is no .docx,
    .pdf or .txt). Allowed while the draft is being written or was returned."""
    if not roles.can_edit_draft(user, draft):
        raise PermissionDenied("Chỉ người soạn hoặc đơn vị soạn thảo được thêm bản dự thảo.")
    if draft.state not in (State.DRAFT, State.RETURNED):
        raise DraftError(f"Dự thảo đang ở bước “{draft.get_state_display()}”: không thêm bản.")
    name = safe_name(upload.name)
    _sha, relative, size, kind = store_file(upload.chunks(), name, refuse=_refuse(name))
    with transaction.atomic():
        Draft.objects.select_for_update().filter(pk=draft.pk).first()  # versions numbered in turn
        last = draft.versions.aggregate(last=Max("number"))["last"] or 0
        version = DraftVersion.objects.create(
            draft=draft,
            number=last + 1,
            path=relative,
            name=name,
            size=size,
            content_type=kind,
            user=user,
            note=note.strip(),
        )
        draft.save(update_fields=["updated_at"])
        audit(user, "draft-version", draft, f"Tải lên bản {version.number} ({name}) của {draft}")
    return version


def create_draft(
    user,
    *,
    subject: str,
    type: str,
    unit: Unit,
    upload,
    recipients: str = "",
    answers: list[Document] = (),
    note: str = "",
) -> Draft:
    """A new draft of the user's unit (leaders and admins: of any unit) with its first file."""
    if not roles.can_draft_outgoing(user) or not roles.acts_for_unit(user, unit.pk):
        raise PermissionDenied("Bạn không có quyền soạn văn bản đi cho đơn vị này.")
    if type not in type_names():
        raise DraftError(f"Tên loại văn bản không có trong danh mục: “{type[:60]}”.")
    with transaction.atomic():
        # the author's row locked: two sendings of one form are checked one after the other
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        draft = Draft.objects.create(
            subject=subject.strip(),
            type=type,
            unit=unit,
            author=user,
            recipients=recipients.strip(),
            register=Register.default(Document.Direction.OUTGOING),
        )
        draft.answers.set(answers)
        first = add_version(draft, upload, user, note)
        same = (  # the same subject and file by the same author just now: one form sent twice
            Draft.objects.filter(
                author=user,
                unit=unit,
                type=type,
                subject=draft.subject,
                created_at__gte=timezone.now() - DUPLICATE_WINDOW,
                versions__number=1,
                versions__path=first.path,
            )
            .exclude(pk=draft.pk)
            .order_by("-id")
            .first()
        )
        if same is not None:
            raise DuplicateDraft(same)  # nothing of this one is kept
        _event(draft, user, "", State.DRAFT, "Tạo dự thảo")
        audit(user, "draft-create", draft, f"Soạn dự thảo {draft.type}: {draft.subject[:100]}")
    return draft


def incoming_by_number(text: str) -> Document | None:
    """The incoming document with this số, ký hiệu (as typed: spaces and marks do not matter)."""
    key = number_key(text)
    if not key:
        return None
    return (
        Document.objects.filter(number_key=key, direction=Document.Direction.INCOMING)
        .only("id", "type", "number", "date", "issuer", "subject")
        .order_by("id")
        .first()
    )


def answer_subject(doc: Document) -> str:
    """The trích yếu an answer to `doc` starts from: "V/v trả lời Công văn số 12/UBND-VP …"."""
    parts = [f"V/v trả lời {doc.type or 'văn bản'}"]
    if doc.number:
        parts.append(f"số {doc.number}")
    if doc.date:
        parts.append(f"ngày {doc.date:%d/%m/%Y}")
    if doc.issuer:
        parts.append(f"của {running_name(doc.issuer)}")
    return " ".join(parts)


def _event(draft: Draft, user, old: str, new: str, text: str = "") -> DraftEvent:
    return DraftEvent.objects.create(
        draft=draft,
        user=user if user is not None and user.is_authenticated else None,
        state_from=old,
        state_to=new,
        text=text,
    )


def _move(draft: Draft, user, allowed: tuple[str, ...], new: str, text: str = "") -> DraftEvent:
    """Lock the draft, check it stands where the step starts, and move it (inside the caller's
    transaction): two clicks or two people can never take one step twice."""
    current = Draft.objects.select_for_update().get(pk=draft.pk)
    if current.state not in allowed:
        raise DraftError(
            f"Dự thảo đang ở bước “{current.get_state_display()}”, không thể chuyển sang "
            f"“{State(new).label}”."
        )
    draft.state = new
    return _event(draft, user, current.state, new, text)


def submit(draft: Draft, user, approver=None, note: str = "") -> Draft:
    """Trình ký: the draft goes to the signer (a named one, or any who may approve)."""
    if not roles.can_edit_draft(user, draft):
        raise PermissionDenied("Chỉ người soạn hoặc đơn vị soạn thảo được trình ký.")
    if approver is not None and not roles.can_approve_outgoing(approver):
        raise DraftError(f"{approver.get_full_name() or approver} không có quyền ký duyệt.")
    if not draft.versions.exists():
        raise DraftError("Dự thảo chưa có tệp nào để trình ký.")
    with transaction.atomic():
        _move(draft, user, (State.DRAFT, State.RETURNED), State.SUBMITTED, note.strip())
        draft.approver = approver
        draft.save(update_fields=["state", "approver", "updated_at"])
        to = f" {approver.get_full_name() or approver.username}" if approver else ""
        audit(user, "draft-submit", draft, f"Trình ký{to}: {draft}")
        if approver is not None:
            signers = [approver]
        else:
            signers = [
                u
                for u in _active(profile__role=Profile.Role.LEADER)
                if roles.can_approve_outgoing(u)
            ]
        _tell(
            signers,
            "draft-submitted",
            f"{_person(user)} trình ký dự thảo {draft.type}: {draft.subject[:200]}",
            _draft_url(draft),
            actor=user,
        )
    return draft


def review(draft: Draft, user, decision: str, comment: str = "") -> DraftReview:
    """The signer approves the last version (it may be numbered) or returns the draft with a
    comment (a return needs one: it says what to change)."""
    if not roles.can_approve_outgoing(user):
        raise PermissionDenied("Bạn không có quyền duyệt văn bản đi.")
    if decision not in DraftReview.Decision.values:
        raise DraftError("Chọn duyệt hoặc trả lại.")
    comment = comment.strip()
    if decision == DraftReview.Decision.RETURN and not comment:
        raise DraftError("Trả lại dự thảo cần ghi ý kiến: cần sửa gì.")
    approve = decision == DraftReview.Decision.APPROVE
    with transaction.atomic():
        new = State.APPROVED if approve else State.RETURNED
        _move(draft, user, (State.SUBMITTED,), new, comment)
        version = draft.versions.order_by("-number").first()
        reviewed = DraftReview.objects.create(
            draft=draft, version=version, decision=decision, comment=comment, user=user
        )
        fields = ["state", "updated_at"]
        if approve:
            draft.approver = user
            draft.signer_name = user.get_full_name() or user.get_username()
            fields += ["approver", "signer_name"]
        draft.save(update_fields=fields)
        verb = "Duyệt" if approve else "Trả lại"
        audit(user, "draft-review", draft, f"{verb} bản {version.number} của {draft}: {comment}")
        url, what = _draft_url(draft), f"{draft.type}: {draft.subject[:200]}"
        said = f" Ý kiến: {comment}" if comment else ""
        if approve:
            _tell(
                [draft.author],
                "draft-approved",
                f"{_person(user)} đã duyệt dự thảo {what}.{said}",
                url,
                user,
            )
            _tell(
                _active(profile__role=Profile.Role.CLERK),
                "draft-approved",
                f"{_person(user)} đã duyệt, chờ cấp số: {what}",
                url,
                actor=user,
            )
        else:
            _tell(
                [draft.author],
                "draft-returned",
                f"{_person(user)} trả lại dự thảo {what}.{said}",
                url,
                user,
            )
    return reviewed


# --- cấp số and phát hành ------------------------------------------------------------------


def issuing_body(unit: Unit) -> Unit:
    """The body whose name a document goes out under: a phòng ban's or a sở's parent (the UBND
    it advises: a sở drafts what the UBND tỉnh issues), otherwise the unit itself."""
    if unit.kind in (Unit.Kind.DEPARTMENT, Unit.Kind.PROVINCE_BODY) and unit.parent_id:
        return unit.parent
    return unit


def _abbreviation(unit: Unit) -> str:
    return notation.unit_abbreviation(unit.name, unit.short_name)


def proposed_notation(draft: Draft, number: int | str = "") -> str:
    """The ký hiệu Nghị định 30 gives the draft (`15/UBND-NV`; `UBND-NV` without a number)."""
    body = issuing_body(draft.unit)
    unit = "" if body.pk == draft.unit_id else _abbreviation(draft.unit)
    symbol = notation.notation(draft.type, _abbreviation(body), unit)
    return f"{number}/{symbol}" if number != "" else symbol


def _checked_notation(typed: str, number: int) -> str:
    """The văn thư's ký hiệu: it must begin with the number the register gave."""
    typed = typed.strip()
    if not typed.startswith(f"{number}/") or len(typed) > 120 or len(typed) <= len(f"{number}/"):
        raise DraftError(f"Số, ký hiệu phải có dạng “{number}/…” (số do sổ cấp, rồi ký hiệu).")
    return typed


def give_number(draft: Draft, user, register: Register | None = None, symbol: str = "") -> Draft:
    """Cấp số: the next number of the register in this year (a locked counter: two drafts
    numbered at once never share one) and the ký hiệu of Phụ lục III, or the văn thư's
    correction of it (`symbol`: the part after "số/")."""
    if not roles.can_number_outgoing(user):
        raise PermissionDenied("Chỉ văn thư (hoặc lãnh đạo) được cấp số văn bản đi.")
    register = register or draft.register or Register.default(Document.Direction.OUTGOING)
    if register.direction != Document.Direction.OUTGOING:
        raise DraftError(f"“{register}” không phải sổ văn bản đi.")
    with transaction.atomic():
        event = _move(draft, user, (State.APPROVED,), State.NUMBERED)
        year = timezone.localdate().year
        number = next_number(register.pk, year)
        symbol = symbol.strip().strip("/")
        full = f"{number}/{symbol}" if symbol else proposed_notation(draft, number)
        draft.register, draft.year, draft.number = register, year, number
        draft.notation = _checked_notation(full, number)
        draft.save(update_fields=["state", "register", "year", "number", "notation", "updated_at"])
        event.text = f"Số {draft.notation} ({register}, năm {year})"
        event.save(update_fields=["text"])
        audit(user, "draft-number", draft, f"Cấp số {draft.notation} trong {register} năm {year}")
    return draft


def approval_date(draft: Draft) -> date | None:
    """The day the draft was last approved (its last approving review)."""
    at = (
        draft.reviews.filter(decision=DraftReview.Decision.APPROVE)
        .order_by("-at", "-id")
        .values_list("at", flat=True)
        .first()
    )
    return timezone.localdate(at) if at is not None else None


def check_issue_date(draft: Draft, issued: date) -> None:
    """A document is issued on a day between its approval and today."""
    today = timezone.localdate()
    if issued > today:
        raise DraftError(
            f"Ngày phát hành {issued:%d/%m/%Y} chưa đến: không được sau hôm nay ({today:%d/%m/%Y})."
        )
    approved = approval_date(draft)
    if approved is not None and issued < approved:
        raise DraftError(
            f"Ngày phát hành {issued:%d/%m/%Y} trước ngày dự thảo được duyệt "
            f"({approved:%d/%m/%Y}): văn bản chỉ phát hành được từ ngày duyệt."
        )


def issue(
    draft: Draft,
    user,
    issued: date,
    recipients: str | None = None,
    copies: int | None = None,
    symbol: str = "",
    note: str = "",
) -> Document:
    """Phát hành: the last version goes through the real ingest as an outgoing document; its
    number, date, type, issuer, subject and signer are then set from the draft (the draft is
    authoritative; the machine's reading stays beside each as a correction). The văn thư may
    still correct the ký hiệu (`symbol`, the full "số/ký hiệu")."""
    if not roles.can_number_outgoing(user):
        raise PermissionDenied("Chỉ văn thư (hoặc lãnh đạo) được phát hành văn bản đi.")
    final = draft.versions.order_by("-number").first()
    if final is None:
        raise DraftError("Dự thảo chưa có tệp nào.")
    check_issue_date(draft, issued)
    with transaction.atomic():
        event = _move(draft, user, (State.NUMBERED,), State.ISSUED)
        if symbol.strip():
            draft.notation = _checked_notation(symbol, draft.number)
        if recipients is not None:
            draft.recipients = recipients.strip()
        doc = _ingest(final, user)
        body = issuing_body(draft.unit)
        apply_corrections(
            doc,
            {
                "type": draft.type,
                "number": draft.notation,
                "issuer": body.name,
                "date": issued.strftime("%d/%m/%Y"),
                "subject": draft.subject,
                "signer_name": draft.signer_name,
            },
            user,
        )
        doc.register_id, doc.unit_id = draft.register_id, draft.unit_id
        doc.recipients = draft.recipient_lines()
        doc.save(update_fields=["register", "unit", "recipients"])
        draft.issued_document, draft.issued_date = doc, issued
        draft.copies, draft.register_note = copies, note.strip()
        draft.save()
        event.text = f"Phát hành văn bản số {draft.notation} ngày {issued:%d/%m/%Y}"
        event.save(update_fields=["text"])
        audit(user, "draft-issue", draft, f"Phát hành {draft.notation} ngày {issued:%d/%m/%Y}")
        _tell(
            [draft.author],
            "draft-issued",
            f"Văn bản số {draft.notation} ({draft.type}: {draft.subject[:200]}) đã phát hành "
            f"ngày {issued:%d/%m/%Y}.",
            _draft_url(draft),
            actor=user,
        )
    return doc


def _ingest(version: DraftVersion, user) -> Document:
    """The final version filed as an outgoing document through the ingest (no tasks proposed:
    the office's own answer gives nobody work)."""
    stored = Path(settings.MEDIA_ROOT) / version.path
    job = accept_path(stored, user, Document.Direction.OUTGOING, name=version.name)
    job = run_job(job, tasks=False)
    if job.status == IngestJob.Status.DONE:
        return job.document
    if job.status == IngestJob.Status.DUPLICATE:
        doc = job.document
        if doc.direction == Document.Direction.OUTGOING and not hasattr(doc, "outgoing_draft"):
            return doc
        raise DraftError(
            f"Tệp {version.name} đã có trong sổ là văn bản {doc}: hãy tải lên bản cuối cùng "
            "(bản ký) của văn bản này rồi phát hành."
        )
    raise DraftError(f"Không nhập được bản cuối cùng vào sổ: {job.message}")


# --- the tasks an answer closes ----------------------------------------------------------


def answered_open_tasks(draft: Draft) -> list[Task]:
    """The confirmed, unfinished tasks of the documents the draft answers (a collective task's
    units' tasks rather than the task itself, which rolls up from them)."""
    tasks = (
        Task.work.filter(document__in=draft.answers.all())
        .exclude(status=Task.Status.DONE)
        .select_related("unit", "document")
        .only(
            "id",
            "action",
            "deadline",
            "status",
            "collective",
            "parent_id",
            "unit__name",
            "document__type",
            "document__number",
        )
        .order_by("deadline", "id")
    )
    tasks = list(tasks)
    parents = {t.parent_id for t in tasks if t.parent_id}
    return [t for t in tasks if t.pk not in parents]


def close_answered(draft: Draft, user, task_ids: list[int]) -> list[Task]:
    """Close the chosen tasks the issued answer answers: each done, with the answer linked and
    "Đã trả lời bằng văn bản số …" in its history. Only tasks the answer proposes can be
    chosen; a task the user may not close refuses the lot."""
    if draft.state != State.ISSUED or draft.issued_document_id is None:
        raise DraftError("Chỉ văn bản đã phát hành mới đóng được công việc nó trả lời.")
    proposed = {t.pk: t for t in answered_open_tasks(draft)}
    chosen = []
    for pk in task_ids:
        if pk not in proposed:
            raise DraftError(f"Công việc {pk} không nằm trong các việc văn bản này trả lời.")
        chosen.append(proposed[pk])
    for task in chosen:
        if not roles.can_close_answered(user, draft, task):
            raise PermissionDenied(f"Bạn không có quyền đóng công việc “{task}”.")
    note = f"Đã trả lời bằng văn bản số {draft.notation}"
    with transaction.atomic():
        closed = []
        for task in chosen:
            task = Task.objects.select_for_update().get(pk=task.pk)
            assign.set_status(task, Task.Status.DONE, user, note=note)
            work_services.link_answers(task, [draft.issued_document], user)
            _tell(
                _active(profile__unit_id=task.unit_id).exclude(profile__role=Profile.Role.VIEWER)
                if task.unit_id
                else [],
                "answered",
                f"{_person(user)} đóng công việc “{task.action[:200]}”: {note}.",
                reverse("task", args=[task.pk]),
                actor=user,
            )
            closed.append(task)
    return closed
