"""The header of a Vietnamese administrative document (Nghị định 30/2020/NĐ-CP, Điều 8–10):
issuer (left column), national motto (right column), number/symbol, place and date, type, subject.

Text extraction puts the two columns in any order, sometimes on one line; each finder therefore
looks at the lines by their shape, not by their position.
"""

from __future__ import annotations

import re

from cchc.dates import HEADER_DATE, OCR_DIGITS, iso_date
from cchc.knowledge import issuer_shapes, signer_words, type_by_code, type_by_title
from cchc.text import fold, is_upper_line, squash

# Letters of the mottos, folded, for spotting their fragments on split lines.
_MOTTO_LETTERS = ("conghoaxahoichunghiavietnam", "doclaptudohanhphuc", "dangcongsanvietnam")
# The mottos as OCR may garble them ("CONG HOA XA HQI", "Péoc 1ap - Tu do - Hanh phic").
_MOTTO_RE = re.compile(
    r"c\w{0,2}ng\s*h\w{1,2}\s*x\w\s*h\w{1,2}\s*ch\w\s*ngh\w{1,2}\s*vi\w{0,2}t\s*nam"
    r"|\b\w{0,4}\s?[l1i]\w?p\s*[-–]\s*t\w{0,2}\s*do\s*[-–]\s*h\w{1,3}\s*ph\w{1,3}"
    r"|\b\w+\s*[-–]\s*t\w{0,2}\s*do\s*[-–]\s*h\w{1,3}\s*ph\w{0,3}"
    r"|đ?\w{0,2}ng\s*c\w{1,2}ng\s*s\w{1,2}n\s*vi\w{0,2}t\s*nam",
)
# `Số:`, `S6:` (OCR), `Luật số:`, `Số 383-QĐ/TW` at the start of a line or after a cell break.
_NUMBER_LINE = re.compile(
    # A column gap is tried from the start of a whitespace run only: from every space inside a
    # run the search was quadratic (20,000 spaces took 10 s).
    r"(?:^|(?<!\s)\s{2,}|^\W{0,2}\w?\W{1,3})"  # line start, a column gap, a little scan noise
    r"(?P<word>(?:(?:luat|lenh|phap lenh)\s+)?s[o6])\s*[:.]?\s*(?=[\d/]|$)"
)
_NOISE_BEFORE_NUMBER = " \t—–-_~'\"|:.,"
# A doubled slash (`991 //SGDĐT-VP`) is a scan's speck beside the slash, never a ký hiệu's.
_NUMBER_TOKEN = re.compile(
    r"[\w.&()]+(?:[-–][\w.&()]+)*(?:\s*/{1,2}\s*[\w.&-]+)*|\s*/{1,2}\s*[\w.&-]+"
)
_DATE_RE = re.compile(HEADER_DATE)
# Where the header ends for certain: the first legal basis, article or chapter.
_BODY_START = re.compile(r"^\s*(?:[-+]\s*)?(?:can cu\b|dieu 1\b|chuong i\b)")
_VV = re.compile(r"^\s*(?:(?:v\s*[/.]\s*[vw]|viv)\b|v/(?=\s))[\s.:]*")  # OCR: `V/w`, `V/ `


# -- number and symbol -----------------------------------------------------------------------


def find_number(
    lines: list[str], folded: list[str], limit: int = 80
) -> tuple[str | None, str | None, int | None]:
    """(number, symbol, line index); a blank number (a draft, `Số:    /UBND-NC`) gives None."""
    for i, f in enumerate(folded[:limit]):
        m = _NUMBER_LINE.search(f)
        if not m or not _capital_s(lines[i], m):
            continue
        rest = lines[i][m.end() :]
        if not rest.strip() and i + 1 < len(lines):
            if _VV.match(folded[i + 1]):
                return None, None, i  # `Số:` blank, the subject under it (a number unread)
            rest = lines[i + 1]
        elif rest.rstrip().endswith(("-", "/")) and i + 1 < len(lines) and lines[i + 1].strip():
            # `Số: 3783/QĐ-` wrapped before `UBND`.
            rest = rest.rstrip() + lines[i + 1].split()[0]
        # `Số:` / `—-127/2025/TT-BQP`: a scan's dashes or specks before the number.
        token_match = _NUMBER_TOKEN.match(rest.lstrip(_NOISE_BEFORE_NUMBER))
        if not token_match:
            continue
        token = re.sub(r"\s*/{1,2}\s*", "/", token_match.group(0).strip()).rstrip(".,;:")
        token = token.replace("–", "-")
        if "/" not in token and "-" not in token:
            continue
        head = re.split(r"[/-]", token)[0]
        if head and not any(c.isdigit() for c in head) and not re.fullmatch(r"[OoIl]{1,6}", head):
            continue  # a number has digits (or their look-alikes): `V/v`, `Thông/báo` are none
        if token.startswith("/"):
            symbol = token[1:]
            return None, symbol or None, i
        return token, split_symbol(token), i
    return None, None, None


def _capital_s(line: str, m: re.Match) -> bool:
    """Body text wraps lines before a lowercase `số`; the header's `Số`/`SỐ`/`S6` is a capital."""
    return line[m.start("word") : m.start("word") + 1].isupper()


def split_symbol(number: str) -> str | None:
    """`595/UBND-NC` → `UBND-NC`; `52/2025/QĐ-CTUBND` → `QĐ-CTUBND`; `383-QĐ/TW` → `QĐ/TW`."""
    m = re.match(r"^\s*[\dOo]+[a-zA-Z]?\s*(?:/\s*\d{4}\s*)?[/-]\s*(.+)$", number)
    return m.group(1).strip() if m else None


def type_from_symbol(symbol: str | None) -> str | None:
    """The type coded in a symbol (`QĐ-UBND` → Quyết định), or None for a công văn's symbol."""
    if not symbol:
        return None
    first = re.split(r"[-/]", symbol)[0]
    return type_by_code().get(fold(first))


# -- place and date --------------------------------------------------------------------------


def find_date(lines: list[str], folded: list[str], limit: int = 80):
    """(place, ISO date or None, line index, blank?) from `Phước Long, ngày 18 tháng 5 năm 2021`."""
    for i, f in enumerate(folded[:limit]):
        if _BODY_START.match(f):
            break
        if "ngay" not in f:
            continue
        # The date may wrap onto the next one or two lines.
        joined_f = f
        joined = lines[i]
        for k in (1, 2):
            if i + k < len(lines) and not re.search(r"nam\s*\d{4}", joined_f):
                joined_f += " " + folded[i + k]
                joined += " " + lines[i + k]
        m = _DATE_RE.search(joined_f)
        if not m:
            continue
        prefix = joined_f[: m.start()].rstrip()
        if not prefix and i > 0 and folded[i - 1].rstrip().endswith(","):
            # `*Hà Nội,` wrapped before `ngày 21 tháng 11 năm 2025`.
            joined, joined_f = lines[i - 1] + " " + joined, folded[i - 1] + " " + joined_f
            m = _DATE_RE.search(joined_f)
            prefix = joined_f[: m.start()].rstrip()
        if not prefix.endswith(","):
            # `Hà Nội ngày 01 tháng 12 năm 2025`: a comma left out, but the line is a date line.
            if i >= 40 or not re.fullmatch(
                r"[^\W\d_]+(?: [^\W\d_.]+){0,4}", squash(lines[i][: len(prefix)])
            ):
                continue
            prefix += ","
        place = _place_before(joined[: len(prefix) - 1], joined_f[: len(prefix) - 1])
        day, month, year = (m.group(g).strip(" ._…") for g in ("d", "m", "y"))
        if not day or not month:
            return place, None, i, True
        iso = iso_date(int(year), int(month.translate(OCR_DIGITS)), int(day.translate(OCR_DIGITS)))
        return place, iso, i, False
    return None, None, None, False


def _place_before(text: str, text_f: str) -> str | None:
    """The place name that ends at the comma before `ngày`, without what shares its line."""
    cut = 0
    for m in _MOTTO_RE.finditer(text_f):
        cut = max(cut, m.end())
    num = _NUMBER_LINE.search(text_f)
    if num:
        token = _NUMBER_TOKEN.match(text[num.end() :].lstrip())
        if token:
            cut = max(
                cut,
                num.end()
                + (len(text[num.end() :]) - len(text[num.end() :].lstrip()))
                + token.end(),
            )
    big_gap = [m.end() for m in re.finditer(r"\s{3,}", text)]
    if big_gap:
        cut = max(cut, big_gap[-1])
    place = squash(text[cut:]).strip(" ,.-")
    if not place:
        return None
    words = place.split()
    if len(words) > 6:
        place = " ".join(words[-4:])
    return place


# -- issuer ----------------------------------------------------------------------------------


def is_motto_fragment(line_f: str) -> bool:
    letters = re.sub(r"[^a-z0-9]", "", line_f)
    if len(letters) < 5:
        return False
    return any(letters in motto for motto in _MOTTO_LETTERS)


def strip_motto(line: str, line_f: str) -> tuple[str, bool]:
    """Remove motto text from a header line; returns (rest, whether a motto was there)."""
    if is_motto_fragment(line_f):
        return "", True
    found = False
    keep = list(line)
    for m in _MOTTO_RE.finditer(line_f):
        found = True
        for j in range(m.start(), m.end()):
            keep[j] = " "
    return ("".join(keep) if found else line), found


def _starts_with(line_f: str, words: tuple[str, ...]) -> bool:
    return any(line_f == w or line_f.startswith(w + " ") for w in words)


def find_issuer(
    lines: list[str], folded: list[str], stop: int
) -> tuple[str | None, str | None, bool]:
    """(issuer, parent issuer, motto seen) from the capital lines above line `stop`."""
    shapes = issuer_shapes()
    candidates: list[str] = []
    motto = False
    for i in range(min(stop, len(lines), 60)):
        rest, had_motto = strip_motto(lines[i], folded[i])
        motto = motto or had_motto
        rest = squash(re.sub(r"[-–_=]{2,}", " ", rest)).strip(" -–,.:")
        # The issuer column is in capitals: drop what another column left after it.
        words = rest.split()
        while words and not is_upper_line(words[-1]) and any(c.isalpha() for c in words[-1]):
            words.pop()
        rest = " ".join(words)
        if not rest or not is_upper_line(rest) or len(rest) > 90:
            continue
        rest_f = fold(rest)
        if _NUMBER_LINE.search(rest_f) or re.search(r"\d{3,}", rest):
            continue
        candidates.append(rest)
    if not candidates:
        return None, None, motto
    bodies: list[str] = []
    for line in candidates:
        line_f = fold(line)
        continues = not _starts_with(line_f, shapes["heads"]) or _starts_with(
            line_f, shapes["places"]
        )
        if bodies and continues:
            bodies[-1] += " " + line
        else:
            bodies.append(line)
    issuer = bodies[-1]
    parent = " ".join(bodies[:-1]) or None
    return issuer, parent, motto


# -- type and subject ------------------------------------------------------------------------


def find_type_line(
    lines: list[str], folded: list[str], start: int, limit: int = 80
) -> tuple[str | None, int | None]:
    """The title line that names the type (`QUYẾT ĐỊNH`, `BAO CAO`, `KẾ HOẠCH`)."""
    titles = type_by_title()
    for i in range(start, min(limit, len(lines))):
        line = lines[i].strip()
        if not line or not is_upper_line(line):
            continue
        key = squash(re.sub(r"[^a-z ]", " ", folded[i]))
        if key in titles and key != "cong van":
            return titles[key], i
        near = _near_title(key)
        if near:
            return titles[near], i
    return None, None


# A garbled title (`QUYET BINH`, `KE HOACII`, `THONG BAU`) is the closest type of the closed list
# when it is this close (rapidfuzz ratio, 0–100) and closer than any signer's title (`CHỦ NỊCH`
# is CHỦ TỊCH, not CHỈ THỊ).
TITLE_RATIO = 80


def _near_title(key: str) -> str | None:
    """The type title of `type_by_title` nearest to a capital line `key` (folded), or None."""
    from rapidfuzz import fuzz, process

    words = key.split()
    if not 1 <= len(words) <= 4 or len(key) < 4:
        return None
    titles = [t for t in type_by_title() if t != "cong van" and len(t.split()) == len(words)]
    found = process.extractOne(key, titles, scorer=fuzz.ratio, score_cutoff=TITLE_RATIO)
    if not found:
        return None
    others = [t for t in signer_words()["titles"] if len(t.split()) == len(words)]
    rival = process.extractOne(key, others, scorer=fuzz.ratio) if others else None
    if rival and rival[1] >= found[1]:
        return None
    # Each word near its own (`CHƯƠNG I` is not CHƯƠNG TRÌNH, `KẾT QUẢ` not KẾT LUẬN).
    if any(fuzz.ratio(a, b) < 60 for a, b in zip(words, found[0].split(), strict=True)):
        return None
    return found[0]


def find_subject(
    lines: list[str], folded: list[str], type_line: int | None, issuer: str | None, limit: int = 80
):
    """(subject, (first, last) line): the `V/v …` line or the title lines under the type name."""
    start = (type_line + 1) if type_line is not None else 0
    for i in range(start, min(limit, len(lines))):
        if _VV.match(folded[i]):
            return _collect_subject(lines, folded, i, vv=True)
        if type_line is not None and i > type_line + 1 and folded[i].strip():
            break
    if type_line is None:
        return None, None
    first = type_line + 1
    while first < len(lines) and not lines[first].strip():
        first += 1
    if first >= len(lines) or _ends_title(folded[first], issuer):
        return None, None
    return _collect_subject(lines, folded, first, vv=False, issuer=issuer)


_TITLE_STOP = re.compile(
    r"^\s*(?:can cu|kinh gui|theo de nghi|xet de nghi|dieu \d|chuong [ivx\d]|phan [ivx\d]|"
    r"[ivx]+[.-]\s|\d+[.)]\s|[-+•]\s|noi nhan|ngay \S{1,2}\s*thang)"
)


def _ends_title(line_f: str, issuer: str | None) -> bool:
    if _TITLE_STOP.match(line_f) or is_motto_fragment(line_f) or _NUMBER_LINE.search(line_f):
        return True
    if line_f.rstrip().endswith(":"):
        return True
    if issuer and squash(line_f) == squash(fold(issuer)):
        return True
    # The enacting authority under the title: `BỘ TRƯỞNG BỘ CÔNG THƯƠNG`, `CHỦ TỊCH ỦY BAN …`.
    if any(line_f.startswith(t + " ") for t in signer_words()["titles"]):
        return True
    return bool(re.search(r",\s*ngay\s*\d", line_f))


def _collect_subject(lines, folded, first, vv, issuer=None):
    parts = [lines[first].strip()]
    last = first
    upper = is_upper_line(parts[0])
    i = first + 1
    while i < len(lines) and len(parts) < 8:
        line = lines[i].strip()
        if not line:
            # PDF text puts blank lines between wrapped lines; look past one.
            if (
                i + 1 < len(lines)
                and lines[i + 1].strip()
                and _continues(lines[i + 1].strip(), upper)
            ):
                i += 1
                continue
            break
        if _ends_title(folded[i], issuer) or not (
            _continues(line, upper) or (vv and _continues_vv(line, parts[-1]))
        ):
            break
        parts.append(line)
        last = i
        i += 1
    subject = squash(" ".join(parts))
    if vv:
        subject = (
            re.sub(r"^\s*\S+", "V/v", subject, count=1)
            if not subject.startswith("V/v")
            else subject
        )
    return subject.rstrip(" ;"), (first, last)


def _continues(line: str, upper_title: bool) -> bool:
    """A wrapped line of a title: lowercase start, or capitals under a capital title."""
    if upper_title:
        return is_upper_line(line) and not re.match(r"^[A-ZĐ]+\.\s", line)
    first = line[0]
    return first.islower() or first.isdigit() or first in "(\"“'"


def _continues_vv(line: str, previous: str) -> bool:
    """A wrapped `V/v` line that starts with a proper name (`Hội thánh …`, `Sở Nội vụ …`):
    mixed case, short, after a line that did not end a sentence or list item."""
    return (
        line[0].isupper()
        and not is_upper_line(line)
        and len(line) <= 60
        and not previous.rstrip().endswith((".", ";", ":", ","))
        and not re.search(r"\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}\s*$", line)
    )
