"""The one date and period grammar of cchc: how Vietnamese documents write days (`ngày 05 tháng
3 năm 2020`, `05/3/2020`), quarters (`quý I/2026`, `Quý 3 năm 2026`), halves (`6 tháng đầu
năm`), nine months and years, and the reporting periods built on them (`Q1`…`Q4`, `H1`, `9M`,
`Y`) with their Vietnamese names. The parser, the deadline and task extractors, the report
calendar and the web forms all read dates through this module.

Patterns are fragments over folded text (`fold`: no marks, lower case), to be put inside larger
patterns; their groups are day, month, year in that order.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

# -- the grammar (folded text) -----------------------------------------------------------------

DAY = r"(\d{1,2})"
YEAR = r"(\d{4})"
# `05/3/2020`, `05 / 03 / 2020`
DATE_NUM = rf"{DAY}\s*/\s*{DAY}\s*/\s*{YEAR}"
# `05 thang 3 nam 2020`
DATE_WORDS = rf"{DAY}\s+thang\s+{DAY}\s+nam\s+{YEAR}"
# A header's date line, with what OCR makes of digits (`o`, `s`, `l`, `i`, `b`) and the blanks of
# a draft (`ngày … tháng … năm 2026`): groups d, m, y.
HEADER_DATE = (
    r"ngay\s*(?P<d>[0-9oslib]{1,2}|[ ._…]*)\s*thang\s*(?P<m>[0-9oslib]{1,2}|[ ._…]*)"
    r"\s*nam\s*(?P<y>[0-9]{4})"
)
OCR_DIGITS = str.maketrans({"o": "0", "s": "5", "l": "1", "i": "1", "b": "6"})
# A quarter's number: Roman or Arabic (`quy iv`, `quy 4`); OCR reads III as `i11` or `ll1`.
QUARTER_NUMERAL = r"iv|iii|ii|i|[1-4]"
QUARTER_NUMERAL_OCR = QUARTER_NUMERAL + r"|[il1]{2,3}"
QUARTER = rf"({QUARTER_NUMERAL})"
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
ROMAN_NUMERALS = ("I", "II", "III", "IV")


def quarter_number(token: str) -> int:
    """1-4 from `i`, `iv`, `3`, or from OCR's `i11` (as many strokes as the numeral has)."""
    token = token.strip().lower()
    return ROMAN.get(token, len(token))


def iso_date(year: int, month: int, day: int) -> str | None:
    """`2021-05-18`, or None for a date that does not exist (31/02, year 0, year 99999)."""
    try:
        return date(year, month, day).isoformat()
    except (ValueError, OverflowError):
        return None


def end_of_month(year: int, month: int) -> str | None:
    """The last day of a month as ISO, or None for a month that does not exist."""
    if not 1 <= month <= 12 or iso_date(year, month, 1) is None:
        return None
    return date(year, month, calendar.monthrange(year, month)[1]).isoformat()


def parse_dmy(value: str) -> str | None:
    """`15/12/2020` → `2020-12-15`; None when it is no real date."""
    m = re.fullmatch(rf"\s*{DATE_NUM}\s*", value)
    return iso_date(int(m.group(3)), int(m.group(2)), int(m.group(1))) if m else None


class InvalidDate(ValueError):
    """A date typed by a person that is not dd/mm/yyyy or not a real day; `str(err)` says
    which, in Vietnamese."""


# The years cchc accepts where a person or a command gives one.
MIN_YEAR, MAX_YEAR = 1900, 2999


def parse_user_date(text: str) -> date:
    """The day a person typed as dd/mm/yyyy (`5/3/2020`, `05/03/2020`; `-` or `.` also
    separate). InvalidDate with a Vietnamese message otherwise: a day, month or year out of
    range (`1/1/99999999999999999999`, `31/02/2021`), or another shape."""
    value = (text or "").strip()
    m = re.fullmatch(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{1,20})", value)

    def invalid(why: str) -> InvalidDate:
        return InvalidDate(f"Ngày không hợp lệ: {why}; nhập dạng dd/mm/yyyy, ví dụ 05/03/2026.")

    if not m:
        raise invalid(f"“{value[:40]}”")
    day, month, year = (int(g) for g in m.groups())
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise invalid(f"năm “{m.group(3)[:20]}” phải từ {MIN_YEAR} đến {MAX_YEAR}")
    if not 1 <= month <= 12:
        raise invalid(f"tháng {month} không có (tháng từ 1 đến 12)")
    found = iso_date(year, month, day)
    if found is None:
        raise invalid(f"tháng {month} năm {year} không có ngày {day}")
    return date.fromisoformat(found)


# -- reporting periods -------------------------------------------------------------------------

# Code → (last month of the period, its name in a sentence). The data windows and due dates of
# each period are in data/report_calendar.yaml (`cchc.extract.calendar`).
PERIODS: dict[str, tuple[int, str]] = {
    "Q1": (3, "quý I"),
    "Q2": (6, "quý II"),
    "Q3": (9, "quý III"),
    "Q4": (12, "quý IV"),
    "H1": (6, "6 tháng đầu năm"),
    "9M": (9, "9 tháng"),
    "Y": (12, "năm"),
}
# The report after each one: the quarters in turn, and H1 → 9M → Y for the 6-month cycle.
NEXT_PERIOD = {"Q1": "Q2", "Q2": "Q3", "Q3": "Q4", "Q4": "Q1", "H1": "9M", "9M": "Y", "Y": "Y"}


def quarter_code(quarter: int) -> str:
    return f"Q{quarter}"


def period_label(period: str, year: int, capital: bool = False) -> str:
    """`quý I năm 2026`, `6 tháng đầu năm 2026`, `9 tháng năm 2026`, `năm 2026`; with
    `capital`, the first letter upper-cased (`Quý I năm 2026`) for a title."""
    if period not in PERIODS:
        raise ValueError(f"kỳ báo cáo không hợp lệ: {period!r}; các kỳ: {', '.join(PERIODS)}")
    name = PERIODS[period][1]
    label = f"{name} {year}" if name.endswith("năm") else f"{name} năm {year}"
    return label[:1].upper() + label[1:] if capital else label


def next_period(period: str, year: int) -> tuple[str, int]:
    """The period after `period` of `year`, and its year (Q4 → Q1 of the next year)."""
    following = NEXT_PERIOD[period]
    return following, year + (period in ("Q4", "Y"))


def period_end_month(period: str) -> int:
    return PERIODS[period][0]
