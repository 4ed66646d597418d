"""Report calendars: `Báo cáo Quý 1/2021: … chốt số liệu từ ngày … đến ngày …` become report
tasks with their data window and due date."""

from __future__ import annotations

import re
from datetime import date

from cchc.dates import QUARTER_NUMERAL_OCR, parse_dmy, quarter_code, quarter_number
from cchc.extract.tasks.model import Task, unit_dict
from cchc.extract.units import make_unit
from cchc.text import fold, squash

PERIOD = re.compile(
    rf"bao cao\s+(?:(?P<q>quy\s+(?P<qn>{QUARTER_NUMERAL_OCR}))|(?P<h>6\s+thang(?:\s+dau)?)|"
    r"(?P<n9>9\s+thang)|(?P<y>tong hop\s+\w{2,4}|nam))\s*(?:nam\s+)?/?\s*(?P<year>\d{4})\s*:"
    r".{0,80}?ngay\s+(?P<from>\d{1,2}/\d{1,2}/\d{4})\s+den\s+"
    r"(?:ngay\s+)?(?:(?P<to>\d{1,2}/\d{1,2}/\d{4})|thoi diem)"
)


_DUE_DAY = re.compile(
    r"cham nhat(?:\s+la)?\s+(?:\w+\s+)?ngay\s+(\d{1,2})\s+(?:cua\s+)?thang\s+cuoi\s+ky"
)


_RECEIVER = re.compile(
    r"(?:thoi han\s+)?(?P<u>(?:phong|so|van phong|ban)\s[\w\s-]{2,40}?)\s+nhan\s+bao\s+cao"
)


_REPORT_TITLE = re.compile(r"[Bb]áo cáo (tình hình[^.;]{0,80}?)(?=\s+(?:hằng|hàng|định kỳ)|,)")


def _calendar_action(flat: str, m: re.Match, title: re.Match | None, report_to: str | None) -> str:
    """`Báo cáo tình hình, kết quả cải cách hành chính Quý 1/2021 gửi Phòng Nội vụ`."""
    printed = flat[m.start() : m.end()]
    period = printed[len("báo cáo") : printed.index(":")].strip() if ":" in printed else ""
    if not title:
        return squash(printed)[:300]
    action = f"Báo cáo {title.group(1)} {period}"
    return squash(f"{action} gửi {report_to}" if report_to else action)


def report_calendar(
    text: str,
    anchor: date | None,
    recipients: list[str] | None,
    warnings: list[str],
    folded_text: str | None = None,
) -> list[Task]:
    """`Báo cáo Quý 1/2021: … chốt số liệu tính từ ngày 15/12/2020 đến ngày 05/3/2021` → report
    tasks; `nhận báo cáo chậm nhất ngày 06 của tháng cuối kỳ báo cáo` gives their due day."""
    folded_text = fold(text) if folded_text is None else folded_text
    if "so lieu" not in folded_text and "cuoi ky" not in folded_text:
        return []  # no report calendar in this document
    flat = squash(text)
    flat_f = squash(folded_text)  # folding keeps every character, so this is fold(flat)
    due_day = _DUE_DAY.search(flat_f)
    receiver = _RECEIVER.search(flat_f)
    report_to = squash(flat[receiver.start("u") : receiver.end("u")]) if receiver else None
    lead = [unit_dict(make_unit(r)) for r in (recipients or [])]
    title = _REPORT_TITLE.search(flat)
    tasks = []
    for m in PERIOD.finditer(flat_f):
        year = int(m.group("year"))
        if m.group("q"):
            quarter = quarter_number(m.group("qn"))  # OCR: `I11` for III
            period, last_month = f"{quarter_code(quarter)}/{year}", quarter * 3
        elif m.group("h"):
            period, last_month = f"H1/{year}", 6
        elif m.group("n9"):
            period, last_month = f"9M/{year}", 9
        else:
            period, last_month = str(year), 12
        due = None
        if due_day:
            try:
                due = date(year, last_month, int(due_day.group(1))).isoformat()
            except ValueError:
                warnings.append(f"ngày nhận báo cáo không hợp lệ: {due_day.group(0)}")
        tasks.append(
            Task(
                id="",
                lead=lead,
                support=[],
                action=_calendar_action(flat, m, title, report_to),
                deadline=due,
                report_to=report_to,
                source_span=[],
                kind="report",
                evidence="calendar",
                period=period,
                data_from=parse_dmy(m.group("from")),
                data_to=parse_dmy(m.group("to")) if m.group("to") else None,
                due=due,
            )
        )
    return tasks
