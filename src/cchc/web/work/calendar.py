"""The deadlines calendar: a month grid for the page and an iCalendar feed per unit."""

from __future__ import annotations

import calendar
from datetime import date

from django.utils import timezone

from cchc.extract.calendar import ics
from cchc.extract.deadlines import next_dates
from cchc.web.work.models import Task


def month_grid(first: date, by_day: dict[date, list]) -> list[list[tuple[date, bool, list]]]:
    """Weeks from Monday: (day, in this month, tasks due that day)."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    return [[(d, d.month == first.month, by_day.get(d, [])) for d in week] for week in weeks]


def unit_feed(unit) -> bytes:
    """One all-day event per open deadline of the unit, and the next dates of recurring duties."""
    today = timezone.localdate()
    tasks = (
        Task.objects.filter(unit=unit).exclude(status=Task.Status.DONE).select_related("document")
    )

    def events():
        for task in tasks:
            dates = [task.deadline] if task.deadline else []
            if task.recurrence and not dates:
                anchor = task.document.date if task.document and task.document.date else today
                dates = [date.fromisoformat(d) for d in next_dates(task.recurrence, anchor)]
            source = f"Văn bản: {task.document}\n" if task.document else ""
            for n, when in enumerate(dates):
                yield (
                    f"task-{task.pk}-{n}@cchc",
                    f"{task.get_kind_display()}: {task.action[:120]}",
                    when,
                    f"{source}{task.action}",
                    task.kind,
                )

    return ics(f"Hạn công việc – {unit.name}", events())
