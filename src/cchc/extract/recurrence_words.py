"""Codes said in words, for people: an RFC 5545 recurrence rule (`FREQ=YEARLY;BYMONTH=12;
BYMONTHDAY=15` → "Hằng năm, ngày 15 tháng 12") and a report period (`Q1/2026` → "Quý I năm
2026"). Used by the web pages and the CLI alike."""

from __future__ import annotations

import re

from cchc.dates import PERIODS, period_label

WEEKDAYS = {
    "MO": "thứ Hai",
    "TU": "thứ Ba",
    "WE": "thứ Tư",
    "TH": "thứ Năm",
    "FR": "thứ Sáu",
    "SA": "thứ Bảy",
    "SU": "Chủ nhật",
}
EVERY = {"DAILY": "ngày", "WEEKLY": "tuần", "MONTHLY": "tháng", "YEARLY": "năm"}
_PERIOD = re.compile(r"^(?:(?P<code>Q[1-4]|H1|9M|Y)(?:/(?P<year>\d{4}))?|(?P<only_year>\d{4}))$")


def _rule_parts(rule: str) -> dict[str, str] | None:
    parts: dict[str, str] = {}
    for item in rule.strip().removeprefix("RRULE:").split(";"):
        key, sep, value = item.partition("=")
        if not sep or not key or not value:
            return None
        parts[key.strip().upper()] = value.strip().upper()
    return parts if parts.get("FREQ") in EVERY else None


def _days(monthdays: str) -> str | None:
    words = []
    for day in monthdays.split(","):
        if not re.fullmatch(r"-?\d{1,2}", day):
            return None
        words.append("ngày cuối tháng" if day == "-1" else f"ngày {int(day)}")
    return ", ".join(words)


def _months(months: str) -> list[int] | None:
    values = months.split(",")
    if not all(re.fullmatch(r"\d{1,2}", m) and 1 <= int(m) <= 12 for m in values):
        return None
    return [int(m) for m in values]


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " và " + items[-1]


def recurrence_in_words(rule: str) -> str | None:
    """The rule in Vietnamese words, or None when it is not a rule this knows how to say."""
    parts = _rule_parts(rule or "")
    if parts is None:
        return None
    freq = parts.pop("FREQ")
    interval = parts.pop("INTERVAL", "1")
    parts.pop("COUNT", None), parts.pop("UNTIL", None), parts.pop("WKST", None)
    if not interval.isdigit() or int(interval) < 1:
        return None
    days = _days(parts.pop("BYMONTHDAY")) if "BYMONTHDAY" in parts else ""
    months = _months(parts.pop("BYMONTH")) if "BYMONTH" in parts else []
    weekdays = parts.pop("BYDAY", "")
    if days is None or months is None or parts:
        return None  # an unknown part: say nothing rather than something wrong
    if weekdays and any(d not in WEEKDAYS for d in weekdays.split(",")):
        return None
    if int(interval) > 1:
        head = f"{interval} {EVERY[freq]} một lần"
    elif freq == "YEARLY" and months == [3, 6, 9, 12]:
        head, months = "Hằng quý", []
        days = f"{days or 'ngày cuối'} tháng cuối quý"
    elif freq == "YEARLY" and months == [6, 12]:
        head, months = "6 tháng một lần", []
        days = f"{days or 'ngày cuối'} tháng 6 và tháng 12"
    else:
        head = f"Hằng {EVERY[freq]}"
    words = [head]
    if weekdays:
        words.append(_join([WEEKDAYS[d] for d in weekdays.split(",")]))
    if months:
        when = _join([f"tháng {m}" for m in months])
        words.append(f"{days} {when}" if days else when)
    elif days:
        words.append(days)
    return ", ".join(words)


def period_in_words(period: str) -> str | None:
    """A report period code (`Q1`, `H1/2026`, `9M/2026`, `Y/2026`, `2026`) in words, with the
    names of the one period grammar (`cchc.dates.period_label`)."""
    match = _PERIOD.match((period or "").strip())
    if not match:
        return None
    if match["only_year"]:
        return period_label("Y", int(match["only_year"]), capital=True)
    code, year = match["code"], match["year"]
    if year:
        return period_label(code, int(year), capital=True)
    name = PERIODS[code][1]
    return name[:1].upper() + name[1:]
