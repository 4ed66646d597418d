"""Text rules shared by every stage: NFC, one tone-mark placement, and a folded form for matching.

`fold` maps each NFC character to exactly one character, so offsets found in the folded text are
valid in the original: a search on `fold(text)` can highlight the same span of `text`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Combining marks that carry a Vietnamese tone (huyền, sắc, hỏi, ngã, nặng).
TONE_MARKS = "\u0300\u0301\u0309\u0303\u0323"
# Combining marks that change the vowel itself (ơ/ư horn, â/ê/ô circumflex, ă breve).
VOWEL_MARKS = "\u031b\u0302\u0306"
_VOWELS = set("aeiouyAEIOUY")
_WORD = re.compile(r"[^\W\d_]+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", ch)[0]
    folded = base.casefold()
    return folded if len(folded) == 1 else base


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    """One translation table for the first 12,288 code points; built once (~30 ms)."""
    table = {}
    for code in range(0x41, 0x3000):
        ch = chr(code)
        folded = _fold_char(ch)
        if folded != ch:
            table[code] = folded
    return table


def fold(text: str) -> str:
    """Remove diacritics, map đ→d and case-fold; one output character per input character."""
    text = nfc(text)
    if text.isascii():
        return text.lower()
    return text.translate(_fold_table())


@lru_cache(maxsize=65536)  # a document repeats its syllables
def _place_tone(syllable: str) -> str:
    """Move the tone mark of one syllable to its traditional place (hòa, ủy, thúy, quý, già)."""
    decomposed = unicodedata.normalize("NFD", syllable)
    tones = [c for c in decomposed if c in TONE_MARKS]
    if len(tones) != 1:
        return syllable
    bare = [c for c in decomposed if c not in TONE_MARKS]
    # Group each base letter with the combining marks that follow it.
    letters: list[list[str]] = []
    for c in bare:
        if unicodedata.combining(c) and letters:
            letters[-1].append(c)
        else:
            letters.append([c])
    vowel_idx = [i for i, g in enumerate(letters) if g[0] in _VOWELS]
    if not vowel_idx:
        return syllable
    # "qu" and "gi" + vowel: the u / i belongs to the consonant.
    head = "".join(g[0] for g in letters[:2]).lower()
    if head in ("qu", "gi") and len(vowel_idx) > 1 and vowel_idx[0] == 1:
        vowel_idx = vowel_idx[1:]
    marked = [i for i in vowel_idx if any(m in VOWEL_MARKS for m in letters[i][1:])]
    has_final = vowel_idx[-1] < len(letters) - 1
    if marked:
        target = marked[-1]
    elif len(vowel_idx) == 1:
        target = vowel_idx[0]
    elif has_final:
        target = vowel_idx[-1]
    elif len(vowel_idx) >= 3:
        target = vowel_idx[1]
    else:
        target = vowel_idx[0]
    letters[target].append(tones[0])
    return nfc("".join("".join(g) for g in letters))


def canonical(text: str) -> str:
    """NFC with every tone mark in its traditional place, so `hoà` and `hòa` compare equal."""
    text = nfc(text)
    if text.isascii():
        return text
    return _WORD.sub(lambda m: _place_tone(m.group(0)), text)


def same(a: str, b: str) -> bool:
    """True when two strings are the same Vietnamese text, whatever the tone-mark placement."""
    return canonical(a) == canonical(b)


def strip_marks(text: str) -> str:
    """Remove every Vietnamese mark but keep the case: `Cải Cách` → `Cai Cach`."""
    return "".join(
        c
        for c in unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
        if not unicodedata.combining(c)
    )


def count_letters(text: str) -> int:
    return sum(1 for c in text if c.isalpha())


def squash(text: str) -> str:
    """Collapse runs of white space to one space and strip the ends."""
    return " ".join(text.split())


def is_upper_line(line: str) -> bool:
    """True when the letters of a line are (almost all) capitals, as in headers and titles."""
    letters = [c for c in line if c.isalpha()]
    if not letters:
        return False
    upper = sum(1 for c in letters if c.isupper())
    return upper / len(letters) >= 0.85


def vn_number(value: float, places: int = 2) -> str:
    """84.375 → '84,38', -1.5 → '−1,5': a decimal comma, no trailing zeros, the minus sign."""
    text = f"{value:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",").replace("-", "\u2212")


# Words that keep their capitals in running text (folded).
_ACRONYMS = {"ubnd", "hdnd", "mttq", "cchc", "vp", "tp", "tx", "bhxh", "cntt", "tw", "ttr"}
# The kinds of place a name ends with: the words after them are the place's proper name.
_PLACE_PAIRS = {"thi xa", "thanh pho", "thi tran"}
_PLACE_SINGLES = {"xa", "phuong", "tinh", "huyen", "quan"}
# Bodies whose own name follows capitalised: "Sở Nội vụ", "Bộ Tài chính", "Phòng Nội vụ".
_BODIES = {"so", "bo", "phong", "cuc"}


def _capitalised(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


def running_name(name: str) -> str:
    """An issuer's name as running text writes it, when it is printed in capitals:
    "ỦY BAN NHÂN DÂN THỊ XÃ AN PHÚ" → "Ủy ban nhân dân thị xã An Phú", "SỞ KẾ HOẠCH VÀ ĐẦU TƯ
    TỈNH BÌNH LONG" → "Sở Kế hoạch và Đầu tư tỉnh Bình Long". The first word, the words after
    a place's kind (xã, phường, thị xã, huyện, tỉnh, thành phố …), the first word of a body's
    own name (after Sở, Bộ, Phòng, Cục, and after "và" or "-" in it) are capitalised; known
    abbreviations (UBND, HĐND …) kept. A name not in capitals is returned as it is."""
    name = squash(canonical(name or ""))
    if not is_upper_line(name):
        return name
    words = name.split(" ")
    out: list[str] = []
    place = body = False
    capitalise = True  # the first word
    index = 0
    while index < len(words):
        word = words[index]
        folded = fold(word).strip(".,;:")
        following = fold(words[index + 1]) if index + 1 < len(words) else ""
        if out and f"{folded} {following}" in _PLACE_PAIRS:
            out += [word.lower(), words[index + 1].lower()]
            place, body, capitalise, index = True, False, False, index + 2
            continue
        if out and folded in _PLACE_SINGLES and not place:
            out.append(word.lower())
            place, body, capitalise, index = True, False, False, index + 1
            continue
        if folded in _ACRONYMS:
            out.append(word)
        elif capitalise or place:
            out.append(_capitalised(word))
        else:
            out.append(word.lower())
        if folded in _BODIES and not place:
            body, capitalise = True, True
        else:
            capitalise = body and folded in {"va", "-", "–"}
        index += 1
    return " ".join(out)
