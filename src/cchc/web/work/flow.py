"""The flow of an incoming document (Nghị định 30/2020): vào sổ, trình lãnh đạo, ý kiến chỉ đạo,
and the proposals the machine read from it. The machine proposes, people decide: a proposal is
nobody's work until someone with the right confirms it. Pages (`views_flow`) and the API
(`api.ProposalViewSet`) call these functions; the permission rules are in `accounts.roles`.

This module writes tasks, so it imports the work app's models: the direction confirms tasks in
the same transaction as it records the instruction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils import timezone

from cchc.web.accounts.models import Profile, Unit, audit
from cchc.web.accounts.roles import (
    can_confirm_for,
    can_direct,
    can_direct_document,
    can_register,
    role_of,
    unit_of,
)
from cchc.web.documents.exchange import revoked_reason
from cchc.web.documents.ingest import next_number
from cchc.web.documents.models import Document, Instruction
from cchc.web.params import InvalidRequest
from cchc.web.work.models import Notification, Task, TaskChange

Handling = Document.Handling
State = Task.State


class FlowError(InvalidRequest):
    """A decision that cannot be carried out as asked: the message says what to change."""


class StaleState(FlowError):
    """A form shown from a state that has changed since (another direction, an edited or decided
    proposal, a double submit): nothing is written, the page answers 409."""


# --- vào sổ: the register of incoming documents ----------------------------------------------

# What the register shows of each document (Phụ lục IV's columns), and nothing else.
REGISTER_COLUMNS = (
    "id",
    "received_date",
    "incoming_number",
    "issuer",
    "number",
    "date",
    "type",
    "subject",
    "transferred_date",
    "received_by",
    "register_note",
    "urgency",
    "secrecy",
    "handling",
    "unit__name",
    "submitted_to__first_name",
    "submitted_to__username",
)


def incoming_register(register=None, start: date | None = None, end: date | None = None):
    """The incoming documents of a register (all when None) received in [start, end], newest
    first by ngày đến and số đến: the index (direction, -received_date, -incoming_number). Read
    a page with `id_page(…, register_rows(), …)`."""
    docs = Document.objects.filter(direction=Document.Direction.INCOMING)
    if register is not None:
        docs = docs.filter(register=register)
    if start:
        docs = docs.filter(received_date__gte=start)
    if end:
        docs = docs.filter(received_date__lte=end)
    # the index's order to the end: SQLite's index entries end with the id, ascending
    return docs.order_by("-received_date", "-incoming_number", "id")


def register_rows():
    """What a page of the register reads of its documents (`id_page`)."""
    return Document.objects.select_related("unit", "submitted_to").only(*REGISTER_COLUMNS)


def with_lead_units(docs) -> list:
    """For the register: each directed document without a đơn vị nhận gets `lead_units`, the
    lead units of its confirmed tasks (one query for the whole page)."""
    docs = list(docs)
    ids = [d.pk for d in docs if d.unit_id is None and d.handling == Handling.DIRECTED]
    found: dict[int, list[str]] = {}
    if ids:
        rows = (
            Task.work.filter(document_id__in=ids)
            .exclude(unit=None)
            .values_list("document_id", "unit__name")
            .distinct()
            .order_by("document_id", "unit__name")
        )
        for doc_id, name in rows:
            found.setdefault(doc_id, []).append(name)
    for d in docs:
        d.lead_units = found.get(d.pk, [])
    return docs


INCOMING_COLUMNS = [
    "Ngày đến",
    "Số đến",
    "Tác giả",
    "Số, ký hiệu",
    "Ngày tháng",
    "Tên loại và trích yếu",
    "Đơn vị hoặc người nhận",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
]
EXPORT_BATCH = 1000


def register_file_rows(docs) -> Iterator[dict]:
    """The register's rows for a file, in the order of the register (ngày đến, số đến
    ascending), read a batch at a time with the page's columns only."""
    ids = docs.order_by("received_date", "incoming_number", "id").values_list("id", flat=True)
    ids = ids.iterator(chunk_size=EXPORT_BATCH)
    while batch := list(islice(ids, EXPORT_BATCH)):
        found = register_rows().in_bulk(batch)
        for d in with_lead_units(found[i] for i in batch if i in found):
            receiver = d.unit.name if d.unit_id else "; ".join(d.lead_units)
            if d.submitted_to_id:
                person = d.submitted_to.first_name or d.submitted_to.username
                receiver = "; ".join(x for x in (receiver, person) if x)
            title = " ".join(x for x in (d.type, d.subject) if x)
            yield {
                "cells": [
                    d.received_date,
                    d.incoming_number,
                    d.issuer,
                    d.number,
                    d.date,
                    title,
                    receiver,
                    d.transferred_date,
                    d.received_by,
                    d.register_note,
                ]
            }


def id_page(docs, rows, number, per_page: int):
    """A page of `docs` read as its ids first (from the order's index alone, however deep the
    page), then that page's `rows` by primary key (with the filters again, SQLite would walk the
    filter's index instead)."""
    page = Paginator(docs.values_list("id", flat=True), per_page).get_page(number)
    ids = list(page.object_list)
    found = rows.in_bulk(ids)
    page.object_list = [found[i] for i in ids if i in found]
    return page


INTAKE_FIELDS = (
    "register",
    "urgency",
    "secrecy",
    "handling_deadline",
    "page_count",
    "received_via",
    "unit",
    "transferred_date",
    "received_by",
    "register_note",
)


def _incoming(doc: Document) -> None:
    if doc.direction != Document.Direction.INCOMING:
        raise FlowError("Đây là văn bản đi, không vào sổ văn bản đến.")


def _shown(value) -> str:
    if value is None or value == "":
        return "(trống)"
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def save_intake(doc: Document, values: dict, user) -> list[str]:
    """Set the văn thư's intake fields; a new register gives the document that register's next
    number for the year. Returns the names of the fields that changed."""
    if not can_register(user):
        raise PermissionDenied("Chỉ văn thư và lãnh đạo được vào sổ văn bản.")
    _incoming(doc)
    with transaction.atomic():
        doc = Document.objects.select_for_update().get(pk=doc.pk)
        changed = []
        for name in INTAKE_FIELDS:
            if name not in values:
                continue
            old, new = getattr(doc, name), values[name]
            if new is None and name in ("received_via", "received_by", "register_note"):
                new = ""
            if old != new:
                changed.append((name, old, new))
                setattr(doc, name, new)
        unnumbered = doc.incoming_number is None  # uploaded by a unit: the văn thư numbers it
        if not changed and not unnumbered:
            return []
        summary = "; ".join(
            f"{Document._meta.get_field(n).verbose_name}: {_shown(o)} → {_shown(v)}"
            for n, o, v in changed
        )
        if unnumbered or any(n == "register" for n, _, _ in changed):
            year = (doc.received_date or timezone.localdate()).year
            old_number = doc.incoming_number
            doc.incoming_number = next_number(doc.register_id, year)
            summary = "; ".join(
                x
                for x in (summary, f"số đến {old_number or '(trống)'} → {doc.incoming_number}")
                if x
            )
        doc.save()
        audit(user, "document-intake", doc, f"Vào sổ {doc}: {summary}"[:2000])
    return [n for n, _, _ in changed] + (["incoming_number"] if unnumbered else [])


def submittable(doc: Document) -> bool:
    """The văn thư may (still) submit it: registered, returned, or waiting (to another leader)."""
    return doc.handling in ("", Handling.REGISTERED, Handling.WAITING)


def submit(doc: Document, user, to_user=None) -> Document:
    """Trình lãnh đạo: the document waits for direction, from `to_user` or any leader. A
    document already waiting for the same person, or already directed, is refused (a double
    submit would tell the leader twice)."""
    if not can_register(user):
        raise PermissionDenied("Chỉ văn thư và lãnh đạo được trình văn bản.")
    _incoming(doc)
    if to_user is not None and not can_direct(to_user):
        raise FlowError("Người được trình không có quyền cho ý kiến chỉ đạo.")
    with transaction.atomic():
        doc = Document.objects.select_for_update().select_related("submitted_to").get(pk=doc.pk)
        if doc.handling in (Handling.DIRECTED, Handling.INFORMATION, Handling.FORWARDED):
            raise StaleState(
                f"Văn bản đã có ý kiến chỉ đạo ({doc.get_handling_display()}); không trình lại."
            )
        if doc.handling == Handling.WAITING and doc.submitted_to_id == getattr(to_user, "pk", None):
            whom = _name(doc.submitted_to) if doc.submitted_to_id else "lãnh đạo"
            raise StaleState(f"Văn bản đã được trình {whom}, đang chờ ý kiến chỉ đạo.")
        doc.handling, doc.submitted_to = Handling.WAITING, to_user
        doc.save(update_fields=["handling", "submitted_to"])
        whom = _name(to_user) if to_user else "lãnh đạo"
        audit(user, "document-submit", doc, f"Trình {whom}: {doc}")
        if to_user is not None:
            notify([to_user], "to-direct", f"Văn bản chờ ý kiến chỉ đạo: {doc}", doc_url(doc))
    return doc


# --- trình và phân công: the queue and the direction --------------------------------------

URGENCY_RANK = Case(
    When(urgency=Document.Urgency.EXPRESS, then=Value(0)),
    When(urgency=Document.Urgency.VERY_URGENT, then=Value(1)),
    When(urgency=Document.Urgency.URGENT, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)
QUEUE_COLUMNS = (
    "id",
    "type",
    "number",
    "subject",
    "issuer",
    "urgency",
    "secrecy",
    "handling",
    "handling_deadline",
    "received_date",
    "incoming_number",
    "original_name",
    "unit__name",
)


def direction_queue(user):
    """What waits for this person's direction: documents submitted to them or to no one in
    particular (whoever directs), documents sent on to their unit (its head). Most urgent first,
    then by hạn xử lý, then by ngày đến."""
    wanted = Q(pk__in=[])
    if can_direct(user):
        wanted |= Q(handling=Handling.WAITING) & (Q(submitted_to=user) | Q(submitted_to=None))
    unit = unit_of(user)
    if role_of(user) == Profile.Role.HEAD and unit is not None:
        wanted |= Q(handling=Handling.FORWARDED, unit=unit)
    return Document.objects.filter(wanted).order_by(
        URGENCY_RANK,
        F("handling_deadline").asc(nulls_last=True),
        F("received_date").asc(nulls_last=True),
        "id",
    )


def queue_rows():
    """What a page of the queue reads of its documents (`id_page`)."""
    return Document.objects.select_related("unit").only(*QUEUE_COLUMNS)


def proposals(doc: Document):
    """The machine's proposed tasks of a document (top level; a collective one's units are its
    children), in the order of the text."""
    return (
        Task.objects.filter(document=doc, state=State.PROPOSED, parent=None)
        .select_related("unit", "assignee")
        .prefetch_related("children__unit")
        .order_by("source_start", "id")
    )


def source_sentence(doc: Document, task: Task) -> str:
    if task.source_start is None or not task.source_end:
        return ""
    return doc.text[task.source_start : task.source_end]


@dataclass
class Edits:
    """What a person sets on a task; None leaves the field as it is."""

    action: str | None = None
    unit: Unit | None = None
    support: list[str] | None = None
    assignee: object | None = None
    deadline: date | None = None
    unit_set: bool = False  # `unit` given (None then means "no lead unit")
    assignee_set: bool = False
    deadline_set: bool = False

    @classmethod
    def of(cls, data: dict) -> Edits:
        """From cleaned form or API data: a key present is a value set."""
        return cls(
            action=(data.get("action") or "").strip() or None,
            unit=data.get("unit"),
            support=data.get("support"),
            assignee=data.get("assignee"),
            deadline=data.get("deadline"),
            unit_set="unit" in data,
            assignee_set="assignee" in data,
            deadline_set="deadline" in data,
        )


@dataclass
class Decision:
    task: Task
    verdict: str  # keep | confirm | discard | merge
    edits: Edits = field(default_factory=Edits)
    merge_into: int | None = None
    split: str = ""


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def doc_url(doc: Document) -> str:
    return f"/van-ban/{doc.pk}/"


def task_url(task: Task) -> str:
    return f"/cong-viec/{task.pk}/"


def notify(users, kind: str, text: str, url: str) -> None:
    Notification.objects.bulk_create(
        Notification(user=u, kind=kind, text=text[:1000], url=url) for u in users
    )


def unit_heads(unit_ids) -> list:
    return list(
        get_user_model().objects.filter(
            is_active=True, profile__role=Profile.Role.HEAD, profile__unit_id__in=unit_ids
        )
    )


def _lock(task: Task) -> Task:
    return Task.objects.select_for_update().select_related("document").get(pk=task.pk)


def _change(task: Task, user, name: str, old, new, reason: str) -> TaskChange:
    return TaskChange(
        task=task, user=user, field=name, old=_shown(old), new=_shown(new), reason=reason
    )


def apply_edits(task: Task, edits: Edits, user, reason: str = "Ý kiến chỉ đạo") -> list[str]:
    """Change a task's content, lead, support, person or deadline; each change lands in the
    task's history (the machine's reading stays in `Task.machine`). A collective proposal given
    one lead unit stops being collective: its units' proposals are discarded."""
    changes = []
    pairs = [
        ("action", edits.action, edits.action is not None),
        ("unit", edits.unit, edits.unit_set),
        ("support", edits.support, edits.support is not None),
        ("assignee", edits.assignee, edits.assignee_set),
        ("deadline", edits.deadline, edits.deadline_set),
    ]
    for name, new, given in pairs:
        old = getattr(task, name)
        if not given or old == new:
            continue
        shown_old = ", ".join(old) if name == "support" else old
        shown_new = ", ".join(new) if name == "support" else new
        if name in ("unit", "assignee"):
            shown_old = getattr(old, "name", None) or _name(old) if old else None
            shown_new = getattr(new, "name", None) or _name(new) if new else None
        changes.append(_change(task, user, name, shown_old, shown_new, reason))
        setattr(task, name, new)
    if not changes:
        return []
    if task.assignee_id and any(c.field in ("assignee", "unit") for c in changes):
        check_assignee(task.assignee, task.unit)
    if edits.unit_set and task.collective and edits.unit is not None:
        task.collective = False
        task.children.filter(state=State.PROPOSED).update(
            state=State.DISCARDED, updated_at=timezone.now()
        )
    if edits.deadline_set:
        task.deadline_text = ""  # set by a person: a corrected document date does not move it
    task.version += 1
    task.save()
    TaskChange.objects.bulk_create(changes)
    return [c.field for c in changes]


ASSIGNEE_ROLES = (Profile.Role.OFFICER, Profile.Role.HEAD)


def assignees():
    """Who may be named người xử lý of some unit's task: the active chuyên viên and trưởng đơn
    vị of the deployment's units (`check_assignee` says whether of the task's lead unit)."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True, profile__role__in=ASSIGNEE_ROLES, profile__unit__isnull=False
        )
        .select_related("profile__unit")
        .order_by("profile__unit__name", "first_name", "username")
    )


def check_assignee(person, unit: Unit | None) -> None:
    """A task's người xử lý is an active chuyên viên or trưởng đơn vị of its lead unit;
    FlowError saying so otherwise (pages and the API alike)."""
    if person is None:
        return
    name = _name(person)
    if unit is None:
        raise FlowError(f"Chọn đơn vị chủ trì trước khi giao cho {name}.")
    profile = Profile.objects.filter(user_id=person.pk).only("role", "unit_id").first()
    if (
        not person.is_active
        or profile is None
        or profile.role not in ASSIGNEE_ROLES
        or profile.unit_id != unit.pk
    ):
        raise FlowError(
            f"{name} không phải chuyên viên hoặc trưởng đơn vị của {unit.name}: "
            "người xử lý phải là người của đơn vị chủ trì."
        )


def _check_confirm(user, task: Task) -> None:
    doc = task.document
    if reason := revoked_reason(task):  # the form says it (the model refuses it anyway)
        raise FlowError(reason)
    if not can_confirm_for(user, doc, task.unit_id):
        raise PermissionDenied("Bạn chỉ được giao việc trong đơn vị của mình.")
    has_units = task.collective and task.children.filter(state=State.PROPOSED).exists()
    if task.unit_id is None and task.assignee_id is None and not has_units:
        raise FlowError(f"Chọn đơn vị chủ trì cho việc “{task.action[:80]}”.")
    if task.unit_id is not None and task.unit.ended_on is not None:
        raise FlowError(
            f"{task.unit.history_label()} đã kết thúc; chọn đơn vị đang hoạt động "
            f"cho việc “{task.action[:80]}”."
        )


def _units_told(task: Task) -> list[int]:
    if task.collective:
        return list(task.children.values_list("unit_id", flat=True))
    return [task.unit_id] if task.unit_id else []


def confirm(task: Task, user, edits: Edits | None = None) -> Task:
    """Confirm a proposal (after the edits): it becomes work, with its units' tasks for a
    collective one; the person named, else the heads of its units, are told."""
    with transaction.atomic():
        task = _lock(task)
        if task.state != State.PROPOSED:
            raise FlowError("Việc này không còn là đề xuất.")
        if not can_direct_document(user, task.document):
            raise PermissionDenied("Bạn không có quyền giao việc của văn bản này.")
        if edits is not None:
            apply_edits(task, edits, user)
        _check_confirm(user, task)
        now = timezone.now()
        task.state, task.confirmed_by, task.confirmed_at = State.CONFIRMED, user, now
        task.version += 1
        task.save()
        if task.collective:
            task.children.filter(state=State.PROPOSED).update(
                state=State.CONFIRMED, confirmed_by=user, confirmed_at=now, updated_at=now
            )
        TaskChange.objects.create(
            task=task,
            user=user,
            field="state",
            old=State.PROPOSED.label,
            new=State.CONFIRMED.label,
        )
        audit(user, "task-confirm", task, f"Giao việc: {task}")
        _tell(task)
    return task


def _tell(task: Task) -> None:
    deadline = f", hạn {task.deadline:%d/%m/%Y}" if task.deadline else ""
    text = f"Việc được giao: {task.action[:200]}{deadline}"
    users = [task.assignee] if task.assignee_id else unit_heads(_units_told(task))
    notify(users, "assigned", text, task_url(task))


def discard(task: Task, user, reason: str = "") -> Task:
    """A proposal the person does not keep: DISCARDED, never deleted."""
    with transaction.atomic():
        task = _lock(task)
        if task.state != State.PROPOSED:
            raise FlowError("Việc này không còn là đề xuất.")
        if not can_direct_document(user, task.document):
            raise PermissionDenied("Bạn không có quyền loại đề xuất của văn bản này.")
        _discard(task, user, reason)
    return task


def _discard(task: Task, user, reason: str) -> None:
    task.state = State.DISCARDED
    task.version += 1
    task.save()
    task.children.filter(state=State.PROPOSED).update(
        state=State.DISCARDED, updated_at=timezone.now()
    )
    TaskChange.objects.create(
        task=task,
        user=user,
        field="state",
        old=State.PROPOSED.label,
        new=State.DISCARDED.label,
        reason=reason,
    )
    audit(user, "task-discard", task, f"Loại đề xuất: {task}" + (f" ({reason})" if reason else ""))


def edit(task: Task, user, edits: Edits) -> Task:
    """Edit a proposal without deciding it yet."""
    with transaction.atomic():
        task = _lock(task)
        if task.state != State.PROPOSED:
            raise FlowError("Việc này không còn là đề xuất.")
        if not can_direct_document(user, task.document):
            raise PermissionDenied("Bạn không có quyền sửa đề xuất của văn bản này.")
        unit_id = getattr(edits.unit, "pk", None)
        if (
            edits.unit_set
            and unit_id != task.unit_id  # an unchanged lead is no new decision
            and not can_confirm_for(user, task.document, unit_id)
        ):
            raise PermissionDenied("Bạn chỉ được giao việc trong đơn vị của mình.")
        if changed := apply_edits(task, edits, user, reason="Sửa đề xuất"):
            audit(user, "task-edit", task, f"Sửa đề xuất ({', '.join(changed)}): {task}")
    return task


def merge(keep: Task, other: Task, user) -> Task:
    """Two proposals made one: `other`'s content joins `keep`'s (both actions, the earlier
    deadline), `other` is discarded."""
    if keep.pk == other.pk or keep.document_id != other.document_id:
        raise FlowError("Chỉ gộp hai đề xuất khác nhau của cùng một văn bản.")
    if other.state != State.PROPOSED or keep.state != State.PROPOSED:
        raise FlowError("Chỉ gộp các đề xuất chưa quyết định.")
    edits = Edits(action=f"{keep.action}; {other.action}")
    # the earliest deadline of the two: merging never moves a deadline later
    earliest = min((d for d in (keep.deadline, other.deadline) if d), default=None)
    if earliest != keep.deadline:
        edits.deadline, edits.deadline_set = earliest, True
    apply_edits(keep, edits, user, reason="Gộp đề xuất")
    _discard(other, user, reason=f"Gộp vào việc #{keep.pk}")
    return keep


def split(task: Task, action: str, user) -> Task:
    """One proposal made two: a new proposal with the same source, lead and deadline and the
    given content (the machine's reading copied beside it)."""
    twin = Task.objects.get(pk=task.pk)
    twin.pk = None
    twin.action, twin.state, twin.version = action.strip(), State.PROPOSED, 1
    twin.created_by, twin.assignee = user, task.assignee
    twin.save()
    for child in task.children.filter(state=State.PROPOSED):
        child.pk, child.parent, child.action = None, twin, twin.action
        child.save()
    audit(user, "task-split", twin, f"Tách từ đề xuất #{task.pk}: {twin}")
    return twin


def add_task(doc: Document, user, fields: Edits) -> Task:
    """A task the leader adds by hand: work at once."""
    unit = fields.unit
    if unit is None and fields.assignee is not None:
        unit = unit_of(fields.assignee)
    if not can_confirm_for(user, doc, getattr(unit, "pk", None)):
        raise PermissionDenied("Bạn chỉ được giao việc trong đơn vị của mình.")
    if unit is None:
        raise FlowError(f"Chọn đơn vị chủ trì cho việc “{(fields.action or '')[:80]}”.")
    check_assignee(fields.assignee, unit)
    now = timezone.now()
    task = Task.objects.create(
        document=doc,
        action=fields.action,
        unit=unit,
        support=fields.support or [],
        assignee=fields.assignee,
        deadline=fields.deadline,
        state=State.CONFIRMED,
        created_by=user,
        confirmed_by=user,
        confirmed_at=now,
    )
    audit(user, "task-create", task, f"Giao việc theo ý kiến chỉ đạo: {task}")
    _tell(task)
    return task


OUTCOMES = {
    "direct": (Instruction.Outcome.DIRECTED, Handling.DIRECTED),
    "inform": (Instruction.Outcome.INFORMATION, Handling.INFORMATION),
    "forward": (Instruction.Outcome.FORWARDED, Handling.FORWARDED),
    # not for this office, or wrongly registered: back to the văn thư, proposals kept
    "return": (Instruction.Outcome.RETURNED, Handling.REGISTERED),
}


def direction_state(doc: Document) -> str:
    """What the direction page was shown from: the document's last instruction, its handling,
    whom it waits for and its proposals with their versions. The page's form carries it; a
    post from another state (the back button, a second tab, a double submit) is refused."""
    last = doc.instructions.order_by("-id").values_list("id", flat=True).first() or 0
    where = Document.objects.filter(pk=doc.pk)  # as stored, whatever this object holds
    pending = Task.objects.filter(document=doc, state=State.PROPOSED, parent=None)
    seen = [
        *where.values_list("handling", "submitted_to_id", "unit_id"),
        *pending.order_by("id").values_list("id", "version"),
    ]
    digest = hashlib.sha256(repr(seen).encode()).hexdigest()[:16]
    return f"{last}-{digest}"


def check_state(doc: Document, seen: str) -> None:
    """StaleState, saying what changed, when `seen` is not the document's direction state."""
    if seen == direction_state(doc):
        return
    last = doc.instructions.select_related("user").order_by("-id").first()
    seen_last = seen.partition("-")[0]
    if last is not None and str(last.pk) != seen_last:
        at = timezone.localtime(last.at).strftime("%H:%M %d/%m/%Y")
        raise StaleState(
            f"Văn bản đã được cho ý kiến lúc {at} bởi {_name(last.user) or '(không rõ)'}"
            f" ({last.get_outcome_display()}); hãy xem lại."
        )
    raise StaleState(
        "Văn bản hoặc đề xuất của văn bản đã thay đổi từ khi trang được mở; hãy xem lại."
    )


def proposal_numbers(doc: Document) -> dict[int, int]:
    """Each pending proposal's number as the pages show it: 1, 2, … in the order of the text."""
    ids = proposals(doc).values_list("id", flat=True)
    return {pk: n for n, pk in enumerate(ids, 1)}


def _numbered(pks, numbers: dict[int, int]) -> str:
    return ", ".join(
        str(numbers[pk]) for pk in sorted(pks, key=lambda p: numbers.get(p, 0)) if pk in numbers
    )


def direct(
    doc: Document,
    user,
    text: str,
    outcome: str,
    decisions: list[Decision] = (),
    new_tasks: list[Edits] = (),
    forward_unit: Unit | None = None,
    seen: str | None = None,
) -> Instruction:
    """The leader's direction, all or nothing: the instruction, each proposal confirmed,
    edited, merged, split or discarded, the tasks added by hand; "phân công" needs every
    proposal decided and some task given; "để biết" discards every proposal (and gives no
    task); "chuyển đơn vị" sends the document on to a unit's head; "trả lại" sends it back to
    the văn thư with the reason (no proposal decided). `seen`: the `direction_state` the form
    was shown from (StaleState when it has changed since)."""
    _incoming(doc)
    if not can_direct_document(user, doc):
        raise PermissionDenied("Bạn không có quyền cho ý kiến chỉ đạo văn bản này.")
    if outcome not in OUTCOMES:
        raise FlowError("Chọn phân công, để biết, chuyển đơn vị hoặc trả lại văn thư.")
    decisions = list(decisions)
    if outcome == "return":
        if any(d.verdict != "keep" for d in decisions) or new_tasks or not text.strip():
            raise FlowError("Trả lại văn thư cần ghi lý do và không giao, không loại việc nào.")
        decisions = []
    if outcome == "inform":
        giving = [d for d in decisions if d.verdict not in ("keep", "discard") or d.split.strip()]
        if giving or new_tasks:
            which = _numbered([d.task.pk for d in giving], proposal_numbers(doc))
            if giving:
                wrong = f"đề xuất {which} đang chọn Giao, Gộp hoặc Tách: chọn Để sau hoặc Loại"
            else:
                wrong = "có việc giao thêm: xóa nội dung việc giao thêm"
            raise FlowError(
                f"Để biết là không giao việc nào, nhưng {wrong} (hoặc bấm Phân công để giao việc)."
            )
    if outcome == "forward" and not can_direct(user):
        raise PermissionDenied("Chỉ lãnh đạo chuyển văn bản cho đơn vị.")
    if outcome == "forward" and forward_unit is None:
        raise FlowError("Chọn đơn vị để chuyển văn bản.")
    instruction_outcome, handling = OUTCOMES[outcome]
    with transaction.atomic():
        doc = Document.objects.select_for_update().get(pk=doc.pk)
        if seen is not None:
            check_state(doc, seen)
        if (
            outcome == "forward"
            and doc.handling == Handling.FORWARDED
            and doc.unit_id == forward_unit.pk
        ):
            raise StaleState(f"Văn bản đã được chuyển {forward_unit.name} phân công.")
        numbers = proposal_numbers(doc)
        if outcome == "inform":
            decisions = [Decision(t, "discard") for t in proposals(doc)]
        confirmed = _decide(doc, user, decisions)
        for fields in new_tasks:
            confirmed.append(add_task(doc, user, fields))
        if outcome == "direct":
            _leave_other_units(doc, user)
            _check_directed(doc, numbers)
        instruction = Instruction.objects.create(
            document=doc,
            user=user,
            text=text.strip(),
            outcome=instruction_outcome,
            forwarded_to=forward_unit if outcome == "forward" else None,
        )
        doc.handling = handling
        if outcome == "return":
            doc.submitted_to = None
            if doc.created_by_id:
                notify(
                    [doc.created_by],
                    "returned",
                    f"Văn bản trả lại văn thư: {doc}. Lý do: {instruction.text[:300]}",
                    f"/van-ban/{doc.pk}/vao-so/",
                )
        if outcome == "forward":
            doc.unit = forward_unit
            notify(
                unit_heads([forward_unit.pk]),
                "forwarded",
                f"Văn bản chuyển đơn vị phân công: {doc}",
                f"/van-ban/{doc.pk}/chi-dao/",
            )
        if confirmed:
            _transferred(doc)
        doc.save(update_fields=["handling", "unit", "submitted_to", "transferred_date"])
        summary = f"{instruction.get_outcome_display()}: {doc}"
        if confirmed:
            summary += f"; giao {len(confirmed)} việc"
        if instruction.text:
            summary += f"; ý kiến: {instruction.text[:200]}"
        audit(user, "document-direct", doc, summary)
    return instruction


def _leave_other_units(doc: Document, user) -> None:
    """A unit head directing a document forwarded to their unit decides its proposals for their
    own unit; those the machine read for other units, left undecided, are discarded with the
    reason (the leader chose this unit to handle the document; the history keeps them)."""
    if can_direct(user) or doc.handling != Handling.FORWARDED or doc.unit_id is None:
        return
    others = (
        Task.objects.filter(document=doc, state=State.PROPOSED, parent=None)
        .exclude(unit=None)
        .exclude(unit_id=doc.unit_id)
    )
    reason = f"Văn bản được chuyển {doc.unit.name} xử lý; đề xuất nêu đơn vị khác không được giao."
    for task in others:
        _discard(_lock(task), user, reason)


def _check_directed(doc: Document, numbers: dict[int, int]) -> None:
    """Phân công leaves no proposal undecided and gives the document some work."""
    left = list(
        Task.objects.filter(document=doc, state=State.PROPOSED, parent=None).values_list(
            "id", flat=True
        )
    )
    if left:
        which = _numbered(left, numbers)
        raise FlowError(
            f"Còn {len(left)} đề xuất chưa quyết định: giao, gộp hoặc loại từng đề xuất (hoặc "
            "chọn Để biết)." + (f" Chưa quyết định: đề xuất {which}." if which else "")
        )
    if not Task.work.filter(document=doc).exists():
        raise FlowError(
            "Phân công chưa giao việc nào: giao ít nhất một đề xuất hoặc thêm việc "
            "(văn bản không giao việc thì chọn Để biết)."
        )


def _transferred(doc: Document) -> None:
    """The register's columns of a document that was given work: ngày chuyển (today, unless the
    văn thư wrote one) and, when every task has the same lead unit, đơn vị nhận."""
    if doc.transferred_date is None:
        doc.transferred_date = timezone.localdate()
    if doc.unit_id is None:
        leads = set(Task.work.filter(document=doc, parent=None).values_list("unit_id", flat=True))
        if len(leads) == 1 and None not in leads:
            doc.unit_id = leads.pop()


def _decide(doc: Document, user, decisions: list[Decision]) -> list[Task]:
    """Edits first, then splits (the new proposal takes its twin's verdict), merges, and the
    confirmations and discards."""
    decisions = list(decisions)
    by_id = {d.task.pk: d for d in decisions}
    for d in decisions:
        if d.task.document_id != doc.pk or d.task.state != State.PROPOSED:
            raise FlowError("Đề xuất không thuộc văn bản này hoặc đã được quyết định.")
        if d.verdict == "merge":
            target = by_id.get(d.merge_into)
            if target is None or target is d or target.verdict in ("discard", "merge"):
                raise FlowError("Chỉ gộp vào một đề xuất khác được giữ lại của văn bản này.")
    for d in decisions:  # "để sau" decides nothing, so it changes nothing either
        if d.verdict not in ("discard", "keep") and d.edits != Edits():
            edit(d.task, user, d.edits)
    for d in list(decisions):
        if d.split.strip() and d.verdict != "discard":
            twin = split(Task.objects.get(pk=d.task.pk), d.split, user)
            verdict = "keep" if d.verdict == "merge" else d.verdict
            decisions.append(Decision(twin, verdict))
    for d in decisions:
        if d.verdict == "merge":
            keep = Task.objects.get(pk=d.merge_into)
            merge(keep, Task.objects.get(pk=d.task.pk), user)
    confirmed = []
    for d in decisions:
        if d.verdict == "confirm":
            confirmed.append(confirm(d.task, user))
        elif d.verdict == "discard":
            _discard(_lock(d.task), user, "")
    return confirmed


def instructions(doc: Document):
    return doc.instructions.select_related("user", "forwarded_to")


def assignable_units(user, doc: Document):
    """The units this person may give the document's work to."""
    if can_direct(user):
        return Unit.objects.active().order_by("name")
    return Unit.objects.active().filter(pk=doc.unit_id)


def confirmed_tasks(doc: Document):
    return (
        Task.work.filter(document=doc, parent=None)
        .select_related("unit", "assignee")
        .prefetch_related("children__unit")
        .order_by("deadline", "id")
    )
