"""From the tasks the core extracted to tasks of the deployment's units: match each lead to a
unit of the registry, fan collective leads ("UBND các xã, phường") out to every unit they name,
and roll the children's progress back up to the collective task."""

from __future__ import annotations

import re
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from rapidfuzz import fuzz, process

from cchc.extract.closing import is_closing_formula
from cchc.extract.deadlines import find_deadline
from cchc.extract.units import canonical_name
from cchc.extracted import ExtractedTask
from cchc.web.accounts.models import Unit, UnitSuccession, audit
from cchc.web.work.models import ProgressNote, Task, TaskChange

# Which kinds of unit a collective name covers, by its canonical (folded) form.
COLLECTIVE_KINDS = (
    (
        re.compile(
            r"\bcac (?:xa|phuong|thi tran|dia phuong)|\b(?:xa|phuong), (?:xa|phuong|thi tran)"
        ),
        (Unit.Kind.COMMUNE,),
    ),
    (
        re.compile(r"\bcac so(?:,| ban| nganh| chuyen| thuoc)|so, ban, nganh|so, nganh"),
        (Unit.Kind.PROVINCE_BODY,),
    ),
    (
        re.compile(r"\bcac phong|phong, ban|co quan chuyen mon|ban chuyen mon"),
        (Unit.Kind.DEPARTMENT, Unit.Kind.PROVINCE_BODY),
    ),
    (
        re.compile(r"co quan, don vi|cac don vi|cac co quan"),
        (Unit.Kind.DEPARTMENT, Unit.Kind.PROVINCE_BODY, Unit.Kind.AGENCY, Unit.Kind.COMMUNE),
    ),
)

# The head of a unit stands for the unit: "Trưởng phòng Nội vụ", "Chủ tịch UBND phường An Lạc".
TITLE = re.compile(r"^(?:chanh|truong|pho truong|giam doc|chu tich|pho chu tich|thu truong) (?=\w)")


# What matching reads of the units. The registry and the matches made against it are kept
# while these columns are the same in the database: every process (gunicorn workers, Celery
# workers) reads them at each use, so a unit changed in one process (or by a queryset update,
# which sends no signal) is matched against at once in all of them.
_UNIT_COLUMNS = ("id", "name", "short_name", "kind", "aliases", "parent_id", "ended_on")
_registry: tuple[tuple, list[Unit], dict[str, int]] | None = None
_matches: dict[str, int | None] = {}  # printed name → unit, valid as long as the registry


def registry() -> tuple[list[Unit], dict[str, int]]:
    """The deployment's units and every canonical name they go by. The rows are read each
    time (a few hundred short rows: well under a millisecond); the names are derived again,
    and earlier matches forgotten, only when they changed."""
    global _registry
    rows = tuple(Unit.objects.order_by("id").values_list(*_UNIT_COLUMNS))
    links = tuple(
        UnitSuccession.objects.order_by("id").values_list("predecessor_id", "successor_id")
    )
    if _registry is None or _registry[0] != (rows, links):
        units = [Unit(**dict(zip(_UNIT_COLUMNS, row, strict=True))) for row in rows]
        now = _successors(units, links)
        names: dict[str, int] = {}
        # a name of a unit that ended stands for the one unit that carries on its work
        # ("Phòng Nội vụ" of the former thị xã → Sở Nội vụ); units that exist come first
        for unit in sorted(units, key=lambda u: u.ended_on is not None):
            for name in unit.names():
                names.setdefault(name, now.get(unit.pk, unit.pk))
        _matches.clear()
        _registry = ((rows, links), units, names)
    return _registry[1], _registry[2]


def _successors(units: list[Unit], links: tuple[tuple[int, int], ...]) -> dict[int, int]:
    """Ended unit → the single active unit it became (followed through later changes); an
    ended unit that became several is left to a person to choose among them."""
    ended = {u.pk for u in units if u.ended_on is not None}
    after: dict[int, list[int]] = {}
    for old, new in links:
        after.setdefault(old, []).append(new)
    found = {}
    for pk in ended:
        seen, todo, active = {pk}, list(after.get(pk, [])), set()
        while todo:
            nxt = todo.pop()
            if nxt in seen:
                continue
            seen.add(nxt)
            if nxt in ended:
                todo.extend(after.get(nxt, []))
            else:
                active.add(nxt)
        if len(active) == 1:
            found[pk] = active.pop()
    return found


def match_unit(name: str) -> int | None:
    """The registry unit a printed name refers to: same canonical name, else a close match."""
    return _lookup(name, registry()[1])  # registry() first: a change forgets the matches


def _lookup(name: str, names: dict[str, int]) -> int | None:
    if name not in _matches:
        _matches[name] = _match(name, names)
    return _matches[name]


def _match(name: str, names: dict[str, int]) -> int | None:
    key = TITLE.sub("", canonical_name(name))
    if key in names:
        return names[key]
    # "Phòng Nội vụ là cơ quan thường trực": the longest registry name the lead begins with
    starts = [n for n in names if key.startswith(n + " ") or key.startswith(n + ",")]
    if starts:
        return names[max(starts, key=len)]
    found = process.extractOne(key, names.keys(), scorer=fuzz.ratio, score_cutoff=92)
    return names[found[0]] if found else None


def collective_units(canonical: str, units: list[Unit] | None = None) -> list[Unit]:
    """The units a collective name covers in this deployment (none when it is not known)."""
    for pattern, kinds in COLLECTIVE_KINDS:
        if pattern.search(canonical):
            pool = Unit.objects.active() if units is None else units
            return [u for u in pool if u.kind in kinds and u.ended_on is None]
    return []


def _date(iso: str | None) -> date | None:
    return date.fromisoformat(iso) if iso else None


def _fields(item: ExtractedTask) -> dict:
    """A stored task's fields from one task of the core's JSON."""
    return {
        "lead_text": ", ".join(u.name for u in item.lead)[:300],
        "support": [u.name for u in item.support],
        "action": item.action,
        "kind": item.kind if item.kind in Task.Kind.values else Task.Kind.TASK,
        "deadline": _date(item.deadline or item.due),
        "deadline_text": item.deadline_text[:200],
        "urgent": item.urgent,
        "recurrence": item.recurrence,
        "report_to": item.report_to[:300],
        "period": item.period,
        "data_from": _date(item.data_from),
        "data_to": _date(item.data_to),
        "section": item.section[:200],
        "source_start": item.source_span[0],
        "source_end": item.source_span[1],
        "confidence": item.confidence,
        # read by the machine: nobody's work until someone with the right confirms it
        "state": Task.State.PROPOSED,
    }


def tasks_of_ingested(sender, document, parsed, **_kwargs) -> list[str]:
    """`document_ingested`: the tasks of a stored document, at most `CCHC_MAX_TASKS_PER_DOCUMENT`
    (a text of 5,000 numbered duties is a list to read, not 5,000 tasks to follow). Returns the
    warning that says how many were left out, for the ingest job to show."""
    extracted = parsed.tasks
    cap = settings.CCHC_MAX_TASKS_PER_DOCUMENT
    create_tasks(document, extracted[:cap])
    if len(extracted) <= cap:
        return []
    return [
        f"Văn bản giao {len(extracted)} việc; chỉ {cap} việc đầu được tạo thành công việc "
        f"({len(extracted) - cap} việc còn lại xem trong văn bản, có thể tạo bằng tay)."
    ]


def create_tasks(doc, extracted: list[dict]) -> list[Task]:
    """Proposed tasks of one ingested document (inside the caller's transaction). A task with
    one lead unit goes to that unit; several leads or a collective lead make a collective task
    with one child per unit of the registry they name. A closing formula ("nghiêm túc thực hiện",
    "thi hành Quyết định này") is no task. Written with two bulk inserts."""
    extracted = [item for item in extracted if not is_closing_formula(item.get("action", ""))]
    if not extracted:
        return []
    all_units, names = registry()
    ended = {u.pk for u in all_units if u.ended_on is not None}
    tasks, targets = [], []
    for item in extracted:
        extracted_task = ExtractedTask.from_json(item)
        units: list[int] = []
        for lead in extracted_task.lead:
            found = (
                [u.pk for u in collective_units(lead.canonical, all_units)]
                if lead.collective
                else [_lookup(lead.name, names)]
            )
            units.extend(pk for pk in found if pk is not None and pk not in units)
        collective = len(extracted_task.lead) > 1 or any(u.collective for u in extracted_task.lead)
        if collective:  # no child task for a unit that ended with several successors
            units = [pk for pk in units if pk not in ended]
        tasks.append(
            Task(
                document=doc,
                collective=collective,
                machine=item,
                unit_id=units[0] if units and not collective else None,
                **_fields(extracted_task),
            )
        )
        targets.append(units if collective else [])
    Task.objects.bulk_create(tasks)
    children = [
        Task(
            document=doc,
            parent=task,
            unit_id=unit_id,
            **_fields(ExtractedTask.from_json(task.machine)),
        )
        for task, units in zip(tasks, targets, strict=True)
        for unit_id in units
    ]
    Task.objects.bulk_create(children)
    return tasks + children


def redate_tasks(sender, document, fields, old_date, **_kwargs) -> int:
    """`document_corrected`: a corrected document date moves the deadlines its tasks count
    from it ("trong 10 ngày kể từ ngày ký"); a deadline changed by hand stays. Each move is in
    the task's history. Returns how many moved."""
    if "date" not in fields or document.date == old_date:
        return 0
    moved, history = [], []
    now = timezone.now()
    for task in Task.objects.filter(document=document).exclude(deadline_text=""):
        before = find_deadline(task.deadline_text, anchor=old_date).date
        after = find_deadline(task.deadline_text, anchor=document.date).date
        if before == after or _date(before) != task.deadline:
            continue  # no date of the document's in it, or set by hand
        history.append(
            TaskChange(
                task=task,
                field="deadline",
                old=_vn(task.deadline),
                new=_vn(_date(after)),
                reason=f"Ngày văn bản sửa thành {_vn(document.date)} (hạn “{task.deadline_text}”)",
            )
        )
        task.deadline, task.updated_at, task.version = _date(after), now, task.version + 1
        moved.append(task)
    Task.objects.bulk_update(moved, ["deadline", "updated_at", "version"])
    TaskChange.objects.bulk_create(history)
    return len(moved)


def _vn(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"


class Conflict(Exception):
    """The task was saved by someone else since the version a change was made from: nothing
    was written; `task` is the task as it is now."""

    def __init__(self, task: Task):
        self.task = task
        at = timezone.localtime(task.updated_at)
        super().__init__(
            f"Công việc đã được người khác sửa lúc {at:%H:%M %d/%m/%Y}; hãy xem lại "
            f"(phiên bản hiện tại: {task.version})."
        )


def set_status(
    task: Task, status: str, user, note: str = "", expected_version: int | None = None
) -> Task:
    """Change the status, write the history and the audit log, roll up to the parent. Saved
    only if nobody saved the task since `expected_version` (default: the version `task` was
    read at); else `Conflict` and nothing is written."""
    expected = task.version if expected_version is None else expected_version
    with transaction.atomic():
        old = task.status
        completed_at = timezone.now() if status == Task.Status.DONE else None
        written = Task.objects.filter(pk=task.pk, version=expected).update(
            status=status,
            completed_at=completed_at,
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
        if not written:
            raise Conflict(Task.objects.get(pk=task.pk))
        task.refresh_from_db(fields=["status", "completed_at", "version", "updated_at"])
        ProgressNote.objects.create(
            task=task, user=user, text=note, status_from=old, status_to=status
        )
        audit(
            user,
            "task-status",
            task,
            f"{Task.Status(old).label} → {Task.Status(status).label}: {task}",
        )
        if task.parent_id:
            roll_up(task.parent)
    return task


def roll_up(parent: Task) -> None:
    """A collective task is done when every unit's task is done, in progress when any started."""
    statuses = set(parent.children.values_list("status", flat=True))
    if not statuses:
        return
    if statuses == {Task.Status.DONE}:
        status = Task.Status.DONE
    elif statuses == {Task.Status.TODO}:
        status = Task.Status.TODO
    else:
        status = Task.Status.DOING
    if status != parent.status:
        parent.status = status
        parent.completed_at = timezone.now() if status == Task.Status.DONE else None
        Task.objects.filter(pk=parent.pk).update(
            status=status,
            completed_at=parent.completed_at,
            updated_at=timezone.now(),
            version=F("version") + 1,
        )
        parent.refresh_from_db(fields=["version", "updated_at"])


def add_note(task: Task, user, text: str) -> ProgressNote:
    note = ProgressNote.objects.create(task=task, user=user, text=text)
    audit(user, "task-note", task, f"Ghi tiến độ: {text[:120]}")
    return note
