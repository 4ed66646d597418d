"""Does a number read from OCR look like one its issuer would write?

A ký hiệu follows Nghị định 30: capitals of the type (`QĐ`, `KH`, `TB`), of the issuer (`UBND`,
`SNV`, `SGDĐT`: the initials of `SỞ GIÁO DỤC VÀ ĐÀO TẠO`) and of the drafting unit, joined by `-`
or `/`. OCR of a scan breaks that shape in ways a person sees at once: a part cut short by a speck
(`1415/CV-PA§3` kept as `1415/CV-PA`), a part in small letters (`1894/v`: the `V/v` of the subject
under a number that was not read), a symbol none of whose parts is known (neither a part of the
lexicon of ký hiệu nor the issuer's initials). Such a number is not sure: `notation_doubt` says
why, and the caller lists `number` in `quality.uncertain`.
"""

from __future__ import annotations

import re

from cchc.repair.names import default_lexicon
from cchc.text import fold

_PART = re.compile(r"^[A-ZĐ][A-ZĐa-z&]*\d*$")
_SMALL_WORDS = {"va", "cua", "thuoc", "ve"}


def initials(name: str | None) -> set[str]:
    """The initials an issuer writes in its ký hiệu: `SỞ GIÁO DỤC VÀ ĐÀO TẠO` → SGDĐT (and
    SGDDT), `ỦY BAN NHÂN DÂN` → UBND; each line of a two-line name alone and together."""
    if not name:
        return set()
    out = set()
    for part in [name, *name.splitlines()]:
        words = [w for w in re.findall(r"[^\W\d_]+", part) if fold(w) not in _SMALL_WORDS]
        if len(words) < 2:
            continue
        letters = "".join(w[0].upper() for w in words)
        out |= {letters, fold(letters).upper()}
    return out


def notation_doubt(
    number: str | None, text: str = "", issuer: str | None = None, parent: str | None = None
) -> str | None:
    """Why `number` (`595/UBND-NC`) does not look like its issuer's notation, or None.
    `text`: the document's text, to see whether the number is cut short where it is printed."""
    if not number or ("/" not in number and "-" not in number):
        return None
    head = re.split(r"[/-]", number, maxsplit=1)[0]
    symbol = number[len(head) + 1 :]
    symbol = re.sub(r"^\d{4}/", "", symbol)  # `52/2025/QĐ-UBND`: the year
    if text:
        at = text.find(number)
        if at >= 0:
            after = text[at + len(number) : at + len(number) + 1]
            if after and (after.isalnum() or after in "§$@#%&"):
                return f"ký hiệu bị cắt (`{number}{after}`)"
    parts = [p for p in re.split(r"[-/]", symbol) if p]
    if not parts:
        return "thiếu ký hiệu"
    bad = [p for p in parts if not _PART.match(p)]
    if bad:
        return f"ký hiệu `{'-'.join(bad)}` không đúng dạng"
    known = default_lexicon().symbols
    own = initials(issuer) | initials(parent)
    if not any(p in known or p in own or fold(p).upper() in own for p in parts):
        return f"ký hiệu `{symbol}` không khớp với cơ quan ban hành"
    return None
