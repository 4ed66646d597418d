"""The number channel of garbled OCR: `S6: 595 /UBND-NC` → `Số: 595/UBND-NC`.

Numbers and ký hiệu are not words: the n-gram model leaves them alone, and this pass reads them
with their own grammar. In the header's number line (`Số: N/SYMBOL` at a line start or after a
column gap) the word `Số` is restored from its look-alikes (`S6`, `S0`, `Sé`, `Sẽ`, `$6`); the
number may stand on the next line (`SỐ:` then a blank line, as OCR prints a two-column header);
its letters that stand for digits are read as digits (`O`/`o` → 0, `l`/`I` → 1) and the spaces
around the slash dropped. The date `ngày … tháng … năm …` gets its digits the same way
(`0s` → 05), without the scan noise between its parts (`tháng 11.-năm`). In every `N/SYMBOL` of
the text each part of the symbol is read from the lexicon of ký hiệu (`QD` → `QĐ`, `Qb` → `QĐ`,
`CBD` → `CĐ`); a part it does not know stays as printed. Changed or unknown parts are reported
as doubtful spans. The `Nơi nhận` block loses the blank lines OCR puts between its lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from cchc.repair.names import default_lexicon

_DIGIT_LOOKALIKES = str.maketrans(
    {"O": "0", "o": "0", "l": "1", "I": "1", "S": "5", "s": "5", "B": "8", "Z": "2"}
)
_NUMBER_LINE = re.compile(
    r"(?P<lead>^[^\w\n]{0,3}|(?<=\S)[ \t]{2,})"
    r"(?P<so>[S$][^\s:.;/\d]?|[S$8][06]|SỐ)[ \t]*[:.;][ \t|.~]*(?:\n[ \t|.~]*)*"
    # The number: digits and their look-alikes, a real digit among them (`5O5`, `59S`, `l2`).
    r"(?P<num>(?=[0-9OoIlSsBZ]{0,5}[0-9Il])[0-9OoIlSsBZ]{1,6})[ \t]*/[ \t]*(?=[\w])",
    re.MULTILINE,
)
_SYMBOL = re.compile(
    r"(?<![\w/])(?P<num>\d{1,6})(?P<slash>[ \t]*[/-][ \t]*)(?P<year>\d{4}/)?"
    r"(?P<symbol>[A-Za-zĐđ][\w&]*(?:[-/][A-Za-zĐđ0-9][\w&]*"
    # A dash OCR spaced or lengthened (`UBND - NC`, `UBND—NC`) before a capital part.
    r"|[ \t]?[-–—][ \t]?(?=[A-ZĐ][A-ZĐ0-9&]{0,8}\b)[A-ZĐ][A-ZĐ0-9&]*)*)"
)

# The date of the header: `ngày 18 tháng0s năm 2021` → `ngày 18 tháng 05 năm 2021`.
_DATE = re.compile(
    r"\b(?P<ngay>[Nn]gày)[ \t]*(?P<d>[0-9oOslIib]{1,2})[ \t.,\-~|]*(?P<thang>tháng)[ \t]*"
    r"(?P<m>[0-9oOslIib]{1,2})[ \t.,\-~|]*(?P<nam>năm)[ \t]*(?P<y>[0-9]{4})\b"
)
_DATE_DIGITS = str.maketrans({"o": "0", "O": "0", "s": "5", "l": "1", "I": "1", "i": "1", "b": "6"})

Channel = Callable[[str, str], float]


def fix_numbers(
    text: str, doubtful: list[tuple[int, int]], channel: Channel
) -> tuple[str, list[tuple[int, int]]]:
    """`text` with its number line and symbols read by the number channel; `doubtful` spans
    moved with the text, and those of changed or unknown numbers and symbols added."""
    edits: list[tuple[int, int, str, bool]] = []  # (start, end, new text, doubtful)
    for m in _NUMBER_LINE.finditer(text):
        number = m.group("num")
        digits = number.translate(_DIGIT_LOOKALIKES)
        if not any(c.isdigit() for c in number):
            continue
        start = m.start("so")
        edits.append((start, m.end(), f"Số: {digits}/", digits != number))
    # The symbols are read on the text with the number line's digits (`5O5/QD` → `505/QĐ`).
    text, doubtful = _apply(text, doubtful, edits)
    edits = []
    for m in _DATE.finditer(text):
        day, month = (m.group(g).translate(_DATE_DIGITS) for g in ("d", "m"))
        if not (day.isdigit() and month.isdigit()):
            continue
        new = f"{m.group('ngay')} {day} tháng {month} năm {m.group('y')}"
        if new != m.group(0):
            changed = day != m.group("d") or month != m.group("m")
            edits.append((m.start(), m.end(), new, changed))
    lexicon = default_lexicon()
    for m in _SYMBOL.finditer(text):
        start = m.start("symbol")
        parts = re.split(r"([-/])", re.sub(r"[ \t]?[-–—][ \t]?", "-", m.group("symbol")))
        read = []
        sure = True
        for part in parts:
            if part in "-/":
                read.append(part)
                continue
            form, known = lexicon.symbol_part(part, channel)
            read.append(form)
            sure = sure and known
        new = "".join(read)
        if new != m.group("symbol") or not sure:
            edits.append((start, m.end("symbol"), new, not sure))
    return _apply(text, doubtful, edits)


_CLOSING = re.compile(r"^[^\w\n]{0,3}N[oơ]i nh[aậ]n\s*:", re.MULTILINE | re.IGNORECASE)
_BLANK_RUN = re.compile(r"\n[ \t|.~]*\n(?:[ \t|.~]*\n)*")


def tighten_closing(
    text: str, doubtful: list[tuple[int, int]]
) -> tuple[str, list[tuple[int, int]]]:
    """The `Nơi nhận` list and the signature block after it, without the blank lines OCR puts
    between their lines: one item or one line of the block per line, as printed."""
    found = list(_CLOSING.finditer(text))
    if not found or text.count("\n", found[-1].start()) > 80:
        return text, doubtful
    start = found[-1].end()
    edits = [(m.start(), m.end(), "\n", False) for m in _BLANK_RUN.finditer(text, start)]
    return _apply(text, doubtful, edits)


def _apply(
    text: str, doubtful: list[tuple[int, int]], edits: list[tuple[int, int, str, bool]]
) -> tuple[str, list[tuple[int, int]]]:
    """Apply non-overlapping edits (the first of overlapping ones), moving the spans."""
    out: list[str] = []
    spans = sorted(doubtful)
    moved: list[tuple[int, int]] = []
    last = 0
    shift = 0
    added: list[tuple[int, int]] = []
    for start, end, new, doubt in sorted(edits):
        if start < last:
            continue
        out.append(text[last:start])
        # Spans before this edit move by what the earlier edits changed.
        while spans and spans[0][1] <= start:
            a, b = spans.pop(0)
            moved.append((a + shift, b + shift))
        if doubt:
            added.append((start + shift, start + shift + len(new)))
        out.append(new)
        shift += len(new) - (end - start)
        last = end
        while spans and spans[0][0] < end:  # a doubtful word inside the edit: the edit says
            spans.pop(0)
    out.append(text[last:])
    moved += [(a + shift, b + shift) for a, b in spans]
    return "".join(out), sorted(moved + added)
