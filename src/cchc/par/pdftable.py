"""Ruled tables of a PDF with a text layer (a Quyết định printed from Word), read with pypdfium2,
which cchc's readers already use: the table's borders are path segments; the rows and cells are
the rectangles between them; each cell's text is the text layer inside it.

One function, `ruled_table`: the lines above the first ruled table, the table as a grid of cell
texts (continued over the following pages, a repeated header row dropped) and the lines after it.
A table without borders is not found (its columns cannot be told apart reliably); a scan has no
text layer at all and is refused by `cchc.readers` before this runs.
"""

from __future__ import annotations

import ctypes
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from cchc.text import count_letters, nfc

TOLERANCE = 2.0  # points (1/72 inch): borders closer than this are one border
MIN_LINE = 4.0  # shorter segments are glyph strokes, not borders
MIN_CELL = 3.0  # thinner bands are a double border, not a row
# A page drawn with more path segments than this is a drawing or a vectorised scan, not a
# table (a 100-row table has a few hundred); it is not walked further.
MAX_SEGMENTS = 20_000
MIN_LETTERS = 40  # a page with fewer letters is an image (`cchc.readers.MIN_CHARS_PER_PDF_PAGE`)


@dataclass
class PdfTable:
    before: list[str] = field(default_factory=list)
    grid: list[list[str]] = field(default_factory=list)
    after: list[str] = field(default_factory=list)
    scanned: list[int] = field(default_factory=list)  # pages (1-based) without a text layer


def ruled_table(path: str | Path) -> PdfTable:
    """The first ruled table of the PDF at `path` and the text around it (an empty grid when
    the PDF has none). The PDF must open: `cchc.readers.read_pdf` has checked it."""
    import pypdfium2 as pdfium

    out = PdfTable()
    pdf = pdfium.PdfDocument(str(path))
    try:
        started = ended = False
        header: list[str] | None = None
        for number, page in enumerate(pdf, start=1):
            textpage = page.get_textpage()
            if count_letters(textpage.get_text_range()) < MIN_LETTERS:
                out.scanned.append(number)
            width, height = page.get_size()
            rows = [] if ended else _page_rows(page, textpage)
            if not rows:
                text = _lines(textpage.get_text_range())
                if ended or started:
                    ended = True
                    out.after.extend(text)
                else:
                    out.before.extend(text)
            else:
                top, bottom = rows[0][0], rows[-1][1]
                above = _lines(textpage.get_text_bounded(0, top + 1, width, height))
                below = _lines(textpage.get_text_bounded(0, 0, width, bottom - 1))
                cells = [r[2] for r in rows]
                if not started:
                    out.before.extend(above)
                    header = cells[0]
                else:
                    if cells and cells[0] == header:
                        cells = cells[1:]  # the header repeated on each page
                    if cells and out.grid and _continues(out.grid[-1], cells[0]):
                        # a row the page break split: its text goes back to its first part
                        out.grid[-1] = [
                            f"{a} {b}".strip() for a, b in zip(out.grid[-1], cells[0], strict=False)
                        ]
                        cells = cells[1:]
                out.grid.extend(cells)
                started = True
                # A table that stops above the page's foot ends there (text follows it);
                # page numbers and footers are a line or two.
                if len(below) > 2:
                    ended = True
                    out.after.extend(below)
            textpage.close()
            page.close()
    finally:
        pdf.close()
    out.before, out.after = _paragraphs(out.before), _paragraphs(out.after)
    if out.grid:
        size = max(len(r) for r in out.grid)
        out.grid = [r + [""] * (size - len(r)) for r in out.grid]
    return out


def _continues(last: list[str], first: list[str]) -> bool:
    """The first row of a page continues the last row of the previous page: no STT, not a
    bullet or a number of its own, text only where the last row has text."""
    filled = [i for i, text in enumerate(first) if text]
    if not filled or first[0] or len(last) != len(first):
        return False
    if first[filled[0]][:1] in "-+•–" or any(_NUMBER.fullmatch(first[i]) for i in filled):
        return False
    return all(last[i] for i in filled)


_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def _paragraphs(lines: list[str]) -> list[str]:
    """Lines a PDF wrapped joined back into their sentence: a line ending in a lowercase word
    goes on into the next one, and so does a line followed by one starting in lowercase."""
    out: list[str] = []
    for line in lines:
        if out and (out[-1][-1:].islower() or line[:1].islower()):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def _lines(text: str) -> list[str]:
    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n"))
    return [line.strip() for line in text.split("\n") if line.strip()]


def _segments(page) -> tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]]:
    """Horizontal (y, x0, x1) and vertical (x, y0, y1) segments of the page's paths, in page
    coordinates. A border drawn as a thin filled rectangle gives two close lines: one border."""
    import pypdfium2.raw as raw

    horizontal, vertical = [], []
    seen = 0
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=3):
        seen += raw.FPDFPath_CountSegments(obj.raw)
        if seen > MAX_SEGMENTS:
            return [], []
        a, b, c, d, e, f = obj.get_matrix().get()
        points: list[tuple[float, float]] = []
        start: tuple[float, float] | None = None
        x, y = ctypes.c_float(), ctypes.c_float()
        for i in range(raw.FPDFPath_CountSegments(obj.raw)):
            segment = raw.FPDFPath_GetPathSegment(obj.raw, i)
            if not raw.FPDFPathSegment_GetPoint(segment, x, y):
                continue
            point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
            kind = raw.FPDFPathSegment_GetType(segment)
            if kind == raw.FPDF_SEGMENT_MOVETO or not points:
                points, start = [point], point
                continue
            if kind == raw.FPDF_SEGMENT_LINETO:
                _add(points[-1], point, horizontal, vertical)
            points.append(point)
            if raw.FPDFPathSegment_GetClose(segment) and start is not None:
                _add(point, start, horizontal, vertical)
    return horizontal, vertical


def _add(p, q, horizontal, vertical) -> None:
    (x0, y0), (x1, y1) = p, q
    if abs(y0 - y1) < 0.5 and abs(x1 - x0) >= MIN_LINE:
        horizontal.append(((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
    elif abs(x0 - x1) < 0.5 and abs(y1 - y0) >= MIN_LINE:
        vertical.append(((x0 + x1) / 2, min(y0, y1), max(y0, y1)))


def _cluster(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] < TOLERANCE:
            continue
        out.append(v)
    return out


def _page_rows(page, textpage) -> list[tuple[float, float, list[str]]]:
    """(top, bottom, cell texts) of each row of the page's ruled table, top to bottom."""
    horizontal, vertical = _segments(page)
    if len(horizontal) < 2 or len(vertical) < 2:
        return []
    columns = _cluster([x for x, _, _ in vertical])
    ys = sorted(_cluster([y for y, _, _ in horizontal]), reverse=True)
    rows = []
    for top, bottom in itertools.pairwise(ys):
        if top - bottom < MIN_CELL:
            continue
        middle = (top + bottom) / 2
        # the borders that cross this band separate its cells; a missing one is a merged cell
        cuts = _cluster([x for x, y0, y1 in vertical if y0 - TOLERANCE <= middle <= y1 + TOLERANCE])
        if len(cuts) < 2:
            continue  # between two tables, or under a table
        cells = [""] * (len(columns) - 1)
        for left, right in itertools.pairwise(cuts):
            index = min(range(len(columns)), key=lambda k: abs(columns[k] - left))
            if index >= len(cells):
                continue
            text = textpage.get_text_bounded(left + 0.5, bottom + 0.5, right - 0.5, top - 0.5)
            cells[index] = " ".join(_lines(text))
        rows.append((top, bottom, cells))
    return _first_block(rows)


def _first_block(rows):
    """The first run of adjacent rows that is a table (two rows and two columns at least, not
    a frame around a paragraph or an image); a second table lower on the page is left out."""
    blocks = []
    for row in rows:
        if blocks and abs(row[0] - blocks[-1][-1][1]) <= TOLERANCE:
            blocks[-1].append(row)
        else:
            blocks.append([row])
    for block in blocks:
        if len(block) >= 2 and max(sum(1 for c in r[2] if c) for r in block) >= 2:
            return block
    return []
