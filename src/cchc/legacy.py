"""Pre-Unicode Vietnamese encodings: TCVN3 (ABC, `.VnTime`), VNI-Windows and VIQR, detected and
converted to Unicode; text typed with these fonts reaches us as mojibake
(`Céng hßa x· héi chñ nghÜa`, `Coäng hoøa xaõ hoäi`, `Co^.ng ho`a xa~ ho^.i`)."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from cchc.text import nfc

# Precomposed Vietnamese letters (Ạ–ỹ) and ă, đ, ơ, ư: a real Unicode text has many.
_UNICODE_VIETNAMESE = re.compile(r"[\u1ea0-\u1ef9ăđơưĂĐƠƯ]")
_VIQR = re.compile(r"(?:[aeiouyAEIOUY][(^+]?[`'?~.]|[aAoOuU][(^+]|[dD][dD])(?=[a-zA-Z\s,;:)])")


def _table(name: str) -> dict[str, str]:
    rows = resources.files("cchc.data").joinpath(name).read_text("utf-8").splitlines()
    return dict(row.split("\t") for row in rows if row and not row.startswith("#"))


@cache
def _tcvn3() -> dict[int, str]:
    return {int(code, 16): letter for code, letter in _table("tcvn3.tsv").items()}


@cache
def _tcvn3_marks() -> re.Pattern:
    """Glyph codes that TCVN3 uses and Unicode Vietnamese never does (µ, ¸, ß, ×, ®, …)."""
    codes = "".join(chr(c) for c in _tcvn3() if not _UNICODE_VIETNAMESE.match(chr(c)))
    # Leave out what Unicode Vietnamese or VNI also write (á, ê, ô, ø, ñ …).
    codes = "".join(c for c in codes if c not in "áàâãèéêìíòóôõùúýÊÈÉÌÒÕÓÔÝøûïåäüëöñæîÑÖÎË")
    return re.compile("[" + re.escape(codes) + "]")


@cache
def _vni() -> tuple[re.Pattern, dict[str, str]]:
    table = _table("vni.tsv")
    keys = sorted(table, key=len, reverse=True)
    return re.compile("|".join(re.escape(k) for k in keys)), table


_VNI_SIGNS = re.compile(r"[aeiouyAEIOUY][ùøûõïâáàåãäêéèúüëÙØÛÕÏÂÁÀÅÃÄÊÉÈÚÜË]|ö|Ö|ñ(?=[a-z])")


def detect(text: str) -> str | None:
    """'tcvn3', 'vni', 'viqr' or None, from the first 5,000 characters."""
    if len(_UNICODE_VIETNAMESE.findall(text[:1500])) >= 30:
        return None  # plainly Unicode Vietnamese: the common case, decided cheaply
    sample = text[:5000]
    words = max(1, len(sample.split()))
    if len(_UNICODE_VIETNAMESE.findall(sample)) / words > 0.05:
        return None
    tcvn3 = len(_tcvn3_marks().findall(sample))
    vni = len(_VNI_SIGNS.findall(sample))
    if vni / words > 0.15 and vni > tcvn3:
        return "vni"
    if tcvn3 / words > 0.08:
        return "tcvn3"
    if len(_VIQR.findall(sample)) / words > 0.2:
        return "viqr"
    return None


_WORD = re.compile(r"[^\W\d_]+")
_ASCII_LOWER = re.compile(r"[a-z]")


def _vntimeh_capitals(text: str) -> str:
    """Headings typed in the capitals-only fonts (.VnTimeH, .VnArialH) store their accented
    capitals with the lower-case codes: `CéNG HßA X· HéI` reads `CộNG HòA Xã HộI`. A line
    whose words have no lower-case a-z and one of which mixes two or more capitals A-Z with
    such a letter is upper-cased whole (`CỘNG HÒA XÃ HỘI`, `KT. CHỦ TỊCH`); other lines,
    `Số: 12/UBND` or `Hà Nội`, are left as typed."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        words = _WORD.findall(line)
        if (
            words
            and not _ASCII_LOWER.search(line)
            and any(
                sum(c.isupper() for c in w if c.isascii()) >= 2
                and any(not c.isascii() and c.islower() for c in w)
                for w in words
            )
        ):
            lines[i] = line.upper()
    return "\n".join(lines)


def to_unicode(text: str, encoding: str) -> str:
    if encoding == "tcvn3":
        return nfc(_vntimeh_capitals(text.translate(_tcvn3())))
    if encoding == "vni":
        pattern, table = _vni()
        return nfc(pattern.sub(lambda m: table[m.group(0)], text))
    if encoding == "viqr":
        return viqr_to_unicode(text)
    raise ValueError(f"unknown legacy encoding {encoding!r}")


_VIQR_VOWEL = {"(": "\u0306", "^": "\u0302", "+": "\u031b"}
_VIQR_TONE = {"'": "\u0301", "`": "\u0300", "?": "\u0309", "~": "\u0303", ".": "\u0323"}
_VIQR_LETTER = re.compile(r"([aeiouyAEIOUY])([(^+]?)([`'?~.]?)|([dD])([dD])")


def viqr_to_unicode(text: str) -> str:
    """`Vie^.t Nam` → `Việt Nam`; `dd` → `đ`. A tone mark is only read inside a word."""

    def letter(m: re.Match) -> str:
        if m.group(4):
            return "đ" if m.group(4) == "d" else "Đ"
        base, vowel, tone = m.group(1), m.group(2), m.group(3)
        after = text[m.end() : m.end() + 2]
        in_sentence = after[:1].isalpha() or (after[:1] == " " and after[1:2].islower())
        if tone in ".?" and not in_sentence:
            tone = ""  # a full stop or question mark, not the nặng / hỏi mark
        consumed = m.group(0)[: 1 + len(vowel) + len(tone)]
        rest = m.group(0)[len(consumed) :]
        return nfc(base + _VIQR_VOWEL.get(vowel, "") + _VIQR_TONE.get(tone, "")) + rest

    return _VIQR_LETTER.sub(letter, text)


def fix_legacy(text: str) -> tuple[str, str | None]:
    """(Unicode text, the legacy encoding found or None)."""
    encoding = detect(text)
    if encoding is None:
        return text, None
    return to_unicode(text, encoding), encoding
