"""The parts around the body: `Kính gửi`, `Nơi nhận`, the signer block, `Căn cứ` clauses and the
numbered sections of the body."""

from __future__ import annotations

import re

from cchc.budget import UNLIMITED, Budget
from cchc.document import Section, Signer
from cchc.knowledge import signer_words
from cchc.text import fold, is_upper_line, squash

_RECIPIENTS = re.compile(r"^\s*(?:k\w{1,2}nh\s*g\w{1,2}i|.{0,40}\bdien)\s*:\s*")
_DISTRIBUTION = re.compile(r"^\s*n\w{1,2}i\s*nh\w{1,2}n\s*:?\s*")
_AUTHORITY = re.compile(r"^\s*(?:t/m|k/t|t/l|(?:tm|kt|tl|tuq|q)\s*\.)\s*\S")
_COLUMN_GAP = re.compile(r"(?<=\S)\s{4,}(?=\S)")
_BULLET = re.compile(r"^\s*[-+•–·]\s*")
_SIGNED = re.compile(r"^\s*[(\[]?\s*(?:da ky|đa ky|ky ten|ky|da ky va dong dau)\s*[)\]]?\s*$")
_NAME_WORD = re.compile(r"^[A-ZĐÀ-Ỹ][a-zđà-ỹ]+$")
_SECTION_ROMAN = re.compile(r"^\s*(?P<n>[IVX]{1,5})\s*[.\-–:]\s+(?P<h>\S.*)$")
_SECTION_ARTICLE = re.compile(r"^\s*(?P<n>Điều\s+\d+[a-z]?)\s*[.:]?\s*(?P<h>.*)$")
_SECTION_ARABIC = re.compile(r"^\s*(?P<n>\d{1,2})\s*[.,)]\s+(?P<h>\S.*)$")
_BASIS = re.compile(r"^\s*(?:[-+•]\s*)?(C[aă]n c[uứ]\b|Căn cứ)", re.I)
_LEGAL_WORDS = re.compile(
    r"\b(luat|hien phap|nghi dinh|nghi quyet|quyet dinh|thong tu|chi thi|ke hoach|cong van|"
    r"phap lenh|dieu le|quy dinh|quy che|thong bao|ket luan|huong dan|van ban|to trinh|so \d)"
)


def _list_after(
    lines: list[str], start: int, first_inline: str
) -> tuple[list[str], int, list[str]]:
    """Items of a `- a;` list that starts after line `start`.

    Returns (items, last line used, side column): text laid out to the right of the list, as
    `pdftotext -layout` puts the signer block beside `Nơi nhận`, is kept apart for the signer."""
    items: list[str] = []
    side: list[str] = []
    inline, right = _split_columns(first_inline.strip())
    if right:
        side.append(right)
    if inline and is_upper_line(inline):
        side.insert(0, inline)
    elif inline:
        items.append(inline)
    last = start
    i = start + 1
    blanks = 0
    pending = False
    while i < len(lines) and len(items) < 60:
        line, right = _split_columns(lines[i].strip())
        if not line:
            blanks += 1
            if blanks > 1:
                break
            i += 1
            continue
        blanks = 0
        if _BULLET.match(line) or pending:
            item = _BULLET.sub("", line, count=1).strip()
            # A crawl sometimes leaves the dash alone on its line, the item on the next.
            pending = not item
            if item:
                items.append(item)
        elif (
            items
            and not items[-1].endswith((";", "."))
            and not is_upper_line(line)
            and not _looks_like_name(line)
            and not _RECIPIENTS.match(fold(line))
        ):
            items[-1] += " " + line
        else:
            break
        if right:
            side.append(right)
        last = i
        i += 1
    return [c for it in items if (c := _clean_item(it))], last, side


def _split_columns(line: str) -> tuple[str, str | None]:
    """`- Như trên;          KT. CHỦ TỊCH` → (`- Như trên;`, `KT. CHỦ TỊCH`)."""
    m = _COLUMN_GAP.search(line)
    if not m:
        return line, None
    right = line[m.end() :].strip()
    if is_upper_line(right) or _looks_like_name(right):
        return line[: m.start()].rstrip(), right
    return line, None


def _clean_item(item: str) -> str:
    return squash(item).rstrip(" ;,.").rstrip("./").strip()


def find_recipients(lines: list[str], folded: list[str]) -> tuple[list[str], int | None]:
    for i, f in enumerate(folded):
        m = _RECIPIENTS.match(f)
        if m and ("gui" in f[: m.end()] or "dien" in f[: m.end()]):
            head = f[: m.end()]
            if "gui" not in head and not is_upper_line(lines[i][: head.rfind("dien")]):
                continue  # `… điện:` opens the list only after the sender in capitals
            items, _, _ = _list_after(lines, i, lines[i][m.end() :])
            return items, i
    return [], None


def find_distribution(
    lines: list[str], folded: list[str]
) -> tuple[list[str], int | None, int | None, list[str]]:
    """(items, line of `Nơi nhận`, last line of the list, the column printed beside the list)."""
    for i, f in enumerate(folded):
        m = _DISTRIBUTION.match(f)
        if not m:
            continue
        items, last, side = _list_after(lines, i, lines[i][m.end() :])
        return items, i, last, side
    return [], None, None, []


# -- signer ----------------------------------------------------------------------------------


def strip_rank(line: str) -> str:
    """`Thượng tướng Vũ Hải Sản` → `Vũ Hải Sản`: military ranks and academic titles go."""
    line_f = fold(line)
    for prefix in signer_words()["name_prefixes"]:
        if line_f.startswith(prefix + " "):
            return line[len(prefix) + 1 :].strip()
    return line


def _looks_like_name(line: str) -> bool:
    words = strip_rank(line.strip()).rstrip(".").split()
    if not 2 <= len(words) <= 5:
        return False
    return all(_NAME_WORD.match(w) for w in words)


def _authority_prefix(line_f: str) -> bool:
    """`TM.`, `KT.`, `TL.`, `TUQ.`, `Q.`, `T/M` at the start of a folded line."""
    return bool(_AUTHORITY.match(line_f))


def _title_line(line: str, line_f: str) -> bool:
    if not is_upper_line(line) or len(line) > 80:
        return False
    return any(line_f.startswith(t) for t in signer_words()["titles"]) or _authority_prefix(line_f)


def _signer_in(block: list[str]) -> Signer | None:
    """Authority lines (TM./KT./…), the title, then the name, in one block of lines."""
    authority: list[str] = []
    titles: list[str] = []
    for raw in block:
        line = squash(raw)
        line_f = fold(line)
        if not line or _SIGNED.match(line_f):
            continue
        if _title_line(line, line_f):
            (authority if _authority_prefix(line_f) else titles).append(line)
            continue
        if _looks_like_name(line) and (authority or titles):
            return Signer(
                name=strip_rank(line).rstrip("."),
                title=titles[-1] if titles else None,
                authority=" / ".join(authority) or None,
            )
        if (authority or titles) and is_upper_line(line) and len(line) < 60:
            # The rest of a wrapped authority line, or a title not in the list.
            if authority and not titles and not authority[-1].endswith(("CHỦ TỊCH", "TRƯỞNG")):
                authority[-1] += " " + line
            else:
                titles.append(line)
    return None


def find_signer(
    lines: list[str],
    dist_line: int | None,
    dist_end: int | None,
    side: list[str],
    body_end: int,
) -> Signer | None:
    """The signer block: beside or after `Nơi nhận` when there is one, else after the body."""
    blocks: list[list[str]] = []
    if dist_line is not None:
        end = dist_end if dist_end is not None else dist_line
        blocks.append(side + lines[end + 1 : end + 25])
        blocks.append(lines[max(0, dist_line - 15) : dist_line])
    blocks.append(lines[body_end : body_end + 30])
    for block in blocks:
        signer = _signer_in(block)
        if signer:
            return signer
    # A bare name at the very end (a scan whose title line was lost).
    if dist_end is not None:
        for raw in lines[dist_end + 1 : dist_end + 8]:
            if _looks_like_name(squash(raw)):
                return Signer(name=strip_rank(squash(raw)).rstrip("."), title=None, authority=None)
    return None


def body_end_line(lines: list[str], folded: list[str], start: int) -> int:
    """The line after the body: the `./.` closing mark or the first signer line."""
    for i in range(start, len(lines)):
        if lines[i].rstrip().endswith(("/.", "./.")):
            return i + 1
    for i in range(start, len(lines)):
        if _authority_prefix(folded[i].strip()) and is_upper_line(lines[i]):
            return i
    return len(lines)


# -- bases and sections ----------------------------------------------------------------------


def find_bases(
    lines: list[str], folded: list[str], start: int, end: int, budget: Budget = UNLIMITED
) -> list[tuple[str, int, int]]:
    """`Căn cứ …` clauses as (text, first line, last line), joined across wrapped lines; those
    found before `budget` is spent."""
    bases: list[tuple[str, int, int]] = []
    i = start
    while i < end and not budget.spent():
        if not _BASIS.match(lines[i]) or not lines[i].lstrip("-+• ").startswith(("C", "c")):
            i += 1
            continue
        if not lines[i].lstrip("-+• ")[0].isupper():
            i += 1
            continue
        parts = [lines[i].strip()]
        j = i + 1
        while j < end and not parts[-1].rstrip().endswith((";", ".", ":")):
            nxt = lines[j].strip()
            if not nxt or _BASIS.match(nxt) or is_upper_line(nxt) or _BULLET.match(nxt):
                break
            parts.append(nxt)
            j += 1
        text = squash(" ".join(parts))
        text = re.sub(r"^[-+•]\s*", "", text).rstrip(" ;,.")
        if _LEGAL_WORDS.search(fold(text[:200])):
            bases.append((text, i, j - 1))
        i = j
    return bases


def find_sections(lines: list[str], start: int, end: int) -> list[Section]:
    """The body's top-level numbered parts: Roman numerals, else `Điều N`, else `1.`, `2.`."""
    for pattern in (_SECTION_ROMAN, _SECTION_ARTICLE, _SECTION_ARABIC):
        heads = [(i, m) for i in range(start, end) if (m := pattern.match(lines[i]))]
        if pattern is _SECTION_ARTICLE:
            heads = [(i, m) for i, m in heads if lines[i].lstrip().startswith("Điều")]
        if len(heads) >= 2 or (heads and pattern is not _SECTION_ARABIC):
            sections = []
            for k, (i, m) in enumerate(heads):
                stop = heads[k + 1][0] if k + 1 < len(heads) else end
                body = squash(" ".join(line.strip() for line in lines[i:stop] if line.strip()))
                heading = m.group("h")
                # A heading wrapped onto the next line continues in lowercase.
                for nxt in lines[i + 1 : min(stop, i + 3)]:
                    if (
                        not nxt.strip()
                        or not nxt.strip()[0].islower()
                        or heading.endswith((".", ":"))
                    ):
                        break
                    heading += " " + nxt.strip()
                sections.append(
                    Section(number=squash(m.group("n")), heading=_heading(heading), text=body)
                )
            return sections
    return []


def _heading(text: str) -> str:
    text = squash(text)
    m = re.match(r"^(.{3,150}?)[:.](?:\s|$)", text)
    if m:
        return m.group(1).strip()
    if len(text) <= 150:
        return text
    return text[:150].rsplit(" ", 1)[0] + "…"
