"""Evidence from the work cchc already tracks: sub-criteria a framework binds by name
(`evidence_rule: plan_on_time`, see `cchc.par.framework.EVIDENCE_RULES`) computed over the
registry and the task tracker, for one unit and one year.

Only confirmed tasks count (`Task.work`), lateness is `Task.days_late`. Each rule gives a
grade ("best" / "middle" / "worst", mapped onto the criterion's own rule) or a percent, a
sentence saying why, and the documents and tasks it read, which become evidence links."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from cchc.web.documents.models import Document
from cchc.web.work.models import Task

CCHC = Q(action__icontains="cải cách hành chính") | Q(action__icontains="CCHC")
CCHC_DOC = Q(subject__icontains="cải cách hành chính") | Q(subject__icontains="CCHC")
TASK_FIELDS = ("id", "action", "deadline", "status", "completed_at", "document_id", "kind")


@dataclass
class Computed:
    grade: str | None = None  # "best" | "middle" | "worst" for graded rules
    percent: Decimal | None = None  # for rates
    note: str = ""
    tasks: list[Task] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)


# What each rule reads, before the unit is chosen: the per-unit rules below filter these on one
# unit, `compute_all` on many at once (one query per rule), and both hand what they read to the
# same `_decide_*` function, so the two paths cannot count differently.


def _work(year: int):
    """Confirmed tasks due in the year."""
    return Task.work.filter(deadline__year=year).only(*TASK_FIELDS, "unit_id")


def _plan_tasks(year: int):
    """Tasks to issue the year's CCHC plan: due in the year or in December before it."""
    return (
        Task.work.filter(CCHC, action__icontains="kế hoạch")
        .filter(Q(deadline__year=year) | Q(deadline__year=year - 1, deadline__month=12))
        .only(*TASK_FIELDS, "unit_id")
    )


def _plan_documents(year: int):
    return (
        Document.objects.filter(CCHC_DOC, type__icontains="kế hoạch")
        .filter(Q(date__year=year) | Q(date__year=year - 1, date__month=12))
        .only(*DOC_FIELDS, "unit_id")
    )


def _report_tasks(year: int):
    return _work(year).filter(CCHC, kind=Task.Kind.REPORT)


def _inspection_tasks(year: int):
    return _work(year).filter(CCHC, action__icontains="kiểm tra", status=Task.Status.DONE)


def _inspection_documents(year: int):
    return Document.objects.filter(CCHC_DOC, subject__icontains="kiểm tra", date__year=year).only(
        *DOC_FIELDS, "unit_id"
    )


def _handled_documents(year: int):
    return Document.objects.filter(handling_deadline__year=year).only(
        *DOC_FIELDS, "handling_deadline"
    )


DOC_FIELDS = ("id", "type", "number", "date", "subject", "original_name")
DOC_LIMIT, TASK_LIMIT = 5, 20  # evidence links a rule gives at most


def _count_late(tasks) -> tuple[int, int, int]:
    """(done on time, done late, not done though due) among tasks due by today."""
    today = timezone.localdate()
    on_time = late = open_ = 0
    for t in tasks:
        if t.status == Task.Status.DONE:
            if t.days_late:
                late += 1
            else:
                on_time += 1
        elif t.deadline and t.deadline < today:
            open_ += 1
    return on_time, late, open_


def _decide_plan(tasks: list[Task], docs: list[Document]) -> Computed:
    if tasks:
        on_time, late, open_ = _count_late(tasks)
        if on_time and not (late or open_):
            return Computed("best", None, "kế hoạch ban hành đúng hạn giao", tasks, docs)
        if late and not open_:
            days = max(t.days_late or 0 for t in tasks)
            return Computed("middle", None, f"kế hoạch ban hành chậm {days} ngày", tasks, docs)
        return Computed("worst", None, "chưa ban hành kế hoạch (nhiệm vụ chưa xong)", tasks, docs)
    if docs:
        return Computed("best", None, "có kế hoạch CCHC năm trong sổ văn bản", [], docs)
    return Computed("worst", None, "không thấy kế hoạch CCHC năm trong sổ và công việc")


def _decide_reports(tasks: list[Task]) -> Computed:
    if not tasks:
        return Computed("worst", None, "không có nhiệm vụ báo cáo CCHC nào trong năm")
    on_time, late, open_ = _count_late(tasks)
    note = f"{on_time} báo cáo đúng hạn, {late} chậm, {open_} chưa gửi (quá hạn)"
    if open_:
        return Computed("worst", None, note, tasks)
    return Computed("middle" if late else "best", None, note, tasks)


def _decide_rate(on_time: int, late: int, open_: int, late_tasks: list[Task]) -> Computed:
    due = on_time + late + open_
    if not due:
        return Computed(None, None, "chưa có nhiệm vụ đến hạn trong năm", late_tasks)
    percent = (Decimal(100) * on_time / due).quantize(Decimal("0.1"), ROUND_HALF_UP)
    note = f"{on_time}/{due} nhiệm vụ đến hạn hoàn thành đúng hạn ({late} chậm, {open_} quá hạn)"
    return Computed(None, percent, note, late_tasks)


def _decide_inspection(tasks: list[Task], docs: list[Document]) -> Computed:
    if tasks:
        return Computed("best", None, "đã tổ chức kiểm tra CCHC", tasks, docs)
    return Computed("worst", None, "chưa thấy cuộc kiểm tra CCHC nào hoàn thành", [], docs)


def _decide_documents(docs: list[Document], tasks: dict[int, list[Task]]) -> Computed:
    """`docs`: the unit's documents with a handling deadline in the year (newest first);
    `tasks`: document id → the unit's confirmed tasks on it."""
    if not docs:
        return Computed(None, None, "không có văn bản có hạn xử lý trong năm")
    today = timezone.localdate()
    on_time, late_docs = 0, []
    for d in docs:
        mine = tasks.get(d.pk, [])
        done_by = all(
            t.status == Task.Status.DONE
            and t.completed_at is not None
            and timezone.localdate(t.completed_at) <= d.handling_deadline
            for t in mine
        )
        if mine and done_by:
            on_time += 1
        elif d.handling_deadline < today or any(t.status == Task.Status.DONE for t in mine):
            late_docs.append(d)
        # else: not yet due, not counted against the unit
    due = on_time + len(late_docs)
    if not due:
        return Computed(None, None, "chưa có văn bản đến hạn xử lý")
    percent = (Decimal(100) * on_time / due).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return Computed(
        None, percent, f"{on_time}/{due} văn bản xử lý đúng hạn", [], late_docs[:TASK_LIMIT]
    )


# --- one unit ----------------------------------------------------------------------------


def plan_on_time(unit, year: int) -> Computed:
    """The year's CCHC plan: a confirmed task to issue it, done by its deadline (best), done
    late (middle), not done (worst); or, without such a task, a Kế hoạch on CCHC of the unit
    in the registry dated before the year ends (best, said so)."""
    tasks = list(_plan_tasks(year).filter(unit=unit))
    docs = list(_plan_documents(year).filter(unit=unit)[:DOC_LIMIT])
    return _decide_plan(tasks, docs)


def reports_on_time(unit, year: int) -> Computed:
    """The CCHC reports due in the year (report tasks): all on time, all sent but some late,
    or some not sent though due."""
    return _decide_reports(list(_report_tasks(year).filter(unit=unit)))


def tasks_on_time(unit, year: int) -> Computed:
    """Share of the unit's confirmed tasks due in the year (and due by today) done on time."""
    tasks = list(_work(year).filter(unit=unit))
    late_tasks = [t for t in tasks if t.days_late or (t.status != Task.Status.DONE)]
    return _decide_rate(*_count_late(tasks), late_tasks[:TASK_LIMIT])


def inspection_held(unit, year: int) -> Computed:
    """A CCHC inspection in the year: a done task or a registered decision/plan on it."""
    tasks = list(_inspection_tasks(year).filter(unit=unit))
    docs = list(
        _inspection_documents(year)
        .filter(Q(unit=unit) | Q(tasks__unit=unit))
        .distinct()[:DOC_LIMIT]
    )
    return _decide_inspection(tasks, docs)


def documents_on_time(unit, year: int) -> Computed:
    """Share of documents with a handling deadline in the year, handled by the unit (its
    confirmed tasks on them), whose tasks were all done by that deadline."""
    docs = list(_handled_documents(year).filter(tasks__unit=unit).distinct())
    tasks: dict[int, list[Task]] = {}
    if docs:
        for t in Task.work.filter(document__in=docs, unit=unit).only(*TASK_FIELDS):
            tasks.setdefault(t.document_id, []).append(t)
    return _decide_documents(docs, tasks)


RULES = {
    "plan_on_time": plan_on_time,
    "reports_on_time": reports_on_time,
    "tasks_on_time": tasks_on_time,
    "inspection_held": inspection_held,
    "documents_on_time": documents_on_time,
}


# --- many units at once --------------------------------------------------------------------

CHUNK = 5000  # units per query: a province's communes in one pass, parameters bounded


def _grouped(queryset, limit: int | None = None) -> dict[int, list]:
    """Rows by their `unit_id`, in the queryset's order, at most `limit` per unit."""
    out: dict[int, list] = {}
    for row in queryset:
        mine = out.setdefault(row.unit_id, [])
        if limit is None or len(mine) < limit:
            mine.append(row)
    return out


def _late_or_open():
    """Confirmed tasks done after their deadline (by the local date) or not done."""
    return ~Q(status=Task.Status.DONE) | Q(
        completed_at__isnull=False, completed_at__date__gt=F("deadline")
    )


def _rates(ids: list[int], year: int) -> dict[int, Computed]:
    """`tasks_on_time` for many units: the counts by one grouped query, the late or open tasks
    it links (the first 20 of each unit) by one ranked query."""
    today = timezone.localdate()
    done = Q(status=Task.Status.DONE)
    late = done & Q(completed_at__isnull=False, completed_at__date__gt=F("deadline"))
    counts = {
        row["unit"]: row
        for row in _work(year)
        .filter(unit__in=ids)
        .order_by()
        .values("unit")
        .annotate(
            late=Count("id", filter=late),
            done=Count("id", filter=done),
            open=Count("id", filter=~done & Q(deadline__lt=today)),
        )
    }
    ranked = (
        _work(year)
        .filter(unit__in=ids)
        .filter(_late_or_open())
        .annotate(
            n=Window(RowNumber(), partition_by=[F("unit_id")], order_by=[F("deadline"), F("id")])
        )
        .filter(n__lte=TASK_LIMIT)
        .order_by("unit_id", "deadline", "id")
    )
    late_tasks = _grouped(ranked)
    out = {}
    for pk in ids:
        row = counts.get(pk, {"late": 0, "done": 0, "open": 0})
        out[pk] = _decide_rate(
            row["done"] - row["late"], row["late"], row["open"], late_tasks.get(pk, [])
        )
    return out


def _by_holder(docs: list[Document], pairs, limit: int | None = None) -> dict[int, list]:
    """Unit id → its documents in the order of `docs` (the registry's, newest first), a
    document belonging to each unit of the (unit id, document id) `pairs`."""
    units_of: dict[int, list[int]] = {}
    for unit_id, document_id in pairs:
        units_of.setdefault(document_id, []).append(unit_id)
    out: dict[int, list] = {}
    for d in docs:
        for unit_id in units_of.get(d.pk, ()):
            mine = out.setdefault(unit_id, [])
            if limit is None or len(mine) < limit:
                mine.append(d)
    return out


def _inspections(ids: list[int], year: int) -> dict[int, Computed]:
    tasks = _grouped(
        _inspection_tasks(year).filter(unit__in=ids).order_by("unit_id", "deadline", "id")
    )
    docs = list(
        _inspection_documents(year).filter(Q(unit__in=ids) | Q(tasks__unit__in=ids)).distinct()
    )
    wanted = set(ids)
    pairs = {(d.unit_id, d.pk) for d in docs if d.unit_id in wanted}
    pairs |= set(
        Task.objects.filter(document__in=[d.pk for d in docs], unit__in=ids)
        .order_by()
        .values_list("unit_id", "document_id")
    )
    found = _by_holder(docs, pairs, DOC_LIMIT)
    return {pk: _decide_inspection(tasks.get(pk, []), found.get(pk, [])) for pk in ids}


def _handled(ids: list[int], year: int) -> dict[int, Computed]:
    pairs = set(
        Task.objects.filter(unit__in=ids, document__handling_deadline__year=year)
        .order_by()
        .values_list("unit_id", "document_id")
    )
    docs = list(_handled_documents(year).filter(pk__in={d for _, d in pairs}))
    tasks: dict[tuple[int, int], list[Task]] = {}
    for t in Task.work.filter(unit__in=ids, document__in=[d.pk for d in docs]).only(
        *TASK_FIELDS, "unit_id"
    ):
        tasks.setdefault((t.unit_id, t.document_id), []).append(t)
    held = _by_holder(docs, pairs)
    out = {}
    for pk in ids:
        mine = held.get(pk, [])
        out[pk] = _decide_documents(
            mine, {d.pk: tasks[(pk, d.pk)] for d in mine if (pk, d.pk) in tasks}
        )
    return out


def _plans(ids: list[int], year: int) -> dict[int, Computed]:
    tasks = _grouped(_plan_tasks(year).filter(unit__in=ids).order_by("unit_id", "deadline", "id"))
    docs = _grouped(
        _plan_documents(year).filter(unit__in=ids).order_by("unit_id", "-date", "-id"), DOC_LIMIT
    )
    return {pk: _decide_plan(tasks.get(pk, []), docs.get(pk, [])) for pk in ids}


def _reports(ids: list[int], year: int) -> dict[int, Computed]:
    tasks = _grouped(_report_tasks(year).filter(unit__in=ids).order_by("unit_id", "deadline", "id"))
    return {pk: _decide_reports(tasks.get(pk, [])) for pk in ids}


MANY = {
    "plan_on_time": _plans,
    "reports_on_time": _reports,
    "tasks_on_time": _rates,
    "inspection_held": _inspections,
    "documents_on_time": _handled,
}


def compute_all(units, year: int, rules=None) -> dict[int, dict[str, Computed]]:
    """Unit id → rule name → what the rule computes, for many units at once: a few grouped
    queries per rule for every `CHUNK` units, instead of some for each unit. The same facts as
    `RULES[name](unit, year)` (tests/test_par_bench_queries.py holds them equal)."""
    ids = sorted({getattr(u, "pk", u) for u in units})
    out: dict[int, dict[str, Computed]] = {pk: {} for pk in ids}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        for name in rules or MANY:
            for pk, computed in MANY[name](chunk, year).items():
                out[pk][name] = computed
    return out


def value_for(criterion, computed: Computed, rule_items) -> Decimal | None:
    """The computed fact as the criterion's own rule reads it: a grade onto its options (best
    = the first, worst = the last, middle = the one between), a percent onto its bands or
    ratio, both onto yes/no or points."""
    top = criterion.max_points
    if computed.percent is not None:
        if criterion.scoring in ("ratio", "bands"):
            return computed.percent
        share = computed.percent / 100
        grade = (
            "best"
            if share >= Decimal("0.9")
            else ("middle" if share >= Decimal("0.7") else "worst")
        )
    else:
        grade = computed.grade
    if grade is None:
        return None
    if criterion.scoring == "options" and rule_items:
        ordered = sorted(rule_items, key=lambda i: -i.points)
        pick = {"best": ordered[0], "worst": ordered[-1]}.get(grade)
        if pick is None:
            pick = ordered[len(ordered) // 2] if len(ordered) > 2 else ordered[-1]
        return pick.points
    if criterion.scoring == "yesno":
        return Decimal(int(grade == "best"))
    if criterion.scoring in ("ratio", "bands"):
        return {"best": Decimal(100), "middle": Decimal(50), "worst": Decimal(0)}[grade]
    if criterion.scoring == "points" and top is not None:
        return {"best": top, "middle": top / 2, "worst": Decimal(0)}[grade]
    return None


def year_end(year: int) -> date:
    return date(year, 12, 31)
