"""From the tasks the core extracted to tasks of the deployment's units: match each lead to a
unit of the registry, fan collective leads ("UBND các xã, phường") out to every unit they name,
and roll the children's progress back up to the collective task."""

from __future__ import annotations

import re
from datetime import date

from django.db import transaction
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


def _unit_names() -> dict[str, int]:
    names: dict[str, int] = {}
    for unit in Unit.objects.all():
        for name in unit.names():
            names.setdefault(name, unit.pk)
    return names


def match_unit(name: str, names: dict[str, int] | None = None) -> int | None:
    """The registry unit a printed name refers to: same canonical name, else a close match."""
    names = _unit_names() if names is None else names
    key = TITLE.sub("", canonical_name(name))
    if key in names:
        return names[key]
    # "Phòng Nội vụ là cơ quan thường trực": the longest registry name the lead begins with
    starts = [n for n in names if key.startswith(n + " ") or key.startswith(n + ",")]
    if starts:
        return names[max(starts, key=len)]
    found = process.extractOne(key, names.keys(), scorer=fuzz.ratio, score_cutoff=92)
    return names[found[0]] if found else None


def collective_units(canonical: str) -> list[Unit]:
    """The units a collective name covers in this deployment (none when it is not known)."""
    for pattern, kinds in COLLECTIVE_KINDS:
        if pattern.search(canonical):
            return list(Unit.objects.filter(kind__in=kinds))
    return []


def _date(iso: str | None) -> date | None:
    return date.fromisoformat(iso) if iso else None


def create_tasks(doc, extracted: list[dict]) -> list[Task]:
    """Tasks of one ingested document (inside the caller's transaction). A task with one lead
    unit goes to that unit; several leads or a collective lead make a collective task with one
    child per unit of the registry they name."""
    names = _unit_names()
    created = []
    for item in extracted:
        lead = item.get("lead") or []
        units: list[int] = []
        for unit in lead:
            found = (
                [u.pk for u in collective_units(unit["canonical"])]
                if unit.get("collective")
                else [match_unit(unit["name"], names)]
            )
            units.extend(pk for pk in found if pk is not None and pk not in units)
        span = item.get("source_span") or [None, None]
        task = Task(
            document=doc,
            lead_text=", ".join(u["name"] for u in lead)[:300],
            support=[u["name"] for u in item.get("support") or []],
            collective=len(lead) > 1 or any(u.get("collective") for u in lead),
            action=item.get("action") or "",
            kind=item.get("kind") if item.get("kind") in Task.Kind.values else Task.Kind.TASK,
            deadline=_date(item.get("deadline") or item.get("due")),
            deadline_text=(item.get("deadline_text") or "")[:200],
            urgent=bool(item.get("urgent")),
            recurrence=item.get("recurrence") or "",
            report_to=(item.get("report_to") or "")[:300],
            period=item.get("period") or "",
            data_from=_date(item.get("data_from")),
            data_to=_date(item.get("data_to")),
            section=(item.get("section") or "")[:200],
            source_start=span[0],
            source_end=span[1],
            machine=item,
        )
        if not task.collective and units:
            task.unit_id = units[0]
        task.save()
        created.append(task)
        if task.collective:
            created.extend(fan_out(task, list(Unit.objects.filter(pk__in=units))))
    return created


def fan_out(task: Task, units: list[Unit]) -> list[Task]:
    """One child task per unit; the collective task rolls their progress up."""
    children = []
    for unit in units:
        child = Task.objects.get(pk=task.pk)
        child.pk = None
        child.id = None
        child.parent = task
        child.unit = unit
        child.collective = False
        child.save()
        children.append(child)
    return children


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
