"""Drafts of official documents in the layout of Nghị định 30/2020/NĐ-CP (Phụ lục I), as .docx,
and the same tables as .xlsx.

The layout, by the decree's numbered boxes: the issuing body (parent body above, issuer in bold
below, a short rule) and the national motto with its rule in a borderless header table; the
number placeholder under the issuer and the place and date in italics on the same row; the type
of document in bold capitals and the subject (trích yếu) in bold, with a short rule; the body,
justified with a first-line indent; "Nơi nhận:" on the left and the signer on the right. A4, Times
New Roman, margins top/bottom 20 mm, left 30 mm, right 15 mm; page numbers from page 2.
"""

from __future__ import annotations

import datetime
import functools
import io
import os
import re
import zipfile
from dataclasses import dataclass
from typing import IO
from xml.sax.saxutils import escape as xml_escape

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

Cell = str | int | float | None
Target = str | os.PathLike[str] | IO[bytes]  # a path or a binary stream


@dataclass
class Table:
    header: list[str]
    rows: list[list[Cell]]
    title: str | None = None  # printed above the table, and the sheet name in xlsx (cut to 31)
    widths_cm: list[float] | None = None


@dataclass
class Heading:
    """A section heading; numbered "I." (level 1) and "1." (level 2) unless the text already
    starts with a label such as "I.", "2." or "a)"; level 3 is italic and unnumbered."""

    text: str
    level: int = 1


@dataclass
class Paragraph:
    text: str


Block = Heading | Paragraph | Table


@dataclass
class Draft:
    issuer: str  # "ỦY BAN NHÂN DÂN THỊ XÃ AN PHÚ"
    symbol: str  # "BC-UBND" → "Số:      /BC-UBND"
    place: str
    doc_type: str  # "BÁO CÁO"
    title: str  # trích yếu
    body: list[Block]
    recipients: list[str]  # Nơi nhận lines without the leading dash; "Lưu: VT." added if absent
    signer_title: str  # "CHỦ TỊCH"
    parent_issuer: str | None = None  # "ỦY BAN NHÂN DÂN TỈNH BÌNH LONG"
    date: datetime.date | None = None
    signer_authority: str | None = None  # "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH": one line each
    signer_name: str | None = None


FONT = "Times New Roman"
PAGE_WIDTH_MM, MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 210, 30, 15
TEXT_WIDTH_CM = (PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM) / 10  # 16.5
HEADER_WIDTHS_CM = (6.3, TEXT_WIDTH_CM - 6.3 + 0.8)  # the motto column reaches into the margin
CLOSING_WIDTHS_CM = (7.5, TEXT_WIDTH_CM - 7.5)
BODY_PT, HEADER_PT, TABLE_PT, RECIPIENTS_PT = 14, 13, 12, 11
NUMBER_GAP = "      "  # the number is written by hand (or by the registry) when the draft is issued
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV")
CELL_PADDING_CM = 2 * 0.19  # the default left and right margins of a table cell
LEVELS = ("TỈNH", "THÀNH PHỐ", "THỊ XÃ", "HUYỆN", "QUẬN", "THỊ TRẤN", "PHƯỜNG", "XÃ", "ĐẶC KHU")
_LABEL = re.compile(r"^\s*([IVXLC]+|\d+(\.\d+)*|[a-zđ])[.)]\s")


def date_line(place: str, date: datetime.date | None) -> str:
    """The place and date line, "An Phú, ngày 05 tháng 02 năm 2026". ND30 writes a 0 before
    days under 10 and before months 1 and 2; without a date, day and month are left blank."""
    if date is None:
        return f"{place}, ngày    tháng    năm {datetime.date.today().year}"
    month = f"{date.month:02d}" if date.month <= 2 else str(date.month)
    return f"{place}, ngày {date.day:02d} tháng {month} năm {date.year}"


def number_line(symbol: str) -> str:
    return f"Số:{NUMBER_GAP}/{symbol}"


def write_docx(draft: Draft, target: Target) -> None:
    """Write `draft` as a .docx to `target`, a path or a binary stream."""
    doc = Document()
    _page_setup(doc)
    _header(doc, draft)
    _title(doc, draft)
    rows: dict[str, str] = {}
    _body(doc, draft.body, rows)
    _closing(doc, draft)
    doc.core_properties.title = f"{draft.doc_type.capitalize()} {draft.title}"
    doc.core_properties.author = draft.issuer
    if not rows:
        doc.save(target)
        return
    saved = io.BytesIO()
    doc.save(saved)
    _fill_rows(saved, rows, target)


def _fill_rows(saved: io.BytesIO, rows: dict[str, str], target: Target) -> None:
    """The saved package again, with each table's rows (XML text) where its marker stands in
    word/document.xml: the rows of a ranking of 3,300 units never become lxml elements, which
    parsing and serialising again took most of the time."""
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(target, "w") as result:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                for marker, xml in rows.items():
                    text = text.replace(f"<!--{marker}-->", xml, 1)
                data = text.encode("utf-8")
            result.writestr(item, data)


def write_xlsx(tables: list[Table], target: Target, title: str | None = None) -> None:
    """One sheet per table: the bold header on row 1 (frozen), then the rows, numbers kept as
    numbers, columns as wide as their content. `title` becomes the workbook's title property."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    # Write-only: rows stream to the file instead of living as cell objects (a table of every
    # commune of the country is 3,300 rows), so widths are worked out from the data first.
    book = Workbook(write_only=True)
    if title:
        book.properties.title = title
    used: set[str] = set()
    bold = Font(bold=True)
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for index, table in enumerate(tables, 1):
        sheet = book.create_sheet(_sheet_name(table.title or f"Bảng {index}", used))
        longest = [len(str(name)) if name is not None else 0 for name in table.header]
        for row in table.rows:
            for column, value in enumerate(row):
                if value is not None:
                    if column < len(longest):
                        longest[column] = max(longest[column], len(str(value)))
                    else:
                        longest.append(len(str(value)))
        for column, length in enumerate(longest, 1):
            width = min(max(length + 2, 6), 60)
            sheet.column_dimensions[get_column_letter(column)].width = width
        sheet.freeze_panes = "A2"
        header = []
        for name in table.header:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font, cell.alignment = bold, centred
            header.append(cell)
        sheet.append(header)
        for row in table.rows:
            sheet.append([text_cell(sheet, value) for value in row])
    if not tables:
        book.create_sheet("Bảng 1")
    book.save(target)


# Text that Excel or LibreOffice would read as a formula when the cell is typed into or the
# sheet saved as CSV ("=HYPERLINK(…)", "+cmd", "@SUM(…)").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def text_cell(sheet: object, value: Cell) -> object:
    """`value` as written to a row: text that starts like a formula stays text (a string cell
    with Excel's quote prefix, shown as typed), anything else as it is."""
    if isinstance(value, str):
        value = _NOT_XML.sub("", value)  # control characters XML does not allow: dropped
    if not isinstance(value, str) or not value.startswith(FORMULA_START):
        return value
    from openpyxl.cell import WriteOnlyCell

    return keep_as_text(WriteOnlyCell(sheet, value=value))


def keep_as_text(cell: object) -> object:
    """`cell` (of a write-only or a normal sheet) written as the text it holds if that text
    starts like a formula; returned as it is otherwise."""
    value = getattr(cell, "value", None)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell.data_type = "s"  # openpyxl made it a formula ("f") because of the leading "="
        cell.quotePrefix = True
    return cell


def _sheet_name(name: str, used: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = re.sub(r"[\[\]:*?/\\]", " ", name).strip()[:31] or "Bảng"
    candidate, n = base, 2
    while candidate.casefold() in used:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.casefold())
    return candidate


# --- page, fonts, small helpers -------------------------------------------------------------


def _page_setup(doc: Document) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
    section.header_distance = Mm(10)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY_PT)
    fonts = normal.element.rPr.rFonts
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    normal.element.rPr.append(lang)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    # Page numbers: centred at the top, from the second page on (ND30, Điều 8 Phụ lục I).
    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    number._p.append(field)


def _para(
    container: object,
    text: str = "",
    size: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
    after: float = 0,
) -> DocxParagraph:
    """A paragraph of one run in `container` (the document or a table cell); a cell's first,
    empty paragraph is used before new ones are added."""
    if (
        isinstance(container, _Cell)
        and len(container.paragraphs) == 1
        and not (container.paragraphs[0].text or container.paragraphs[0]._p.pPr is not None)
    ):
        paragraph = container.paragraphs[0]
    else:
        paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    if text:
        run = paragraph.add_run(text)
        run.font.size, run.font.bold, run.font.italic = Pt(size), bold, italic
    _mark_size(paragraph, size)
    return paragraph


def _mark_size(paragraph: DocxParagraph, size: float) -> None:
    """The paragraph mark's font size, which sets the height of an empty line."""
    rpr = OxmlElement("w:rPr")
    for tag in ("w:sz", "w:szCs"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), str(int(size * 2)))
        rpr.append(element)
    paragraph._p.get_or_add_pPr().append(rpr)


def _rule(container: object, length_cm: float, width_cm: float) -> None:
    """A thin solid line `length_cm` long, centred in a box `width_cm` wide (a table cell's
    padding taken off): the top border of an empty paragraph indented from both sides."""
    paragraph = _para(container, size=2)
    if isinstance(container, _Cell):
        width_cm -= CELL_PADDING_CM
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = Cm(max((width_cm - length_cm) / 2, 0))
    fmt.line_spacing = Pt(2)
    fmt.space_before = Pt(3)
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "0"), ("color", "000000")):
        top.set(qn(f"w:{key}"), value)
    borders.append(top)
    paragraph._p.get_or_add_pPr().append(borders)


def _text_width_cm(text: str, size: float, bold: bool = True) -> float:
    """Rough width of a line in Times New Roman: enough to size the rules under it."""
    return _ems(text) * size * (0.97 if bold else 0.92) * 2.54 / 72


@functools.lru_cache(maxsize=1 << 16)
def _ems(text: str) -> float:
    """The width of `text` in ems (remembered: a table of 3,300 units repeats its words)."""
    return sum(0.25 if c == " " else 0.72 if c.isupper() else 0.5 for c in text)


def _break_name(name: str, size: float, width_cm: float) -> str:
    """A body's name too long for its column, broken in two the way offices do: before the
    level of government ("ỦY BAN NHÂN DÂN" / "THỊ XÃ AN PHÚ") where the halves fit, else
    where the longer half is shortest. A name that already has a line break is kept."""
    width_cm -= CELL_PADDING_CM
    if "\n" in name or _text_width_cm(name, size) <= width_cm:
        return name
    words = name.split()

    def cost(i: int) -> tuple[bool, bool, float]:
        first, second = " ".join(words[:i]), " ".join(words[i:])
        longest = max(_text_width_cm(first, size), _text_width_cm(second, size))
        level = any(f"{second} ".startswith(f"{word} ") for word in LEVELS)
        return longest > width_cm, not level, longest

    split = min(range(1, len(words)), key=cost, default=len(words))
    return " ".join(words[:split]) + "\n" + " ".join(words[split:])


def _borderless(
    doc: Document, rows: int, widths_cm: tuple[float, float], indent_cm: float
) -> object:
    """A two-column table without borders whose cell text starts `indent_cm` from the left
    margin (Word and LibreOffice measure the indent to the text, not to the cell's edge)."""
    table = doc.add_table(rows=rows, cols=2)
    table.autofit = False
    indent = OxmlElement("w:tblInd")
    indent.set(qn("w:w"), str(round(indent_cm * 567)))  # twentieths of a point
    indent.set(qn("w:type"), "dxa")
    table._tbl.tblPr.append(indent)
    for index, width in enumerate(widths_cm):
        table.columns[index].width = Cm(width)
        for cell in table.columns[index].cells:
            cell.width = Cm(width)
    return table


# --- the parts of the document ---------------------------------------------------------------


def _header(doc: Document, draft: Draft) -> None:
    left_cm, right_cm = HEADER_WIDTHS_CM
    # Wider than the text by the motto column's extra, centred on the text block.
    table = _borderless(doc, 2, HEADER_WIDTHS_CM, -(left_cm + right_cm - TEXT_WIDTH_CM) / 2)
    issuer_cell, motto_cell = table.rows[0].cells
    if draft.parent_issuer:
        _para(issuer_cell, _break_name(draft.parent_issuer.upper(), HEADER_PT, left_cm), HEADER_PT)
    issuer = _break_name(draft.issuer.upper(), HEADER_PT, left_cm)
    _para(issuer_cell, issuer, HEADER_PT, bold=True)
    issuer_line = _last_line(issuer.splitlines()[-1], HEADER_PT, left_cm)
    _rule(issuer_cell, max(_text_width_cm(issuer_line, HEADER_PT) * 0.45, 1.5), left_cm)
    _para(motto_cell, MOTTO[0], HEADER_PT - 1, bold=True)
    _para(motto_cell, MOTTO[1], HEADER_PT + 1, bold=True)
    _rule(motto_cell, _text_width_cm(MOTTO[1], HEADER_PT + 1), right_cm)
    number_cell, date_cell = table.rows[1].cells
    _para(number_cell, number_line(draft.symbol), HEADER_PT).paragraph_format.space_before = Pt(6)
    dated = _para(date_cell, date_line(draft.place, draft.date), BODY_PT, italic=True)
    dated.paragraph_format.space_before = Pt(6)


def _last_line(text: str, size: float, width_cm: float) -> str:
    """The last line of `text` once wrapped in a column `width_cm` wide (for the rule's length)."""
    line = ""
    width_cm -= CELL_PADDING_CM
    for word in text.split():
        candidate = f"{line} {word}".strip()
        line = word if line and _text_width_cm(candidate, size) > width_cm - 0.4 else candidate
    return line


def _title(doc: Document, draft: Draft) -> None:
    _para(doc, draft.doc_type.upper(), BODY_PT, bold=True).paragraph_format.space_before = Pt(18)
    _para(doc, draft.title, BODY_PT, bold=True)
    title_line = _last_line(draft.title, BODY_PT, TEXT_WIDTH_CM)
    _rule(doc, max(_text_width_cm(title_line, BODY_PT) * 0.4, 2.5), TEXT_WIDTH_CM)
    doc.paragraphs[-1].paragraph_format.space_after = Pt(12)


def _body(doc: Document, blocks: list[Block], rows: dict[str, str] | None = None) -> None:
    """The blocks in order; with `rows`, tables leave their rows there as XML text under a
    marker (`_table`)."""
    counters = [0, 0]
    previous: Block | None = None
    for block in blocks:
        if isinstance(block, Heading):
            _heading(doc, block, counters)
        elif isinstance(block, Paragraph):
            for text in block.text.split("\n"):
                _body_para(doc, text)
        elif isinstance(block, Table):
            # A table right under a heading of the same words needs no caption repeating it.
            repeated = isinstance(previous, Heading) and _same_words(previous.text, block.title)
            _table(doc, block, caption=not repeated, rows=rows)
        else:
            raise TypeError(f"không biết trình bày khối {type(block).__name__}")
        previous = block


def _same_words(heading: str, title: str | None) -> bool:
    def words(text: str) -> str:
        return " ".join(_LABEL.sub("", text.strip()).casefold().split())

    return title is not None and words(heading) == words(title)


def _body_para(doc: Document, text: str, bold: bool = False, italic: bool = False) -> DocxParagraph:
    paragraph = _para(
        doc, text, BODY_PT, bold=bold, italic=italic, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=6
    )
    paragraph.paragraph_format.first_line_indent = Cm(1.27)
    paragraph.paragraph_format.line_spacing = 1.15
    return paragraph


def _heading(doc: Document, heading: Heading, counters: list[int]) -> None:
    text = heading.text.strip()
    if heading.level == 1:
        counters[0], counters[1] = counters[0] + 1, 0
        if not _LABEL.match(text):
            text = f"{ROMAN[(counters[0] - 1) % len(ROMAN)]}. {text}"
    elif heading.level == 2:
        counters[1] += 1
        if not _LABEL.match(text):
            text = f"{counters[1]}. {text}"
    paragraph = _body_para(doc, text, bold=heading.level <= 2, italic=heading.level >= 3)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT  # a justified heading spreads its words
    paragraph.paragraph_format.keep_with_next = True
    if heading.level == 1:
        paragraph.paragraph_format.space_before = Pt(6)


def _table(
    doc: Document, table: Table, caption: bool = True, rows: dict[str, str] | None = None
) -> None:
    if table.title and caption:
        caption = _para(doc, table.title, BODY_PT - 1, bold=True, after=4)
        caption.paragraph_format.space_before = Pt(6)
        caption.paragraph_format.keep_with_next = True
    widths = table.widths_cm or _fit_widths(table)
    grid = doc.add_table(rows=0, cols=len(table.header))
    grid.style = doc.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    # Rows are written as XML, one string each: through python-docx's cell objects a ranking
    # of 3,300 units (76,000 cells) took minutes.
    # With `rows`, that text is not even parsed: a marker stands in the table and
    # `write_docx` puts the text there in the saved file.
    twips, columns = [round(Cm(w).twips) for w in widths], len(table.header)
    xml = [_row_xml(table.header, twips, True)]
    xml += [_row_xml(values[:columns], twips, False) for values in table.rows]
    if rows is None:
        for row in parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(xml)}</w:tbl>"):
            grid._tbl.append(row)
    else:
        marker = f"cchc-rows-{len(rows)}"
        rows[marker] = "".join(xml)
        grid._tbl.append(etree.Comment(marker))
    for column, width in enumerate(widths):
        grid.columns[column].width = Cm(width)
    _para(doc, size=6)  # air between the table and what follows


_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML 1.0


def _row_xml(values: list[Cell], twips: list[int], header: bool) -> str:
    """One table row: cells of fixed width, vertically centred, 2 pt above and below; the header
    bold, centred and repeated on every page; numbers centred; no row broken across pages."""
    size = int(TABLE_PT * 2)
    cells = []
    for value, width in zip(values, twips, strict=False):
        number = isinstance(value, int | float) and not isinstance(value, bool)
        align = "center" if header or number else "left"
        text = _cell_text(value)
        run = (
            f'<w:r><w:rPr>{"<w:b/>" if header else ""}<w:sz w:val="{size}"/></w:rPr>'
            f'<w:t xml:space="preserve">{xml_escape(_NOT_XML.sub("", text))}</w:t></w:r>'
            if text
            else ""
        )
        cells.append(
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/>'
            f'</w:tcPr><w:p><w:pPr><w:spacing w:before="40" w:after="40"/><w:jc w:val="{align}"/>'
            f'<w:rPr><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr></w:pPr>{run}</w:p>'
            "</w:tc>"
        )
    repeat = '<w:tblHeader w:val="true"/>' if header else ""
    return f"<w:tr><w:trPr><w:cantSplit/>{repeat}</w:trPr>{''.join(cells)}</w:tr>"


def _cell_text(value: Cell) -> str:
    """Numbers the Vietnamese way: 1.234 and 95,5."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    if isinstance(value, float):
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
        return text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return str(value)


def _fit_widths(table: Table) -> list[float]:
    """Column widths that fill the text width: each column as wide as its longest cell on one
    line if they all fit, else shrunk towards the width of its longest word, never split. The
    header may wrap onto several lines, as in most official tables."""
    least, most = [], []
    for column, name in enumerate(table.header):
        # each distinct text once: a column of 3,300 rows holds far fewer
        texts = {(_cell_text(row[column]), False) for row in table.rows if column < len(row)}
        words = {(w, bold) for text, bold in [(name, True), *texts] for w in text.split()}
        least.append(max((_text_width_cm(w, TABLE_PT, bold) for w, bold in words), default=0))
        most.append(max((min(_text_width_cm(t, TABLE_PT, b), 8.0) for t, b in texts), default=0))
    least = [w + CELL_PADDING_CM + 0.1 for w in least]
    most = [max(w + CELL_PADDING_CM + 0.1, low) for w, low in zip(most, least, strict=True)]
    if sum(most) <= TEXT_WIDTH_CM:
        return [w * TEXT_WIDTH_CM / sum(most) for w in most]
    spare = max(TEXT_WIDTH_CM - sum(least), 0) / (sum(most) - sum(least))
    widths = [low + (high - low) * spare for low, high in zip(least, most, strict=True)]
    return [w * TEXT_WIDTH_CM / sum(widths) for w in widths]


def _closing(doc: Document, draft: Draft) -> None:
    _para(doc, size=6)
    # "Nơi nhận:" starts at the left margin, as the body does (the indent is to the cell text).
    table = _borderless(doc, 1, CLOSING_WIDTHS_CM, 0)
    recipients_cell, signer_cell = table.rows[0].cells
    recipients = [r.strip().lstrip("-–").strip().rstrip(";.") for r in draft.recipients]
    recipients = [r for r in recipients if r]
    if not any(r.startswith("Lưu") for r in recipients):
        recipients.append("Lưu: VT")
    _para(recipients_cell, "Nơi nhận:", 12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    for index, name in enumerate(recipients):
        end = "." if index == len(recipients) - 1 else ";"
        _para(recipients_cell, f"- {name}{end}", RECIPIENTS_PT, align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in (draft.signer_authority or "").splitlines():
        if line.strip():
            _para(signer_cell, line.strip().upper(), BODY_PT, bold=True)
    _para(signer_cell, draft.signer_title.upper(), BODY_PT, bold=True)
    name = _para(signer_cell, draft.signer_name or "", BODY_PT, bold=True)
    name.paragraph_format.space_before = Pt(80)  # room for the signature and the seal
