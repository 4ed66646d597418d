"""A register of Nghị định 30/2020 (Phụ lục IV) as a file: an .xlsx workbook written row by
row, or a landscape .docx for printing, for a period (and a register). The rows come from the
app that keeps the register (work: sổ đến; outgoing: sổ đi, sổ theo dõi), each a dict with
its `cells` in the order of the columns."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from cchc.web.documents.models import Register
from cchc.web.params import InvalidRequest

# A printed register longer than this is no register anyone prints: a shorter period is asked.
MAX_DOCX_ROWS = 5000
MAX_XLSX_ROWS = 200_000
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    register: Register | None = None

    def words(self) -> str:
        return f"Từ ngày {self.start:%d/%m/%Y} đến ngày {self.end:%d/%m/%Y}"


def default_period() -> tuple[date, date]:
    """This year so far and to its end: what a register is opened on."""
    today = timezone.localdate()
    return date(today.year, 1, 1), date(today.year, 12, 31)


# --- exports -------------------------------------------------------------------------------


def cell_value(value):
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else value


def _check_size(count: int, limit: int) -> None:
    if count > limit:
        raise InvalidRequest(
            f"Khoảng thời gian đã chọn có {count} văn bản, quá {limit} văn bản một lần xuất; "
            "hãy chọn khoảng ngắn hơn."
        )


def xlsx(title: str, period: Period, columns: list[str], rows: Iterator[dict], count: int) -> bytes:
    """The register as a workbook, written row by row (openpyxl's write-only mode)."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    from cchc.reports.drafts import text_cell

    _check_size(count, MAX_XLSX_ROWS)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    bold = Font(bold=True)

    def strong(text: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        return cell

    sheet.append([strong(title.upper())])
    words = period.words() + (f" · {period.register}" if period.register else "")
    sheet.append([text_cell(sheet, words)])
    sheet.append([strong(c) for c in columns])
    for row in rows:  # a subject or a note typed as '=HYPERLINK(…)' stays text
        sheet.append([text_cell(sheet, cell_value(v)) for v in row["cells"]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def docx(title: str, period: Period, columns: list[str], rows: Iterator[dict], count: int) -> bytes:
    """The register on landscape A4 pages for printing, its head row repeated on each page."""
    import docx as python_docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    _check_size(count, MAX_DOCX_ROWS)
    document = python_docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(10)
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(title.upper())
    run.bold, run.font.size = True, Pt(14)
    line = document.add_paragraph(
        period.words() + (f" · {period.register}" if period.register else "")
    )
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    head = table.rows[0]
    repeat = OxmlElement("w:tblHeader")  # the head row on every printed page
    repeat.set(qn("w:val"), "true")
    head._tr.get_or_add_trPr().append(repeat)
    for cell, name in zip(head.cells, columns, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(name).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row["cells"], strict=True):
            cell.text = str(cell_value(value))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
