"""From the tasks the core extracted to tasks of the deployment's units: match each lead to a
unit of the registry, fan collective leads ("UBND các xã, phường") out to every unit they name,
and roll the children's progress back up to the collective task."""

from __future__ import annotations

import re
from datetime import date

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from rapidfuzz import fuzz, process

from cchc.extract.units import canonical_name
from cchc.web.accounts.models import Unit, audit
from cchc.web.work.models import ProgressNote, Task

# Which kinds of unit a collective name covers, by its canonical (folded) form.
COLLECTIVE_KINDS = (
    (
        re.compile(
            r"\bcac (?:xa|phuong|thi tran|dia phuong)|\b(?:xa|phuong), (?:xa|phuong|thi tran)"
        ),
        (Unit.Kind.COMMUNE,),
    ),
    (
        re.compile(r"\bcac phong|phong, ban|co quan chuyen mon|ban chuyen mon"),
        (Unit.Kind.DEPARTMENT,),
    ),
    (
        re.compile(r"co quan, don vi|cac don vi|cac co quan"),
        (Unit.Kind.DEPARTMENT, Unit.Kind.AGENCY, Unit.Kind.COMMUNE),
    ),
)

# The head of a unit stands for the unit: "Trưởng phòng Nội vụ", "Chủ tịch UBND phường An Lạc".
TITLE = re.compile(r"^(?:chanh|truong|pho truong|giam doc|chu tich|pho chu tich|thu truong) (?=\w)")


_registry: tuple[list[Unit], dict[str, int]] | None = None
_matches: dict[str, int | None] = {}  # printed name → unit, valid as long as the registry


def registry() -> tuple[list[Unit], dict[str, int]]:
    """The deployment's units and every canonical name they go by, read once and kept until a
    unit changes (ingest asks for them for every document)."""
    global _registry
    if _registry is None:
        units = list(Unit.objects.all())
        names: dict[str, int] = {}
        for unit in units:
            for name in unit.names():
                names.setdefault(name, unit.pk)
        _registry = (units, names)
    return _registry


@receiver([post_save, post_delete], sender=Unit)
def _forget_registry(**_kwargs) -> None:
    global _registry
    _registry = None
    _matches.clear()


def match_unit(name: str) -> int | None:
    """The registry unit a printed name refers to: same canonical name, else a close match."""
    if name not in _matches:
        _matches[name] = _match(name, registry()[1])
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
            pool = Unit.objects.all() if units is None else units
            return [u for u in pool if u.kind in kinds]
    return []


def _date(iso: str | None) -> date | None:
    return date.fromisoformat(iso) if iso else None


def _fields(item: dict) -> dict:
    """A stored task's fields from one task of the core's JSON."""
    lead = item.get("lead") or []
    span = item.get("source_span") or [None, None]
    return {
        "lead_text": ", ".join(u["name"] for u in lead)[:300],
        "support": [u["name"] for u in item.get("support") or []],
        "action": item.get("action") or "",
        "kind": item.get("kind") if item.get("kind") in Task.Kind.values else Task.Kind.TASK,
        "deadline": _date(item.get("deadline") or item.get("due")),
        "deadline_text": (item.get("deadline_text") or "")[:200],
        "urgent": bool(item.get("urgent")),
        "recurrence": item.get("recurrence") or "",
        "report_to": (item.get("report_to") or "")[:300],
        "period": item.get("period") or "",
        "data_from": _date(item.get("data_from")),
        "data_to": _date(item.get("data_to")),
        "section": (item.get("section") or "")[:200],
        "source_start": span[0],
        "source_end": span[1],
    }


def create_tasks(doc, extracted: list[dict]) -> list[Task]:
    """Tasks of one ingested document (inside the caller's transaction). A task with one lead
    unit goes to that unit; several leads or a collective lead make a collective task with one
    child per unit of the registry they name. Written with two bulk inserts."""
    if not extracted:
        return []
    all_units = registry()[0]
    tasks, targets = [], []
    for item in extracted:
        lead = item.get("lead") or []
        units: list[int] = []
        for unit in lead:
            found = (
                [u.pk for u in collective_units(unit["canonical"], all_units)]
                if unit.get("collective")
                else [match_unit(unit["name"])]
            )
            units.extend(pk for pk in found if pk is not None and pk not in units)
        collective = len(lead) > 1 or any(u.get("collective") for u in lead)
        tasks.append(
            Task(
                document=doc,
                collective=collective,
                machine=item,
                unit_id=units[0] if units and not collective else None,
                **_fields(item),
            )
        )
        targets.append(units if collective else [])
    Task.objects.bulk_create(tasks)
    children = [
        Task(document=doc, parent=task, unit_id=unit_id, **_fields(task.machine))
        for task, units in zip(tasks, targets, strict=True)
        for unit_id in units
    ]
    Task.objects.bulk_create(children)
    return tasks + children


def set_status(task: Task, status: str, user, note: str = "") -> Task:
    """Change the status, write the history and the audit log, roll up to the parent."""
    with transaction.atomic():
        old = task.status
        task.status = status
        task.completed_at = timezone.now() if status == Task.Status.DONE else None
        task.save()
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
        parent.save(update_fields=["status", "completed_at", "updated_at"])


def add_note(task: Task, user, text: str) -> ProgressNote:
    note = ProgressNote.objects.create(task=task, user=user, text=text)
    audit(user, "task-note", task, f"Ghi tiến độ: {text[:120]}")
    return note
