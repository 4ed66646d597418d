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

from django.db.models import Q
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


def _year_tasks(unit, year: int):
    return Task.work.filter(unit=unit, deadline__year=year).only(*TASK_FIELDS)


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


def plan_on_time(unit, year: int) -> Computed:
    """The year's CCHC plan: a confirmed task to issue it, done by its deadline (best), done
    late (middle), not done (worst); or, without such a task, a Kế hoạch on CCHC of the unit
    in the registry dated before the year ends (best, said so)."""
    tasks = list(
        _year_tasks(unit, year).filter(CCHC, action__icontains="kế hoạch")
        | Task.work.filter(unit=unit, deadline__year=year - 1, deadline__month=12)
        .filter(CCHC, action__icontains="kế hoạch")
        .only(*TASK_FIELDS)
    )
    docs = list(
        Document.objects.filter(CCHC_DOC, type__icontains="kế hoạch", unit=unit)
        .filter(Q(date__year=year) | Q(date__year=year - 1, date__month=12))
        .only("id", "type", "number", "date", "subject", "original_name")[:5]
    )
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


def reports_on_time(unit, year: int) -> Computed:
    """The CCHC reports due in the year (report tasks): all on time, all sent but some late,
    or some not sent though due."""
    tasks = list(_year_tasks(unit, year).filter(CCHC, kind=Task.Kind.REPORT))
    if not tasks:
        return Computed("worst", None, "không có nhiệm vụ báo cáo CCHC nào trong năm")
    on_time, late, open_ = _count_late(tasks)
    note = f"{on_time} báo cáo đúng hạn, {late} chậm, {open_} chưa gửi (quá hạn)"
    if open_:
        return Computed("worst", None, note, tasks)
    return Computed("middle" if late else "best", None, note, tasks)


def tasks_on_time(unit, year: int) -> Computed:
    """Share of the unit's confirmed tasks due in the year (and due by today) done on time."""
    tasks = list(_year_tasks(unit, year))
    on_time, late, open_ = _count_late(tasks)
    due = on_time + late + open_
    if not due:
        return Computed(None, None, "chưa có nhiệm vụ đến hạn trong năm", tasks)
    percent = (Decimal(100) * on_time / due).quantize(Decimal("0.1"), ROUND_HALF_UP)
    note = f"{on_time}/{due} nhiệm vụ đến hạn hoàn thành đúng hạn ({late} chậm, {open_} quá hạn)"
    late_tasks = [t for t in tasks if t.days_late or (t.status != Task.Status.DONE)]
    return Computed(None, percent, note, late_tasks[:20])


def inspection_held(unit, year: int) -> Computed:
    """A CCHC inspection in the year: a done task or a registered decision/plan on it."""
    words = Q(action__icontains="kiểm tra")
    tasks = list(_year_tasks(unit, year).filter(CCHC, words, status=Task.Status.DONE))
    docs = list(
        Document.objects.filter(CCHC_DOC, subject__icontains="kiểm tra", date__year=year)
        .filter(Q(unit=unit) | Q(tasks__unit=unit))
        .distinct()
        .only("id", "type", "number", "date", "subject", "original_name")[:5]
    )
    if tasks:
        return Computed("best", None, "đã tổ chức kiểm tra CCHC", tasks, docs)
    return Computed("worst", None, "chưa thấy cuộc kiểm tra CCHC nào hoàn thành", [], docs)


def documents_on_time(unit, year: int) -> Computed:
    """Share of documents with a handling deadline in the year, handled by the unit (its
    confirmed tasks on them), whose tasks were all done by that deadline."""
    docs = list(
        Document.objects.filter(handling_deadline__year=year, tasks__unit=unit)
        .distinct()
        .only("id", "type", "number", "date", "subject", "original_name", "handling_deadline")
    )
    if not docs:
        return Computed(None, None, "không có văn bản có hạn xử lý trong năm")
    tasks = {}
    for t in Task.work.filter(document__in=docs, unit=unit).only(*TASK_FIELDS):
        tasks.setdefault(t.document_id, []).append(t)
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
        else:
            on_time += 0  # not yet due: not counted against the unit
    due = on_time + len(late_docs)
    if not due:
        return Computed(None, None, "chưa có văn bản đến hạn xử lý")
    percent = (Decimal(100) * on_time / due).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return Computed(None, percent, f"{on_time}/{due} văn bản xử lý đúng hạn", [], late_docs[:20])


RULES = {
    "plan_on_time": plan_on_time,
    "reports_on_time": reports_on_time,
    "tasks_on_time": tasks_on_time,
    "inspection_held": inspection_held,
    "documents_on_time": documents_on_time,
}


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
