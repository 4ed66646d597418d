"""Splitting text into runs of syllables the model decodes together."""

from __future__ import annotations

import re

# A syllable: letters only. A phrase is a run of syllables separated by spaces or commas (a comma
# is a token of the model: `các xã, phường`); anything else ends it.
SYLLABLE = re.compile(r"[^\W\d_]+")
ITEM = re.compile(r"[^\W\d_]+|,")
# Hard-wrapped lines continue the phrase; a blank line ends it.
PHRASE = re.compile(r"[^\W\d_]+(?:(?:[ \t]*,[ \t]*|[ \t]*\n[ \t]*|[ \t]+)[^\W\d_]+)*")


def phrases(text: str):
    """Yield (start, end, [item spans]) for each run of syllables (and commas)."""
    for m in PHRASE.finditer(text):
        spans = [(s.start(), s.end()) for s in ITEM.finditer(text, m.start(), m.end())]
        yield m.start(), m.end(), spans


def training_sequences(text: str) -> list[list[str]]:
    """Lower-cased syllable sequences, one per phrase, for counting n-grams."""
    return [[text[a:b].lower() for a, b in spans] for _, _, spans in phrases(text)]
