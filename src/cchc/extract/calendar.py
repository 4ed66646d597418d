"""The national default report calendar (`data/report_calendar.yaml`, Nghị định 09/2019/NĐ-CP)
and iCalendar export of task deadlines."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from functools import cache
from importlib import resources

import yaml

from cchc.dates import MAX_YEAR, MIN_YEAR


@cache
def _calendar() -> dict:
    text = resources.files("cchc.data").joinpath("report_calendar.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def _day(year: int, spec: list[int]) -> date:
    offset, month, *day = spec
    return date(year + offset, month, day[0] if day else _calendar()["due_day"])


def national_calendar(year: int, frequency: str = "quarterly") -> list[dict]:
    """Report periods of `year` with their data window and due date, for a unit whose document
    says only `hằng quý` (quarterly), `6 tháng` (half-yearly) or `hằng năm` (yearly)."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"năm {year} không hợp lệ: cần một năm từ {MIN_YEAR} đến {MAX_YEAR}")
    data = _calendar()
    if frequency not in data["frequencies"]:
        known = ", ".join(data["frequencies"])
        raise ValueError(f"unknown frequency {frequency!r}; known: {known}")
    return [report_period(year, period) for period in data["frequencies"][frequency]]


def report_period(year: int, period: str) -> dict:
    """One period (`Q1`…`Q4`, `H1`, `9M`, `Y`) of `year`: its data window and due date."""
    periods = _calendar()["periods"]
    if period not in periods:
        raise ValueError(f"unknown report period {period!r}; known: {', '.join(periods)}")
    spec = periods[period]
    return {
        "period": f"{period}/{year}",
        "data_from": _day(year, spec["data_from"]).isoformat(),
        "data_to": _day(year, spec["data_to"]).isoformat(),
        "due": _day(year, spec["due"]).isoformat(),
    }


def ics(name: str, events: Iterable[tuple[str, str, date, str, str]]) -> bytes:
    """An iCalendar of all-day events, each (uid, summary, day, description, category)."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//cchc//lich han xu ly//VI")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    stamp = datetime.now(UTC)  # RFC 5545: DTSTAMP is required in every VEVENT
    for uid, summary, day, description, category in events:
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", stamp)
        event.add("summary", summary)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("description", description)
        event.add("categories", [category])
        cal.add_component(event)
    return cal.to_ical()


def tasks_to_ics(documents: list) -> bytes:
    """One all-day event per task deadline (and per next date of a recurring task)."""

    def events():
        for doc in documents:
            source = doc.number or doc.file
            for task in doc.tasks:
                dates = [task["deadline"]] if task.get("deadline") else task.get("next_dates", [])
                leads = ", ".join(u["name"] for u in task["lead"])
                for n, when in enumerate(dates):
                    yield (
                        f"{source}-{task['id']}-{n}@cchc",
                        f"[{leads}] {task['action'][:120]}",
                        date.fromisoformat(when),
                        f"Văn bản: {source}\n{task['action']}",
                        task.get("kind", "task"),
                    )

    return ics("Hạn xử lý công việc (cchc)", events())
