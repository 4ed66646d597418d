"""Deadlines, recurrences and urgency in Vietnamese: `trước ngày 16/4/2021`, `chậm nhất ngày
15/01/2021`, `trong tháng 4 năm 2021`, `trong quý I/2026`, `năm 2025`, `hằng quý`,
`trước ngày 20 của tháng cuối quý`, `ngay`, `khẩn trương`.

Each finder works on the folded text (no marks, lower case) so OCR-repaired and typed text read
alike; dates are anchored on the document's own date when the phrase is relative.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from cchc.dates import (
    DATE_NUM,
    DATE_WORDS,
    QUARTER,
    QUARTER_NUMERAL,
    end_of_month,
    iso_date,
    quarter_number,
)
from cchc.text import fold

_BEFORE = r"(?:truoc|cham nhat(?: la)?|han chot|khong qua|truoc hoac trong|den het)"

_HOUR = r"(?:\d{1,2}\s*(?:gio|h)(?:\s*\d{2})?(?:\s*phut)?\s*,?\s*)?"  # `17 giờ`, `17h00`
_ABS = re.compile(rf"{_BEFORE}\s+{_HOUR}(?:ngay\s+)?(?:{DATE_NUM}|{DATE_WORDS})")
_BY_DATE = re.compile(rf"(?:trong|den)\s+ngay\s+(?:{DATE_NUM}|{DATE_WORDS})")
# Getting ready for a start: `chuẩn bị … để chính quyền … chính thức hoạt động từ ngày 01 tháng
# 7 năm 2025` is due on that day (a start date alone is no deadline).
_READY_BY = re.compile(
    rf"chuan bi\b[^;.]{{0,250}}?"
    rf"((?:hoat dong|van hanh|ap dung|trien khai)\s+(?:tu|ke tu)\s+"
    rf"ngay\s+(?:{DATE_NUM}|{DATE_WORDS}))"
)
_MONTH = re.compile(
    r"(?:trong|truoc het|den het|cuoi)\s+thang\s+(\d{1,2})\s*(?:nam\s+|/\s*)(\d{4})"
)
_QUARTER = re.compile(
    rf"(?:trong|truoc het|den het|cuoi)\s+quy\s+{QUARTER}\s*(?:nam\s+|/\s*)(\d{{4}})"
)
_YEAR = re.compile(r"(?:trong|truoc het|den het|cuoi)\s+nam\s+(\d{4})")
_RELATIVE = re.compile(
    r"trong\s+(?:thoi han\s+)?(\d{1,3})\s+ngay(?:\s+lam viec)?"
    # `chậm nhất 05 ngày làm việc kể từ ngày ban hành Quyết định`: from the document's own date
    r"|(?:cham nhat|khong qua|toi da)\s+(\d{1,3})\s+ngay(?:\s+lam viec)?"
    r"(?=\s+(?:ke tu|tinh tu)\s+ngay\s+(?:ban hanh|ky))"
)
_URGENT = re.compile(
    r"(?<![a-z])(?:ngay lap tuc|khan truong|khan cap|ngay(?=\s*(?:[,;.]|$))|kip thoi)"
)
# Time words that set no date: kept with a note saying why the duty has none.
_VAGUE = re.compile(
    r"thuong xuyen|lien tuc|theo ke hoach(?: rieng)?|theo lo trinh|theo tien do"
    r"|nam \d{4} va cac nam tiep theo|(?:sau khi|khi) co \w+(?: \w+){0,6}"
)
_MONTHLY = re.compile(r"(?:hang|hang|dinh ky)\s+thang")
_QUARTERLY = re.compile(r"(?:hang|dinh ky)\s+quy")
_HALF_YEAR = re.compile(r"(?:dinh ky|hang)\s+(?:06|6)\s+thang|6\s+thang\s+(?:mot lan|1 lan)")
_YEARLY = re.compile(r"(?:hang|dinh ky)\s+nam|hang nam")
_DAY_OF_LAST_MONTH = re.compile(r"ngay\s+(\d{1,2})\s+(?:cua\s+)?thang\s+cuoi\s+(quy|ky)")
_DAY_OF_YEAR = re.compile(
    rf"{_BEFORE}\s+ngay\s+(\d{{1,2}})\s*(?:/|-|thang)\s*(\d{{1,2}})(?!\s*(?:/|-|nam)\s*\d)"
)
_DAY_OF_MONTH = re.compile(r"truoc\s+ngay\s+(\d{1,2})\s+(?:hang\s+thang|cua\s+thang|thang)")


@dataclass
class Deadline:
    date: str | None = None  # ISO
    text: str | None = None  # the phrase as printed
    urgent: bool = False
    recurrence: str | None = None  # RFC 5545 RRULE
    next_dates: list[str] = field(default_factory=list)
    note: str | None = None  # why a phrase gave no date
    warnings: list[str] = field(default_factory=list)


def _groups_date(m: re.Match, offset: int) -> tuple[int, int, int]:
    g = m.groups()[offset:]
    if g[0] is not None:
        return int(g[0]), int(g[1]), int(g[2])
    return int(g[3]), int(g[4]), int(g[5])


def find_deadline(text: str, anchor: date | None = None) -> Deadline:
    """The deadline of one duty; the first explicit date wins over vaguer periods."""
    folded = fold(text)
    found = Deadline()
    for pattern in (_ABS, _BY_DATE, _READY_BY):
        m = pattern.search(folded)
        if m:
            ready = pattern is _READY_BY  # its first group is the start phrase, then the date
            day, month, year = _groups_date(m, 1 if ready else 0)
            found.text = text[m.start(1) if ready else m.start() : m.end()]
            found.date = iso_date(year, month, day)
            if found.date is None:
                found.warnings.append(f"ngày không hợp lệ trong thời hạn: {found.text}")
            break
    if found.text is None:
        m = _MONTH.search(folded)
        if m:
            found.text = text[m.start() : m.end()]
            found.date = end_of_month(int(m.group(2)), int(m.group(1)))
    if found.text is None:
        m = _QUARTER.search(folded)
        if m:
            quarter = quarter_number(m.group(1))
            found.text = text[m.start() : m.end()]
            found.date = end_of_month(int(m.group(2)), quarter * 3)
    if found.text is None:
        m = _YEAR.search(folded)
        if m and not re.match(r"\s*(?:va|den|-)", folded[m.end() :]):
            found.text = text[m.start() : m.end()]
            found.date = date(int(m.group(1)), 12, 31).isoformat()
    if found.text is None:
        m = _RELATIVE.search(folded)
        if m:
            found.text = text[m.start() : m.end()]
            if anchor is None:
                found.note = "thời hạn tính từ ngày ban hành, nhưng văn bản không ghi ngày"
            else:
                days = int(m.group(1) or m.group(2))  # `trong N ngày` or `chậm nhất N ngày …`
                if "lam viec" in m.group(0):
                    found.date = _add_working_days(anchor, days).isoformat()
                else:
                    found.date = (anchor + timedelta(days=days)).isoformat()
    found.recurrence = find_recurrence(folded)
    day_of_year = _DAY_OF_YEAR.search(folded) if found.recurrence == "FREQ=YEARLY" else None
    if day_of_year and found.text is None and iso_date(2000, *map(int, day_of_year.groups()[::-1])):
        # `trước ngày 25 tháng 01 hàng năm`: due on that day every year, first after the
        # document's date.
        day, month = int(day_of_year.group(1)), int(day_of_year.group(2))
        found.recurrence = f"FREQ=YEARLY;BYMONTH={month};BYMONTHDAY={day}"
        found.text = text[day_of_year.start() : day_of_year.end()]
    if found.recurrence and anchor:
        found.next_dates = next_dates(found.recurrence, anchor)
        if day_of_year and found.date is None and found.next_dates:
            found.date = found.next_dates[0]
    if found.date is None and _URGENT.search(folded):
        found.urgent = True
    if found.date is None and found.text is None and not found.recurrence:
        vague = _VAGUE.search(folded)
        if vague:
            found.text = text[vague.start() : vague.end()]
            found.note = "thời hạn không có ngày cụ thể"
    return found


# The value of a time label or column standing for a time limit: `Tháng 12/2025`,
# `Tháng 11 - 12/2025`, `Quý I/2026`, `Quý III, IV/2026`, `Năm 2026`, `2026`.
_BARE_MONTH = re.compile(r"thang\s+(?:\d{1,2}\s*[-,–]\s*)*(\d{1,2})\s*(?:nam\s+|/\s*)(\d{4})")
_BARE_QUARTER = re.compile(
    rf"quy\s+(?:(?:{QUARTER_NUMERAL})\s*[-,–]\s*)*{QUARTER}\s*(?:nam\s+|/\s*)(\d{{4}})"
)
# `2025 - 2030`, `Giai đoạn 2026 - 2030`: the span's last year (a plan's time column).
_BARE_YEAR = re.compile(r"(?:nam\s+|giai\s+doan\s+)?(?:\d{4}\s*[-–]\s*)?(\d{4})")
# Also without a colon before the limit: `Thời hạn hoàn thành chậm nhất 05 ngày làm việc …`.
_TIME_LABEL = re.compile(
    r"^thoi\s+(?:gian|han)(?:\s+(?:thuc\s+hien|hoan\s+thanh))?"
    r"(?:\s*:\s*|\s+(?=(?:cham nhat|truoc ngay|khong qua)\s))"
)


def time_label(folded: str) -> re.Match | None:
    """`Thời gian hoàn thành: …`, `Thời hạn: …` opening a paragraph or sentence."""
    return _TIME_LABEL.match(folded)


def time_limit(value: str, anchor: date | None = None) -> Deadline:
    """The deadline a time label's value or a plan's time column gives: the phrases of
    `find_deadline`, and also a bare month, quarter or year, which there means its end
    (`Tháng 11 - 12/2025` → 31/12/2025, `2025 - 2030` → 31/12/2030). A period from a start
    (`Từ tháng 11/2025 đến khi kết thúc …`) is no time limit."""
    found = find_deadline(value, anchor)
    if found.date or found.recurrence:
        return found
    folded = fold(value).strip(" .;")
    if folded.startswith("tu "):
        return found
    if m := _BARE_MONTH.fullmatch(folded):
        found.date = end_of_month(int(m.group(2)), int(m.group(1)))
    elif m := _BARE_QUARTER.fullmatch(folded):
        found.date = end_of_month(int(m.group(2)), quarter_number(m.group(1)) * 3)
    elif m := _BARE_YEAR.fullmatch(folded):
        found.date = date(int(m.group(1)), 12, 31).isoformat()
    else:
        return found
    found.text = value.strip(" .;")
    found.note = None
    return found


def _add_working_days(start: date, days: int) -> date:
    """`trong 10 ngày làm việc`: Saturdays and Sundays do not count."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def find_recurrence(folded: str) -> str | None:
    """An RRULE for periodic duties: monthly, quarterly, every 6 months, yearly."""
    last = _DAY_OF_LAST_MONTH.search(folded)
    if last and last.group(2) == "quy":
        return f"FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY={int(last.group(1))}"
    if _QUARTERLY.search(folded):
        day = f";BYMONTHDAY={int(last.group(1))}" if last else ""
        return f"FREQ=YEARLY;BYMONTH=3,6,9,12{day}"
    if _HALF_YEAR.search(folded):
        return "FREQ=YEARLY;BYMONTH=6,12"
    if _MONTHLY.search(folded):
        day = _DAY_OF_MONTH.search(folded)
        return f"FREQ=MONTHLY;BYMONTHDAY={int(day.group(1))}" if day else "FREQ=MONTHLY"
    if _YEARLY.search(folded):
        return "FREQ=YEARLY"
    return None


class InvalidRecurrence(ValueError):
    """A recurrence rule cchc does not accept; `str(err)` says why, in Vietnamese."""


# Duties recur weekly at most: a daily or hourly rule would flood a unit's calendar.
FREQUENCIES = {"WEEKLY": "hằng tuần", "MONTHLY": "hằng tháng", "YEARLY": "hằng năm"}
_RULE_KEYS = ("FREQ", "INTERVAL", "BYMONTH", "BYMONTHDAY", "BYDAY", "COUNT", "UNTIL")
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # 29 Feb in leap years
MAX_COUNT = 1000
MAX_RULE_CHARS = 200  # the stored field's length


def _numbers(key: str, value: str, low: int, high: int, zero: bool = False) -> list[int]:
    try:
        numbers = [int(v) for v in value.split(",")]
    except ValueError:
        numbers = []
    if not numbers or any(not low <= n <= high or (n == 0 and not zero) for n in numbers):
        raise InvalidRecurrence(f"{key}={value}: cần các số từ {low} đến {high}")
    return numbers


def validate_recurrence(text: str) -> str:
    """The rule in canonical form (`FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=20`), or
    InvalidRecurrence: only weekly, monthly and yearly rules (a quarter is `FREQ=YEARLY;
    BYMONTH=3,6,9,12` or `FREQ=MONTHLY;INTERVAL=3`), a COUNT of at most 1,000, and no day that
    never comes (30 February)."""
    rule = (text or "").strip().upper().removeprefix("RRULE:")
    if not rule:
        raise InvalidRecurrence("quy tắc lặp lại trống")
    if len(rule) > MAX_RULE_CHARS:
        raise InvalidRecurrence(f"quy tắc lặp lại dài quá {MAX_RULE_CHARS} ký tự")
    parts: dict[str, str] = {}
    for item in filter(None, rule.split(";")):
        key, sep, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not value or key not in _RULE_KEYS or key in parts:
            raise InvalidRecurrence(
                f"không hiểu “{item[:40]}” trong quy tắc lặp lại; dạng đúng, ví dụ: "
                "FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=20 (ngày 20 tháng cuối mỗi quý)"
            )
        parts[key] = value
    if parts.get("FREQ") not in FREQUENCIES:
        raise InvalidRecurrence(
            f"tần suất “{parts.get('FREQ', '')}” không được dùng; chỉ nhận "
            + ", ".join(f"{k} ({v})" for k, v in FREQUENCIES.items())
        )
    if "INTERVAL" in parts:
        _numbers("INTERVAL", parts["INTERVAL"], 1, 52)
    months = _numbers("BYMONTH", parts["BYMONTH"], 1, 12) if "BYMONTH" in parts else []
    if "BYMONTHDAY" in parts:
        days = _numbers("BYMONTHDAY", parts["BYMONTHDAY"], -31, 31)
        for month in months:
            for day in days:
                if abs(day) > _DAYS_IN_MONTH[month - 1]:
                    raise InvalidRecurrence(
                        f"tháng {month} không có ngày {abs(day)}: quy tắc không bao giờ đến hạn"
                    )
    weekly = parts["FREQ"] == "WEEKLY"
    if "BYDAY" in parts and (not weekly or set(parts["BYDAY"].split(",")) - set(_WEEKDAYS)):
        raise InvalidRecurrence("BYDAY chỉ dùng với FREQ=WEEKLY, các ngày MO,TU,WE,TH,FR,SA,SU")
    if "COUNT" in parts:
        _numbers("COUNT", parts["COUNT"], 1, MAX_COUNT)
    until = re.fullmatch(r"(\d{4})(\d{2})(\d{2})(?:T\d{6}Z?)?", parts.get("UNTIL", "20000101"))
    if not until or iso_date(*map(int, until.groups())) is None:
        raise InvalidRecurrence(f"UNTIL={parts['UNTIL']}: cần một ngày có thật, dạng YYYYMMDD")
    return ";".join(f"{key}={parts[key]}" for key in _RULE_KEYS if key in parts)


def next_dates(rrule: str, anchor: date, count: int = 4) -> list[str]:
    """The next dates of a rule after `anchor`; a rule without a day falls on the month's end.
    A rule that `validate_recurrence` refuses (a bad stored value) gives no dates, never an
    error."""
    from itertools import islice

    from dateutil.rrule import rrulestr

    try:
        rule = validate_recurrence(rrule)
    except InvalidRecurrence:
        return []
    if "BYMONTHDAY" not in rule and "BYDAY" not in rule:
        rule += ";BYMONTHDAY=-1"
        if rule.startswith("FREQ=YEARLY") and "BYMONTH=" not in rule:
            rule += ";BYMONTH=12"
    start = anchor.strftime("%Y%m%d")
    try:
        dates = rrulestr(f"DTSTART:{start}\nRRULE:{rule}", cache=False)
        return [d.date().isoformat() for d in islice(dates, count)]
    except (ValueError, OverflowError):  # past year 9999
        return []
