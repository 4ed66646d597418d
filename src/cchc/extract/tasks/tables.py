"""Task tables: `TT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian | Sản phẩm`,
whose cells reach us as blocks of lines once the Markdown pipes are gone."""

from __future__ import annotations

import re

from cchc.extract.deadlines import time_limit
from cchc.extract.tasks.model import Task, new_task
from cchc.extract.units import split_units
from cchc.text import fold, squash

_COLUMN = (
    ("action", re.compile(r"^(?:noi dung|nhiem vu|ten nhiem vu|cong viec)")),
    (
        "lead",
        re.compile(
            r"^(?:co quan|don vi)(?:,? (?:co quan|don vi|dia phuong))*(?:/\S+)? "
            r"(?:chu tri|thuc hien)|^chu tri|^trach nhiem (?:chu tri|thuc hien)"
        ),
    ),
    ("support", re.compile(r"^(?:co quan|don vi) phoi hop|^phoi hop")),
    ("when", re.compile(r"^thoi (?:gian|han)|^tien do")),
)


_ROW_NUMBER = re.compile(r"^(?:\d{1,3}(?:\.\d{1,2})*\.?|[ivx]{1,5}\.?)$")


def _cells(text: str, start_line: int, end_line: int) -> list[tuple[str, str, int]]:
    """Blocks of consecutive non-empty lines: (text, folded, offset) — table cells once the
    Markdown pipes are gone."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    cells: list[tuple[str, str, int]] = []
    block: list[str] = []
    block_start = 0
    for i in range(start_line, min(end_line, len(lines))):
        if lines[i].strip():
            if not block:
                block_start = offsets[i]
            block.append(lines[i].strip())
        elif block:
            joined = " ".join(block)
            cells.append((joined, fold(joined), block_start))
            block = []
    if block:
        joined = " ".join(block)
        cells.append((joined, fold(joined), block_start))
    return cells


def table_tasks(
    text: str, start_line: int, end_line: int, anchor, rows: list[tuple[int, int]] | None = None
) -> list[Task]:
    """Rows of the task tables of plans (often in the appendix after the signature); the
    (start, end) offsets of each row read are added to `rows`."""
    cells = _cells(text, start_line, end_line)
    tasks: list[Task] = []
    i = 0
    while i < len(cells):
        if not _COLUMN[1][1].match(cells[i][1]):
            i += 1
            continue
        # Header found at a "chủ trì" cell: walk back to the TT cell, forward to the last title.
        first = i
        while first > 0 and i - first < 3 and not re.match(r"^s?tt$", cells[first][1]):
            first -= 1
        last = i
        while last + 1 < len(cells) and last - i < 5 and not _ROW_NUMBER.match(cells[last + 1][1]):
            last += 1
        header = [c[1] for c in cells[first : last + 1]]
        columns = {}
        for n, title in enumerate(header):
            for name, pattern in _COLUMN:
                if pattern.match(title) and name not in columns:
                    columns[name] = n
        if "action" not in columns:
            i += 1
            continue
        width = len(header)
        j = last + 1
        while j < len(cells):
            if _COLUMN[1][1].match(cells[j][1]):
                break  # the next table
            if _ROW_NUMBER.match(cells[j][1]):
                row = cells[j : j + width]
                # An empty cell at the end of a row (no product, no note) shortens it.
                cut = next(
                    (k for k, c in enumerate(row) if k and _ROW_NUMBER.match(c[1])), len(row)
                )
                row = row[:cut]
                if len(row) > max(columns.values()):
                    if rows is not None:
                        rows.append((row[0][2], row[-1][2] + len(row[-1][0])))
                    task = _row_task(row, columns, anchor)
                    if task:
                        tasks.append(task)
                    j += len(row)
                    continue
            j += 1
        i = j
    return tasks


def _row_task(row, columns, anchor) -> Task | None:
    action = squash(row[columns["action"]][0]).strip(" ;,.")
    lead_text = row[columns["lead"]][0] if "lead" in columns else ""
    lead = [u for u in split_units(lead_text.rstrip(". ")) if u.name]
    if not lead or len(action) < 8:
        return None
    support = split_units(row[columns["support"]][0].rstrip(". ")) if "support" in columns else []
    when_text = row[columns["when"]][0] if "when" in columns else ""
    when = time_limit(when_text, anchor)
    when.text = when.text or when_text or None  # the printed time cell, dated or not
    start = row[columns["action"]][2]
    return new_task(
        lead,
        support,
        action,
        when,
        source_span=[start, start + len(row[columns["action"]][0])],
        evidence="table",
    )
