"""Is a PDF page's text layer real text, or what a scanner's own OCR left there?

Scanners and their software (Kodak Capture, OmniPage) put an invisible text layer under the page
image, read without a Vietnamese model: "Dà Näng, ngày ,gtháng 10 nàm 2023", "V/v thrc hin
Thông báo sf3", "CONG Hcok xA HQI". Such a layer has letters enough to pass for text, and some
diacritics, so neither "no text" nor "no diacritics" catches it. Its words are not Vietnamese
syllables: a syllable is an onset, a vowel group of Vietnamese vowels, a permitted final and at
most one tone mark, and `Näng`, `thrc`, `sf3`, `Hcok` are none of these.
"""

from __future__ import annotations

import re
import unicodedata

# Tone marks (combining): grave, acute, tilde, hook above, dot below.
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
# Marks that make Vietnamese letters: breve (ă), circumflex (â ê ô), horn (ơ ư).
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
_SYLLABLE = re.compile(
    r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    r"[aăâeêioôơuưy]{1,3}"
    r"(?:ch|ng|nh|[cmnpt])?$"
)
_WORD = re.compile(r"[^\W_]+")
# A page's layer is the scanner's garbage when fewer of its words than this are syllables.
MIN_SYLLABLE_SHARE = 0.78  # the corpus: whole documents 0.81 and above; 3.pdf 0.68-0.74
MIN_WORDS = 20


def is_syllable(word: str) -> bool:
    """A Vietnamese syllable by its spelling (`Nẵng`, `nghiêng`; not `Näng`, `thrc`)."""
    tones = 0
    letters = []
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch in _TONE_MARKS:
            tones += 1
        elif unicodedata.combining(ch):
            if ch not in _LETTER_MARKS:
                return False
            letters.append(ch)
        else:
            letters.append(ch)
    base = unicodedata.normalize("NFC", "".join(letters))
    return tones <= 1 and bool(_SYLLABLE.match(base))


def syllable_share(text: str) -> tuple[float, int]:
    """(share of the words that are Vietnamese syllables, words counted). Words are runs of
    letters; short capitals (`UBND`, `SGDĐT`: abbreviations) and single letters are not
    counted; a word with a digit inside (`sf3`, `1un`) counts as no syllable."""
    good = total = 0
    for word in _WORD.findall(text):
        if len(word) < 2 or re.fullmatch(r"\d+", word):
            continue
        if word.isupper() and len(word) <= 6 and not is_syllable(word):
            continue  # an abbreviation
        total += 1
        good += word.isalpha() and is_syllable(word)
    return (good / total if total else 1.0), total


def is_garbage(layer: str) -> bool:
    """A text layer of enough words, too few of them Vietnamese syllables."""
    share, words = syllable_share(layer)
    return words >= MIN_WORDS and share < MIN_SYLLABLE_SHARE
