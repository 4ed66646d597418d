"""Reading order of a scanned page from Tesseract's word boxes (TSV).

A page in the Nghị định 30 layout has two columns twice: at the top the issuer, `Số:` and the
`V/v` subject on the left beside the national motto, place and date on the right; at the bottom
`Nơi nhận:` on the left beside the signer's title and name on the right. Tesseract reads a line
across both columns ("V/v bảo đảm TTATGT cho HS, SV 1. Cô Hương gửi văn bản …"), so the subject
and the date come out mixed. Here each of those two zones is split at the gap between its
columns and read column by column (left, a blank line, right); the rest of the page keeps
Tesseract's order.

The words also carry Tesseract's confidence: `doubtful_words` lists the words with digits read
below DOUBT_BELOW (a handwritten `1535` read as `4235` at 56), which `cchc.ocr` turns into
`quality.uncertain` fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cchc.text import fold

# A word with a digit read with less confidence than this (0-100) is not sure.
DOUBT_BELOW = 75.0
# The header zone ends at the latest here (share of the page's height)...
HEADER_DEPTH = 0.45
# ...and the gap between columns is looked for in this band of the text's width.
GAP_BAND = (0.28, 0.64)

# Words across the gap between two columns (seal specks, stretched boxes) tolerated.
MAX_CROSSING = 2

_HEADER_MARK = re.compile(r"^\W*s[o6]\s*[:.]|ngay\s*\S+\s*thang\s*\S+\s*nam")
_HEADER_END = re.compile(r"^\W*(?:kinh gui|can cu|thuc hien|theo de nghi|dieu 1\b)")
_FOOTER_START = re.compile(r"^\W*noi nhan\b")


@dataclass
class Word:
    text: str
    left: int
    top: int
    width: int
    height: int
    conf: float
    key: tuple[int, int, int]  # Tesseract's (block, paragraph, line)

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def middle(self) -> float:
        return self.left + self.width / 2


def parse_tsv(tsv: str) -> list[Word]:
    """The words (level 5 rows) of Tesseract's TSV output, in its order."""
    words = []
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) != 12 or cells[0] != "5" or not cells[11].strip():
            continue
        try:
            block, par, line = int(cells[2]), int(cells[3]), int(cells[4])
            left, top, width, height = (int(c) for c in cells[6:10])
            conf = max(float(cells[10]), 0.0)
        except ValueError:
            continue
        words.append(Word(cells[11], left, top, width, height, conf, (block, par, line)))
    return words


def _lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped by Tesseract's line, in the order of its blocks."""
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        lines.setdefault(word.key, []).append(word)
    return list(lines.values())


def _text(line: list[Word]) -> str:
    return " ".join(w.text for w in sorted(line, key=lambda w: w.left))


def _top(line: list[Word]) -> float:
    return min(w.top for w in line)


def _solid(words: list[Word]) -> list[Word]:
    """Words that are print, not scan noise or a scribble: letters or digits read with some
    confidence."""
    return [w for w in words if w.conf >= 40 and any(c.isalnum() for c in w.text)]


def _gap(words: list[Word], x0: int, x1: int) -> int | None:
    """The x of the widest run of columns that words cover least within GAP_BAND of [x0, x1];
    None when more than MAX_CROSSING words cover every one (one column of text)."""
    if not words or x1 <= x0:
        return None
    lo, hi = int(x0 + GAP_BAND[0] * (x1 - x0)), int(x0 + GAP_BAND[1] * (x1 - x0))
    cover = [0] * (hi - lo + 1)
    for w in words:
        for x in range(max(w.left, lo), min(w.right, hi) + 1):
            cover[x - lo] += 1
    least = min(cover)
    if least > MAX_CROSSING:
        return None
    runs: list[tuple[int, int]] = []  # (start, length) of the runs at the least cover
    run_start = None
    for i, c in enumerate([*cover, least + 1]):
        if c == least and run_start is None:
            run_start = i
        elif c != least and run_start is not None:
            runs.append((run_start, i - run_start))
            run_start = None
    if not runs:
        return None
    # The leftmost of the widest runs: a note typed beside the subject leaves several narrow
    # gaps, and the column's own is the first.
    widest = max(length for _, length in runs)
    start, length = next(r for r in runs if r[1] >= 0.6 * widest)
    return lo + start + length // 2


def _centred_across(line: list[Word], split: int, indent: float) -> bool:
    """A line that starts right of the left column's start and runs across the gap by more
    than a letter's height on each side (a centred title, not a note that starts at it)."""
    if not line:
        return False
    height = sorted(w.height for w in line)[len(line) // 2]
    start, end = min(w.left for w in line), max(w.right for w in line)
    return indent < start < split - height and end > split + height


def _kept(line: list[Word]) -> bool:
    """A line of print, not the specks of a seal or a scribble ("+ 21+ ^ h . G@B-")."""
    return bool(_solid(line)) and sum(w.conf for w in line) / len(line) >= 50


_MARKER = re.compile(r"^(?:\d{1,2}[.)]?|[a-zđ]\))$")


def _right_side(word: Word, split: int) -> bool:
    """Right of the gap; a list number just left of it (`1.` of a note typed beside the
    subject, its lines starting under the issuer's last letters) opens a right-hand line."""
    if word.middle >= split:
        return True
    return bool(_MARKER.match(word.text)) and word.right > split - 2 * word.height


def _columns(lines: list[list[Word]], split: int) -> str | None:
    """Left column, a blank line, right column; None when one side is empty."""
    left = [[w for w in line if not _right_side(w, split)] for line in lines]
    right = [[w for w in line if _right_side(w, split)] for line in lines]
    left = sorted((line for line in left if _kept(line)), key=_top)
    right = sorted((line for line in right if _kept(line)), key=_top)
    if not left or not right:
        return None
    return "\n".join(_text(line) for line in left) + "\n\n" + "\n".join(map(_text, right))


def page_text(words: list[Word], page_height: int | None = None) -> str:
    """The page's text with the header and the signer's block read column by column."""
    lines = sorted(_lines(words), key=_top)
    if not lines:
        return ""
    lefts = sorted(w.left for w in words)
    rights = sorted(w.right for w in words)
    x0, x1 = lefts[len(lefts) // 50], rights[-1 - len(rights) // 50]
    height = page_height or max(w.top + w.height for w in words)
    out: list[str] = []
    # Header: the lines above `Kính gửi`/the body, within HEADER_DEPTH of the page.
    head = []
    for line in lines:
        if _top(line) > HEADER_DEPTH * height or _HEADER_END.match(fold(_text(line))):
            break
        head.append(line)
    # The lines down to `Số:` and the date are the two columns whatever crosses the gap (a
    # seal, a word box stretched by a scribble); after them a centred line across it (a title)
    # ends the zone. A line that starts in the left column and runs across is the subject
    # with a note typed beside it, still two columns.
    marks = [i for i, line in enumerate(head[:8]) if _HEADER_MARK.search(fold(_text(line)))]
    split = _gap(_solid([w for line in head for w in line]), x0, x1) if marks else None
    if split is not None:
        end = next(
            (
                i
                for i, line in enumerate(head)
                if i > marks[-1] and _centred_across(_solid(line), split, x0 + 0.2 * (x1 - x0))
            ),
            len(head),
        )
        head = head[:end]
        text = _columns(head, split) if len(head) > 1 else None
        if text is not None:
            out.append(text)
            lines = lines[len(head) :]
    # Signer's block: from `Nơi nhận` to the end of the page, beside the signer's title.
    start = next(
        (i for i, line in enumerate(lines) if _FOOTER_START.match(fold(_text(line)))), None
    )
    if start is not None:
        top = _top(lines[start]) - 1.5 * max(w.height for w in lines[start])
        while start > 0 and _top(lines[start - 1]) >= top:
            start -= 1
        foot = lines[start:]
        split = _gap(_solid([w for line in foot for w in line]), x0, x1)
        text = _columns(foot, split) if split is not None else None
        if text is not None:
            out.extend(_body(lines[:start]))
            out.append("")
            out.append(text)
            return "\n".join(out) + "\n"
    out.extend(_body(lines))
    return "\n".join(out) + "\n"


def _body(lines: list[list[Word]]) -> list[str]:
    """Lines in order, a blank line where Tesseract starts a new paragraph."""
    out: list[str] = []
    paragraph = None
    for line in lines:
        if paragraph is not None and line[0].key[:2] != paragraph:
            out.append("")
        out.append(_text(line))
        paragraph = line[0].key[:2]
    return out


def doubtful_words(words: list[Word], below: float = DOUBT_BELOW) -> list[str]:
    """Words with a digit (or in the place of one: `lô` for a handwritten 31) that Tesseract
    read with confidence below `below`."""
    return [
        w.text
        for w in words
        if w.conf < below and (any(c.isdigit() for c in w.text) or w.conf < 30)
    ]


def mean_confidence(words: list[Word]) -> float:
    return sum(w.conf for w in words) / len(words) / 100 if words else 0.0
