"""Diacritic restoration: `cai cach hanh chinh` → `cải cách hành chính`.

A syllable n-gram model over Vietnamese administrative text (built by
`tools/build_diacritics_model.py`) scores each sequence of marked forms that fold to the input
syllables; a beam search keeps the best histories. Syllables that already carry marks are kept as
they are and serve as context; unknown syllables (names, foreign words) pass through untouched.
"""

from __future__ import annotations

import heapq
import marshal
import math
import zlib
from functools import cache
from importlib import resources

from cchc.repair.tokens import phrases
from cchc.text import fold, nfc

MODEL_FILE = "diacritics.bin"
BEAM = 5
# Backing off from a context seen in training costs its Witten-Bell weight (to this power, chosen
# on the benchmark split: 0.5–1.0 differ by < 0.05 points); from an unseen context, the
# stupid-backoff factor (Brants et al. 2007).
WITTEN_BELL = 0.7
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
        self.followers: list[dict[int, int]] = data["followers"]
        self._ctx_cache: dict[tuple[int, ...], tuple] = {}
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

    def _contexts(self, history: tuple[int, ...]) -> tuple[tuple[int, dict, float, int], ...]:
        """For each context length, longest first: (key, n-gram table, cost of backing off past
        it, its count). Computed once per history: every candidate syllable shares it."""
        found = self._ctx_cache.get(history)
        if found is not None:
            return found
        out = []
        size = self.size
        for n in range(len(history), 0, -1):
            context = history[-n:]
            if _UNKNOWN in context:
                out.append((-1, self.grams[n], BACKOFF, 0))
                continue
            key = 0
            for token in context:
                key = key * size + token
            total = self.grams[n - 1].get(key, 0)
            if total:
                # Witten-Bell: a context followed by few different syllables (`rà` → `soát`)
                # leaves little room for an unseen one.
                kinds = self.followers[n].get(key, 1)
                cost = WITTEN_BELL * math.log(kinds / (kinds + total))
            else:
                cost = BACKOFF
            out.append((key * size, self.grams[n], cost, total))
        found = tuple(out)
        if len(self._ctx_cache) > 200_000:
            self._ctx_cache.clear()
        self._ctx_cache[history] = found
        return found

    def _word_score(self, contexts, word: int) -> float:
        """log P(word | history), `contexts` being `self._contexts(history)`."""
        if word == _UNKNOWN:
            return self._floor
        penalty = 0.0
        for base, table, cost, total in contexts:
            if base >= 0:
                count = table.get(base + word)
                if count:
                    return penalty + math.log(count / max(total, count))
            penalty += cost
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
        # Each state keeps its path as (form, previous path): no copying per step.
        beam: list[tuple[float, tuple[int, ...], tuple | None]] = [(0.0, start, None)]
        for choices in options:
            best: dict[tuple[int, ...], tuple[float, tuple[int, ...], tuple | None]] = {}
            for score, history, path in beam:
                contexts = self._contexts(history)
                for form, wid, channel in choices:
                    new_score = score + channel + self._word_score(contexts, wid)
                    new_history = (*history[1:], wid)
                    known = best.get(new_history)
                    if known is None or known[0] < new_score:
                        best[new_history] = (new_score, new_history, (form, path))
            beam = heapq.nlargest(BEAM, best.values(), key=lambda s: s[0])
        forms: list[str] = []
        path = beam[0][2]
        while path is not None:
            forms.append(path[0])
            path = path[1]
        return forms[::-1]

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
