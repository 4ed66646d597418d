"""Documents cited in the text: `Quyết định số 834/QĐ-UBND ngày 30/3/2021 của UBND tỉnh`,
`Luật Doanh nghiệp số 59/2020/QH14`, `Công văn số 364/SNV-CCHC ngày 03/3/2023 của Sở Nội vụ`."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from cchc.budget import UNLIMITED, Budget
from cchc.dates import DATE_NUM, DATE_WORDS, iso_date
from cchc.document import Reference
from cchc.knowledge import doc_types
from cchc.parse.header import type_from_symbol
from cchc.text import fold, squash

# A number with a symbol: 834/QĐ-UBND, 52/2025/QĐ-CTUBND, 383-QĐ/TW, 59/2020/QH14.
_NUMBER = re.compile(
    r"(?<![\w/])(\d{1,6}[a-z]?(?:/\d{4})?/[A-ZĐ][\w&.]*(?:-[\w&.]+)*|\d{1,6}-[A-ZĐ]+/[A-ZĐ]+)(?![\w])"
)
# Read on the folded text, whose offsets are the text's.
_DATE_AFTER = re.compile(rf"^[\s,]*ngay\s+(?:{DATE_NUM}|{DATE_WORDS})")
_OF = re.compile(r"^[\s,]*(?:của|cua)\s+")
_ISSUER_STOP = re.compile(
    r"\s(?:về|quy định|phê duyệt|ban hành|hướng dẫn|sửa đổi|và|đã|được|tại|có|trong|thì|là|"
    r"nay|theo|để|với|như|thực hiện|triển khai|kèm theo|giao|đến|cho|nhằm|trên|gửi|"
    r"ve|quy dinh|thuc hien)(?=\s|$)|[;,.:()\[\]“”\"]"
)


@cache
def _type_words() -> tuple[re.Pattern, dict[str, str]]:
    """A pattern for any type name (folded, longest first) and the name each folded form means."""
    names = {fold(t.name): t.name for t in doc_types()}
    names[fold("Hiến pháp")] = "Hiến pháp"
    names[fold("Văn bản")] = "Công văn"
    alternation = "|".join(re.escape(w) for w in sorted(names, key=len, reverse=True))
    return re.compile(r"(?<![a-z])(?:" + alternation + r")(?![a-z])"), names


def _type_before(prefix_f: str) -> tuple[str | None, int]:
    """The type named in the words just before a number (`… Quyết định số `) and where it starts."""
    window = prefix_f[-90:]
    pattern, names = _type_words()
    last = None
    for last in pattern.finditer(window):  # noqa: B007 - the last match is the nearest one
        pass
    if last is None:
        return None, len(prefix_f)
    gap = window[last.start() :]
    # The type must be close: `Quyết định số`, `Luật Doanh nghiệp số`, not three clauses back.
    if len(gap) > 70 or re.search(r"[;.]", gap):
        return None, len(prefix_f)
    return names[last.group(0)], len(prefix_f) - len(window) + last.start()


def find_references(
    text: str,
    own_number: str | None = None,
    folded: str | None = None,
    budget: Budget = UNLIMITED,
) -> list[Reference]:
    """Every cited document with a number, in order of first mention, each number once; those
    found before `budget` is spent.

    `folded` is `fold(text)` when the caller has it already (folding keeps every offset)."""
    flat = squash(text)
    flat_f = squash(folded) if folded is not None else fold(flat)
    found: dict[str, Reference] = {}
    for m in _NUMBER.finditer(flat):
        if budget.spent():
            break
        number = m.group(1).rstrip(".")
        if own_number and number == own_number:
            continue
        # Only a window before the number: slicing the whole prefix for each of a million
        # numbers made a 10 MB text quadratic.
        window_start = max(0, m.start() - 90)
        doc_type, start = _type_before(flat_f[window_start : m.start()])
        start += window_start
        if doc_type is None:
            doc_type = type_from_symbol(_symbol_of(number))
            start = m.start()
            if re.search(r"(?:số|so)\s*:?\s*$", flat[max(0, m.start() - 6) : m.start()]):
                start = flat.rfind("s", 0, m.start())
        end = m.end()
        ref_date = None
        d = _DATE_AFTER.match(flat_f[end : end + 60])
        if d:
            g = d.groups()
            day, month, year = g[:3] if g[0] else g[3:]
            ref_date = iso_date(int(year), int(month), int(day))
            end += d.end()
        issuer = None
        of = _OF.match(flat[end : end + 40])
        if of:
            tail = flat[end + of.end() : end + of.end() + 80]
            stop = _ISSUER_STOP.search(tail)
            issuer = tail[: stop.start()] if stop else " ".join(tail.split()[:6])
            issuer = issuer.strip() or None
            if issuer:
                end += of.end() + len(issuer)
        reference = Reference(
            type=doc_type,
            number=number,
            date=ref_date,
            issuer=issuer,
            text=flat[start:end].strip(" ,;"),
        )
        if number not in found:
            found[number] = reference
        else:
            known = found[number]
            known.date = known.date or reference.date
            known.issuer = known.issuer or reference.issuer
            known.type = known.type or reference.type
    return list(found.values())


def citations(references: list[Reference]) -> Callable[[str], list[Reference]]:
    """A function giving the references a clause cites, in the order of `references`: each
    number of the clause is looked up (testing every reference against every clause was
    quadratic: 8,000 `Căn cứ` lines took 6.6 s)."""
    order = {r.number: i for i, r in enumerate(references) if r.number}

    def cited_in(text: str) -> list[Reference]:
        numbers = {m.group(1).rstrip(".") for m in _NUMBER.finditer(text)} & order.keys()
        return [references[order[n]] for n in sorted(numbers, key=order.__getitem__)]

    return cited_in


def _symbol_of(number: str) -> str | None:
    parts = re.split(r"/", number)
    rest = [p for p in parts[1:] if not re.fullmatch(r"\d{4}", p)]
    if "-" in parts[0]:
        return "/".join([parts[0].split("-", 1)[1], *rest])
    return "/".join(rest) if rest else None
