"""Diacritic restoration: `cai cach hanh chinh` → `cải cách hành chính`.

A syllable n-gram model over Vietnamese administrative text (built by
`tools/build_diacritics_model.py`) scores each sequence of marked forms that fold to the input
syllables; a beam search keeps the best histories. Syllables that already carry marks are kept as
they are and serve as context; unknown syllables (names, foreign words) pass through untouched.
"""

from __future__ import annotations

import marshal
import math
import zlib
from functools import cache
from importlib import resources

from cchc.repair.tokens import phrases
from cchc.text import fold, nfc

MODEL_FILE = "diacritics.bin"
BEAM = 6
# Stupid backoff (Brants et al. 2007): each step down to a shorter context costs this much.
BACKOFF = math.log(0.4)
_UNKNOWN = -1
# log P(OCR printed other marks on the same letters); n-grams must beat this to change a word.
OCR_MARK_SWAP = math.log(0.001)


def _apply_case(word: str, form: str) -> str:
    """Give `form` the capitals of `word` (THANH → THÀNH, Thanh → Thành, CTrTT stays)."""
    if len(word) == len(form):
        return "".join(f.upper() if w.isupper() else f for w, f in zip(word, form, strict=True))
    if word.isupper() and len(word) > 1:
        return form.upper()
    if word[:1].isupper():
        return form[:1].upper() + form[1:]
    return form


class DiacriticModel:
    def __init__(self, data: dict):
        self.order: int = data["order"]
        self.words: list[str] = data["words"]
        self.ids = {w: i for i, w in enumerate(self.words)}
        self.size = len(self.words)
        self.candidates: dict[str, list[str]] = data["candidates"]
        self.grams: list[dict[int, int]] = data["grams"]
        self._cache: dict[tuple[tuple[int, ...], int], float] = {}
        self.total = sum(self.grams[0].values())
        self._log_unigram = {
            key: math.log(count / self.total) for key, count in self.grams[0].items()
        }
        self._floor = math.log(0.1 / self.total)

    @classmethod
    def load(cls, blob: bytes | None = None) -> DiacriticModel:
        if blob is None:
            blob = resources.files("cchc.data").joinpath(MODEL_FILE).read_bytes()
        return cls(marshal.loads(zlib.decompress(blob)))

    # -- scoring ---------------------------------------------------------------------------

    def _score(self, history: tuple[int, ...], word: int) -> float:
        """log P(word | history) with stupid backoff over every context length."""
        cached = self._cache.get((history, word))
        if cached is not None:
            return cached
        score = self._backoff_score(history, word)
        if len(self._cache) > 500_000:
            self._cache.clear()
        self._cache[(history, word)] = score
        return score

    def _backoff_score(self, history: tuple[int, ...], word: int) -> float:
        if word == _UNKNOWN:
            return self._floor
        penalty = 0.0
        size = self.size
        for n in range(len(history), 0, -1):
            context = history[-n:]
            if _UNKNOWN in context:
                penalty += BACKOFF
                continue
            key = 0
            for token in context:
                key = key * size + token
            count = self.grams[n].get(key * size + word)
            if count:
                return penalty + math.log(count / self.grams[n - 1].get(key, count))
            penalty += BACKOFF
        return penalty + self._log_unigram.get(word, self._floor)

    def _options(self, word: str) -> list[tuple[str, int, float]]:
        """(marked form, id, channel log-probability) for one syllable of unmarked text."""
        lower = word.lower()
        key = fold(lower)
        forms = self.candidates.get(key)
        if key != lower or not forms:  # already marked, or unknown: keep it, use it as context
            return [(lower, self.ids.get(lower, _UNKNOWN), 0.0)]
        return [(f, self.ids[f], 0.0) for f in forms[:8]]

    def decode_options(self, options: list[list[tuple[str, int, float]]]) -> list[str]:
        """The best form at each position: n-gram score plus channel score, by beam search."""
        start = (0,) * (self.order - 1)
        beam: list[tuple[float, tuple[int, ...], tuple[str, ...]]] = [(0.0, start, ())]
        for choices in options:
            best: dict[tuple[int, ...], tuple[float, tuple[int, ...], tuple[str, ...]]] = {}
            for score, history, out in beam:
                for form, wid, channel in choices:
                    new_score = score + channel + self._score(history, wid)
                    new_history = (*history[1:], wid)
                    known = best.get(new_history)
                    if known is None or known[0] < new_score:
                        best[new_history] = (new_score, new_history, (*out, form))
            beam = sorted(best.values(), key=lambda s: s[0], reverse=True)[:BEAM]
        return list(beam[0][2])

    def _ocr_options(self, word: str) -> list[tuple[str, int, float]]:
        """For Vietnamese OCR output: the printed form is likely, other marks of the same letters
        possible (`PHÓ` for `PHỐ`, `đảo tạo` for `đào tạo`)."""
        lower = word.lower()
        forms = self.candidates.get(fold(lower))
        printed = (lower, self.ids.get(lower, _UNKNOWN), 0.0)
        if not forms or (word.isupper() and not any(c in "aeiouy" for c in fold(lower))):
            return [printed]  # unknown, or an abbreviation such as GD, CTSV
        others = [(f, self.ids[f], OCR_MARK_SWAP) for f in forms[:8] if f != lower]
        return [printed, *others]

    def restore_ocr(self, text: str) -> str:
        """Fix the marks Tesseract's Vietnamese model got wrong, where the n-grams are sure."""
        return self._rewrite(nfc(text), self._ocr_options)

    def restore(self, text: str) -> str:
        """`text` with the marks of every unmarked syllable restored; everything else as it was."""
        return self._rewrite(nfc(text), self._options)

    def _rewrite(self, text: str, options) -> str:
        out: list[str] = []
        last = 0
        for _start, _end, spans in phrases(text):
            words = [text[a:b] for a, b in spans]
            forms = self.decode_options([options(w) for w in words])
            for (a, b), word, form in zip(spans, words, forms, strict=True):
                out.append(text[last:a])
                out.append(_apply_case(word, form))
                last = b
        out.append(text[last:])
        return "".join(out)


@cache
def default_model() -> DiacriticModel:
    return DiacriticModel.load()


def restore_diacritics(text: str) -> str:
    return default_model().restore(text)
