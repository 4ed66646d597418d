"""Repair of garbled OCR: text read without the Vietnamese model (`Kinh gui`, `béo c4o`, `dugc`).

A noisy-channel decoder: each token's candidates are the marked syllables whose folded form is
within a small edit distance of the token's folded form (after the usual digit-for-letter OCR
swaps), each edit costing `EDIT`; the syllable n-gram model of `diacritics.py` chooses among them.
Marks printed by such OCR are noise (`é` stands for ê, ã, ă …), so they are not trusted.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from cchc.repair.diacritics import _UNKNOWN, DiacriticModel, _apply_case, default_model
from cchc.text import fold, nfc

# Characters OCR puts for letters inside words: `S6` = Số, `x4` = xã, `c40` = cao, `n01` = nội.
_DIGIT_LETTERS = str.maketrans(
    {"6": "o", "4": "a", "3": "a", "0": "o", "1": "l", "5": "s", "¢": "o", "€": "e", "&": "a"}
)
TOKEN = re.compile(r"[^\W_]*[^\W\d_][^\W_]*|[^\W\d_]*[&¢€][^\W\d_]*", re.UNICODE)
PHRASE = re.compile(r"(?:[^\W_]|[&¢€])+(?:[ \t]+(?:[^\W_]|[&¢€])+)*")
EDIT = math.log(0.02)
MAX_OPTIONS = 24


class OcrRepairer:
    def __init__(self, model: DiacriticModel):
        self.model = model
        self.keys = list(model.candidates)

    @lru_cache(maxsize=50_000)  # noqa: B019 - one repairer lives for the process
    def _near(self, key: str) -> tuple[tuple[str, int], ...]:
        """Folded syllables within edit distance 1 (2 for longer tokens that are no syllable)."""
        limit = 1 if key in self.model.candidates or len(key) < 4 else 2
        found = process.extract(
            key, self.keys, scorer=Levenshtein.distance, score_cutoff=limit, limit=40
        )
        return tuple((k, int(d)) for k, d, _ in found)

    def options(self, token: str) -> list[tuple[str, int, float]]:
        key = fold(token).translate(_DIGIT_LETTERS)
        if token.isdigit() or not key.isalpha():
            return [(token, _UNKNOWN, 0.0)]
        options: list[tuple[str, int, float]] = []
        for near, distance in self._near(key):
            for rank, form in enumerate(self.model.candidates[near][:6]):
                options.append((form, self.model.ids[form], distance * EDIT - 0.01 * rank))
        if not options:
            return [(token.lower(), self.model.ids.get(token.lower(), _UNKNOWN), 0.0)]
        options.sort(key=lambda o: o[2], reverse=True)
        return options[:MAX_OPTIONS]

    def repair(self, text: str) -> str:
        text = nfc(text)
        out: list[str] = []
        last = 0
        for phrase in PHRASE.finditer(text):
            spans = [
                (m.start(), m.end()) for m in TOKEN.finditer(text, phrase.start(), phrase.end())
            ]
            tokens = [text[a:b] for a, b in spans]
            if not tokens:
                continue
            forms = self.model.decode_options([self.options(t) for t in tokens])
            for (a, b), token, form in zip(spans, tokens, forms, strict=True):
                out.append(text[last:a])
                out.append(token if form == token else _apply_case(_case_source(token), form))
                last = b
        out.append(text[last:])
        return "".join(out)


def _case_source(token: str) -> str:
    """Case pattern of a garbled token, ignoring its digits (`S6` is capitalised, `HQI` upper)."""
    letters = "".join(c for c in token if c.isalpha())
    return letters or token


@lru_cache(maxsize=1)
def default_repairer() -> OcrRepairer:
    return OcrRepairer(default_model())


def repair_garbled(text: str) -> str:
    return default_repairer().repair(text)
