"""Splitting text into runs of syllables the model decodes together."""

from __future__ import annotations

import re

# A syllable: letters only. A phrase is a run of syllables, numbers and commas separated by spaces
# or a slash (a comma is a token of the model: `các xã, phường`; every number is one token,
# `NUMBER`: `diện tích 120 ha`, `ngày 15 tháng 3`; `đồng/ha`); anything else ends it.
SYLLABLE = re.compile(r"[^\W\d_]+")
NUMBER = "0"
_WORD = r"(?:[^\W\d_]+|\d+(?:[.,]\d+)*(?!\w))"
ITEM = re.compile(_WORD + "|,")
# Hard-wrapped lines continue the phrase; a blank line ends it.
PHRASE = re.compile(_WORD + r"(?:(?:[ \t]*,[ \t]*|[ \t]*\n[ \t]*|[ \t]+|/)" + _WORD + ")*")


def phrases(text: str):
    """Yield (start, end, [item spans]) for each run of syllables (and numbers, commas)."""
    for m in PHRASE.finditer(text):
        spans = [(s.start(), s.end()) for s in ITEM.finditer(text, m.start(), m.end())]
        yield m.start(), m.end(), spans


def training_sequences(text: str) -> list[list[str]]:
    """Lower-cased syllable sequences, one per phrase, numbers as `NUMBER`, for counting n-grams."""
    return [
        [NUMBER if text[a].isdigit() else text[a:b].lower() for a, b in spans]
        for _, _, spans in phrases(text)
    ]
