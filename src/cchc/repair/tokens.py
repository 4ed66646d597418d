"""Splitting text into runs of syllables the model decodes together."""

from __future__ import annotations

import re

# A syllable: letters only. Anything else (digits, punctuation, line breaks) ends a phrase,
# except plain spaces between syllables.
SYLLABLE = re.compile(r"[^\W\d_]+")
PHRASE = re.compile(r"[^\W\d_]+(?:[ \t]+[^\W\d_]+)*")


def phrases(text: str):
    """Yield (start, end, [syllable spans]) for each run of syllables separated by spaces."""
    for m in PHRASE.finditer(text):
        spans = [(s.start(), s.end()) for s in SYLLABLE.finditer(text, m.start(), m.end())]
        yield m.start(), m.end(), spans


def training_sequences(text: str) -> list[list[str]]:
    """Lower-cased syllable sequences, one per phrase, for counting n-grams."""
    return [[text[a:b].lower() for a, b in spans] for _, _, spans in phrases(text)]
