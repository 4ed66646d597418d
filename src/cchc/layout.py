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
from dataclasses import astuple, dataclass, field

from cchc.dates import OCR_DIGITS
from cchc.repair.signer import title_line
from cchc.text import fold, nfc

# A word with a digit read with less confidence than this (0-100) is not sure.
DOUBT_BELOW = 75.0
# The header zone ends at the latest here (share of the page's height)...
HEADER_DEPTH = 0.45
# ...and the gap between columns is looked for in this band of the text's width.
GAP_BAND = (0.28, 0.64)

# Words across the gap between two columns (seal specks, stretched boxes) tolerated.
MAX_CROSSING = 2

_HEADER_MARK = re.compile(r"^\W*s[o6]\s*[:.]|ngay\s*\S+\s*thang\s*\S+\s*nam")
_MOTTO = re.compile(r"\bc\w{0,2}ng\s*h\w{1,2}\b|doc\s*lap|\bhanh\s*phuc")
_COPY = re.compile(r"\bsao\s*y\b|\bsaoy\b|\bban\s*sao\b|\bsao\s*luc\b|\btrich\s*sao\b")
_NUMBER_WORD = re.compile(r"^s[o6]\s*[:.]?$")
_DATE_LINE = re.compile(r"ngay\s*\S*\s*thang\s*\S+\s*nam\s*\d")
# `\W` misses `_`, a frequent speck at a scanned line's start (`_ Nơi nhận:`).
_HEADER_END = re.compile(r"^[\W_]*(?:kinh gui|can cu|thuc hien|theo de nghi|dieu 1\b)")
_FOOTER_START = re.compile(r"^[\W_]*(?:\w{1,2}[\W_]+)?noi nhan\b")  # `ll Nơi nhận:`


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


_SECTION_EIGHT = re.compile(r"(?<=[A-Z0-9])§|§(?=[0-9])")
_DOLLAR_S = re.compile(r"\$(?=[A-ZĐ])")  # `/$TC-NS`: the S of a symbol read as `$`
_SLASH_ONE = re.compile(r"^/(\d{2,5})/(?=[A-ZĐ])")


def _without_unread_number(line: list[Word], page: Page) -> list[Word]:
    """The `Số:` line without a number that is not one: `#74` for a handwritten 5710 is left
    out (to `page.unread`), so the parser sees a blank number and the symbol."""
    ordered = sorted(line, key=lambda w: w.left)
    if not ordered or not _NUMBER_WORD.match(fold(ordered[0].text)):
        return line
    # Where the number stands: after `Số:`, before the word that starts the symbol (`/UBND`).
    height = max(w.height for w in ordered)
    slash = next((w for w in ordered[1:] if w.text.startswith("/")), None)
    page.number_box = (
        ordered[0].right,
        min(w.top for w in ordered),
        slash.left if slash else ordered[0].right + 6 * height,
        max(w.top + w.height for w in ordered),
    )
    page.number_read = any(re.match(r"\d+(?:/|$)", w.text) for w in ordered[1:3])
    kept = [ordered[0]]
    for word in ordered[1:]:
        if len(kept) == 1 and word.conf < DOUBT_BELOW and (m := _SLASH_ONE.match(word.text)):
            # `/672/STC-NS`: a handwritten 1 read as the slash it looks like.
            page.guessed.append("1" + m.group(1))
            word = Word("1" + word.text[1:], *astuple(word)[1:])
        if "§" in word.text:
            # `/CV-PA§3`: an 8 of the symbol read as `§` (never in a ký hiệu); a guess.
            read = _SECTION_EIGHT.sub("8", word.text)
            if read != word.text:
                page.guessed += [p for p in re.split(r"[/-]", read) if "8" in p]
                word = Word(read, *astuple(word)[1:])
        if "$" in word.text:
            # `/$TC-NS`: an S of the symbol read as `$` (never in a ký hiệu); a guess.
            read = _DOLLAR_S.sub("S", word.text)
            if read != word.text:
                parts = zip(re.split(r"[/-]", read), re.split(r"[/-]", word.text), strict=True)
                page.guessed += [new for new, old in parts if "$" in old]
                word = Word(read, *astuple(word)[1:])
        head, slash, tail = word.text.partition("/")
        if head and not head.isdigit() and word.conf < DOUBT_BELOW and len(kept) < 3:
            digits = head.lower().translate(OCR_DIGITS)  # `1L5`: a handwritten 115
            if digits.isdigit():
                head = digits
                page.guessed.append(digits)
            else:
                page.unread.append(head)
                head = ""
            if not head and not slash:
                continue
            word = Word(head + slash + tail, *astuple(word)[1:])
        kept.append(word)
    return kept


def _kept(line: list[Word]) -> bool:
    """A line of print, not the specks of a seal or a scribble ("+ 21+ ^ h . G@B-"): it has a
    word of two letters or more read with some confidence."""
    return any(w.conf >= 50 and sum(c.isalpha() for c in w.text) >= 2 for w in line)


def _clean(line: list[Word]) -> list[Word]:
    """The line without the marks of a seal or a signature over it (no letter or digit and
    barely read)."""
    return [w for w in line if w.conf >= 30 or any(c.isalnum() for c in w.text)]


def _unled(line: list[Word]) -> list[Word]:
    """A right-hand line without the marks before its first word (`_ = . CHỦ TỊCH`,
    `“z_ KT GIÁM ĐỐC`: the seal's rim read as signs, a barely read speck of two or three
    characters): the motto, the date and the signer's lines start with a letter."""
    ordered = sorted(line, key=lambda w: w.left)
    while len(ordered) > 1 and (
        not any(c.isalnum() for c in ordered[0].text)
        or (ordered[0].conf < 30 and len(ordered[0].text) <= 3)
    ):
        ordered.pop(0)
    if (
        ordered
        and (lead := _LEAD_MARKS.match(ordered[0].text))
        and lead.end() < len(ordered[0].text)
    ):
        # `'Trần Quốc Lâm`: a speck glued to the first letter.
        ordered[0] = Word(ordered[0].text[lead.end() :], *astuple(ordered[0])[1:])
    return ordered


_LEAD_MARKS = re.compile(r"^['\"‘’“”_~.,:;|`]+")


_MARKER = re.compile(r"^(?:\d{1,2}[.)]?|[a-zđ]\))$")


def _right_side(word: Word, split: int) -> bool:
    """Right of the gap; a list number just left of it (`1.` of a note typed beside the
    subject, its lines starting under the issuer's last letters) opens a right-hand line."""
    if word.middle >= split:
        return True
    return bool(_MARKER.match(word.text)) and word.right > split - 2 * word.height


def _columns(lines: list[list[Word]], split: int, page: Page | None = None) -> str | None:
    """Left column, a blank line, right column; None when one side is empty.

    For the header (`page` given): right-hand lines above the motto that name a copy (`SAO Y`,
    `BẢN SAO` and the copying body) go to `page.copy`, lines under the date (a note typed or
    written beside the subject) to `page.notes`; neither is the document's own."""
    left = [[w for w in line if not _right_side(w, split)] for line in lines]
    right = [[w for w in line if _right_side(w, split)] for line in lines]
    left = sorted((_clean(line) for line in left if _kept(line)), key=_top)
    right = sorted((_unled(_clean(line)) for line in right if _kept(line)), key=_top)
    if not left or not right:
        return None
    if page is not None:
        left = [_without_unread_number(line, page) for line in left]
    if page is None:
        right = _signer_lines(right)
    right_text = [_text(line) for line in right]
    if page is None:
        right_text = [title_line(t) or t for t in right_text]
    if page is not None:
        folded = [fold(t) for t in right_text]
        motto = next((i for i, f in enumerate(folded) if _MOTTO.search(f)), None)
        if motto and any(_COPY.search(f) for f in folded[:motto]):
            page.copy.extend(right_text[:motto])
            right_text, folded = right_text[motto:], folded[motto:]
        date = next((i for i, f in enumerate(folded) if _DATE_LINE.search(f)), None)
        if date is not None and date + 1 < len(right_text):
            page.notes.extend(right_text[date + 1 :])
            right_text = right_text[: date + 1]
    return "\n".join(_text(line) for line in left) + "\n\n" + "\n".join(right_text)


# A line of the signer's column read with less mean confidence than this, above the last line
# (the name), is a signature or the seal read as letters (`N TẾ TẾT Sử`).
SCRIBBLE_BELOW = 60.0


def _signer_lines(lines: list[list[Word]]) -> list[list[Word]]:
    """The signer's column without the scribbles read between the title and the name (a
    title, however unsurely read, stays)."""
    return [
        line
        for i, line in enumerate(lines)
        if i == len(lines) - 1
        or sum(w.conf for w in line) / len(line) >= SCRIBBLE_BELOW
        or title_line(_text(line))  # a title under the seal, read unsurely
    ]


@dataclass
class Page:
    """A page read in layout order."""

    text: str = ""
    copy: list[str] = field(default_factory=list)  # a copy's stamp above the original header
    notes: list[str] = field(default_factory=list)  # lines written beside the header
    unread: list[str] = field(default_factory=list)  # what stood for the number: not digits
    guessed: list[str] = field(default_factory=list)  # a number read from look-alikes (`1L5`)
    number_box: tuple[int, int, int, int] | None = None  # between `Số:` and `/SYMBOL`
    number_read: bool = False  # digits were read there (surely or not)


def page_text(words: list[Word], page_height: int | None = None) -> str:
    """The page's text with the header and the signer's block read column by column."""
    return read_layout(words, page_height).text


def read_layout(words: list[Word], page_height: int | None = None) -> Page:
    """The page read in order: the header and the signer's block column by column, a copy's
    stamp and notes beside the header set apart."""
    page = Page()
    lines = sorted(_lines(words), key=_top)
    if not lines:
        return page
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
        text = _columns(head, split, page) if len(head) > 1 else None
        if text is not None:
            out.append(text)
            lines = lines[len(head) :]
    # Signer's block: from `Nơi nhận` to the end of the page, beside the signer's title.
    start = next(
        (i for i, line in enumerate(lines) if _FOOTER_START.match(fold(_text(line)))), None
    )
    if start is not None:
        split = _gap(_solid([w for line in lines[start:] for w in line]), x0, x1)
        # The signer's title may stand a little above `Nơi nhận`, right of the gap.
        top = _top(lines[start]) - 2 * max(w.height for w in lines[start])
        while (
            split is not None
            and start > 0
            and _top(lines[start - 1]) >= top
            and all(_right_side(w, split) for w in _solid(lines[start - 1]))
        ):
            start -= 1
        text = _columns(lines[start:], split) if split is not None else None
        if text is not None:
            out.extend(_body(lines[:start]))
            out.append("")
            out.append(text)
            page.text = "\n".join(out) + "\n"
            return page
    out.extend(_body(lines))
    page.text = "\n".join(out) + "\n"
    return page


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


def unsure_words(words: list[Word], below: float) -> list[str]:
    """The letters of the words Tesseract read with confidence below `below` (lower case, no
    punctuation): those whose marks the n-grams may readily change (`repair.restore_ocr`)."""
    out = []
    for w in words:
        if w.conf < below:
            letters = "".join(c for c in nfc(w.text).lower() if c.isalpha())
            if letters:
                out.append(letters)
    return out


def mean_confidence(words: list[Word]) -> float:
    return sum(w.conf for w in words) / len(words) / 100 if words else 0.0
