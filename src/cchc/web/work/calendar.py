"""The deadlines calendar: a month grid for the page and an iCalendar feed per unit."""

from __future__ import annotations

import calendar
from datetime import date

from django.utils import timezone

from cchc.extract.calendar import ics
from cchc.extract.deadlines import next_dates
from cchc.web.work.models import Task

# What the feed expands of a stored recurrence: the rules the extractor writes and a person
# would type. Anything else (a typo, FREQ=MINUTELY, a day no month has) is shown on the task's
# page but not expanded: dateutil looks for a date that never comes until the year 9999.
FREQUENCIES = {"YEARLY", "MONTHLY", "WEEKLY"}
RULE_PARTS = {"FREQ", "BYMONTH", "BYMONTHDAY"}
MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def month_grid(first: date, by_day: dict[date, list]) -> list[list[tuple[date, bool, list]]]:
    """Weeks from Monday: (day, in this month, tasks due that day)."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    return [[(d, d.month == first.month, by_day.get(d, [])) for d in week] for week in weeks]


def recurring_dates(rule: str, anchor: date) -> list[date]:
    """The next dates of a stored recurrence after `anchor`, or none when the rule is not one
    the feed expands (see FREQUENCIES): never an error, never a search through millennia."""
    rule = rule.strip().upper()
    try:
        parts = dict(part.split("=", 1) for part in rule.split(";") if part)
        months = [int(m) for m in parts.get("BYMONTH", "").split(",") if m] or range(1, 13)
        days = [int(d) for d in parts.get("BYMONTHDAY", "").split(",") if d] or [-1]
    except ValueError:
        return []
    if parts.get("FREQ") not in FREQUENCIES or not set(parts) <= RULE_PARTS:
        return []
    if not any(
        1 <= m <= 12 and 0 < abs(d) <= MONTH_DAYS[m - 1] for m in months for d in days
    ):  # e.g. the 30th of February
        return []
    try:
        return [date.fromisoformat(d) for d in next_dates(rule, anchor)]
    except (ValueError, OverflowError):
        return []


def unit_feed(unit) -> bytes:
    """One all-day event per open deadline of the unit, and the next dates of recurring duties."""
    today = timezone.localdate()
    tasks = (
        Task.work.filter(unit=unit)
        .exclude(status=Task.Status.DONE)
        .select_related("document")
        # what an event shows: never a document's text or machine JSON (5,000 tasks of one
        # long document loaded it 5,000 times)
        .only(
            "action",
            "kind",
            "deadline",
            "recurrence",
            "document__type",
            "document__number",
            "document__original_name",
            "document__date",
        )
    )

    def events():
        for task in tasks.iterator(chunk_size=500):
            dates = [task.deadline] if task.deadline else []
            if task.recurrence and not dates:
                anchor = task.document.date if task.document and task.document.date else today
                dates = recurring_dates(task.recurrence, anchor)
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
