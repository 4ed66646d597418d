"""Diacritic restoration: `cai cach hanh chinh` → `cải cách hành chính`.

A syllable n-gram model over Vietnamese administrative text (built by
`tools/build_diacritics_model.py`) scores each sequence of marked forms that fold to the input
syllables; a beam search keeps the best histories. The same counts read right to left give a
second search; where the two disagree, the joint score of both decides. Syllables that already
carry marks are kept as they are and serve as context; unknown syllables (names, foreign words)
pass through untouched.
"""

from __future__ import annotations

import heapq
import marshal
import math
import zlib
from collections import Counter
from functools import cache
from importlib import resources

from cchc.repair.tokens import phrases
from cchc.text import fold, nfc

MODEL_FILE = "diacritics.bin"
BEAM = 5
# States scoring this far below the best are dropped: most syllables leave one or two in the beam.
BEAM_MARGIN = 10.0
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


class _Ngrams:
    """The n-gram tables of one reading direction (left to right, or right to left)."""

    def __init__(self, grams: list[dict[int, int]], followers: list[dict[int, int]], size: int):
        self.grams = grams
        self.followers = followers
        self.size = size
        self.order = len(grams)
        self._ctx_cache: dict[tuple[int, ...], tuple] = {}
        self._floor = math.log(0.1 / sum(grams[0].values()))
        # Kneser-Ney: backed off to one syllable, what counts is how many different syllables it
        # follows, not how often it occurs (`Ranh` is frequent, but only after `Cam`).
        kinds = Counter(key % size for key in grams[1])
        total = sum(kinds.values())
        self._log_unigram = {key: math.log(count / total) for key, count in kinds.items()}

    def _contexts(self, history: tuple[int, ...]) -> tuple[tuple, dict[int, float]]:
        """For each context length, longest first: (key, n-gram table, cost of backing off past
        it, its count); and the scores of the syllables met after `history` so far. Computed
        once per history: every candidate syllable shares it."""
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
        found = (tuple(out), {})
        if len(self._ctx_cache) > 200_000:
            self._ctx_cache.clear()
        self._ctx_cache[history] = found
        return found

    def score(self, history: tuple[int, ...], word: int) -> float:
        """log P(word | history)."""
        contexts, scores = self._contexts(history)
        found = scores.get(word)
        if found is None:
            found = scores[word] = self._word_score(contexts, word)
        return found

    def _word_score(self, contexts, word: int) -> float:
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

    def sequence_score(self, ids: list[int], start: int, stop: int) -> float:
        """log P of `ids[start:stop]` given the syllables before them."""
        pad = (0,) * (self.order - 1)
        total = 0.0
        for i in range(start, stop):
            history = (*pad, *ids[max(0, i - self.order + 1) : i])[1 - self.order :]
            total += self.score(history, ids[i])
        return total

    def search(self, options: list[list[tuple[str, int, float]]]) -> list[tuple[str, int, float]]:
        """The best option at each position, n-gram score plus channel score, by beam search."""
        start = (0,) * (self.order - 1)
        # Each state keeps its path as (option, previous path): no copying per step.
        beam: list[tuple[float, tuple[int, ...], tuple | None]] = [(0.0, start, None)]
        for choices in options:
            best: dict[tuple[int, ...], tuple[float, tuple[int, ...], tuple | None]] = {}
            top = -math.inf
            for score, history, path in beam:
                contexts, scores = self._contexts(history)
                rest = history[1:]
                for option in choices:
                    wid = option[1]
                    word_score = scores.get(wid)
                    if word_score is None:
                        word_score = scores[wid] = self._word_score(contexts, wid)
                    new_score = score + option[2] + word_score
                    if new_score < top - BEAM_MARGIN:
                        continue
                    top = max(top, new_score)
                    new_history = (*rest, wid)
                    known = best.get(new_history)
                    if known is None or known[0] < new_score:
                        best[new_history] = (new_score, new_history, (option, path))
            beam = [state for state in best.values() if state[0] >= top - BEAM_MARGIN]
            if len(beam) > BEAM:
                beam = heapq.nlargest(BEAM, beam, key=lambda s: s[0])
        chosen: list[tuple[str, int, float]] = []
        path = max(beam, key=lambda s: s[0])[2]
        while path is not None:
            chosen.append(path[0])
            path = path[1]
        return chosen[::-1]


class DiacriticModel:
    def __init__(self, data: dict):
        self.order: int = data["order"]
        self.words: list[str] = data["words"]
        self.ids = {w: i for i, w in enumerate(self.words)}
        self.candidates: dict[str, list[str]] = data["candidates"]
        size = len(self.words)
        self.forward = _Ngrams(data["grams"], data["followers"], size)
        self.backward = _Ngrams(data["back_grams"], data["back_followers"], size)

    @classmethod
    def load(cls, blob: bytes | None = None) -> DiacriticModel:
        if blob is None:
            blob = resources.files("cchc.data").joinpath(MODEL_FILE).read_bytes()
        return cls(marshal.loads(zlib.decompress(blob)))

    def decode_options(self, options: list[list[tuple[str, int, float]]]) -> list[str]:
        """The best form at each position. The left-to-right and the right-to-left models each
        search; where they disagree, the stretch whose joint score (channel plus the mean of both
        models) is higher wins."""
        ahead = self.forward.search(options)
        behind = self.backward.search(options[::-1])[::-1]
        chosen = list(ahead)
        # Stretches that differ, with fewer than `order` agreeing syllables between them merged:
        # then the choice of one does not change the scores of another.
        stretches: list[list[int]] = []
        for i, (a, b) in enumerate(zip(ahead, behind, strict=True)):
            if a[0] != b[0]:
                if stretches and i - stretches[-1][1] < self.order:
                    stretches[-1][1] = i
                else:
                    stretches.append([i, i])
        for first, last in stretches:
            start = max(0, first - self.order + 1)
            stop = min(len(chosen), last + self.order)
            trial = chosen[:first] + behind[first : last + 1] + chosen[last + 1 :]
            if self._joint(trial, start, stop) > self._joint(chosen, start, stop):
                chosen = trial
        return [option[0] for option in chosen]

    def _joint(self, chosen: list[tuple[str, int, float]], start: int, stop: int) -> float:
        """Score of `chosen[start:stop]`, the rest being fixed: channel plus the mean of the
        left-to-right and right-to-left n-gram scores."""
        ids = [option[1] for option in chosen]
        n = len(ids)
        ahead = self.forward.sequence_score(ids, start, stop)
        behind = self.backward.sequence_score(ids[::-1], n - stop, n - start)
        return sum(option[2] for option in chosen[start:stop]) + (ahead + behind) / 2

    def _options(self, word: str) -> list[tuple[str, int, float]]:
        """(marked form, id, channel log-probability) for one syllable of unmarked text."""
        lower = word.lower()
        key = fold(lower)
        forms = self.candidates.get(key)
        if key != lower or not forms:  # already marked, or unknown: keep it, use it as context
            return [(lower, self.ids.get(lower, _UNKNOWN), 0.0)]
        return [(f, self.ids[f], 0.0) for f in forms[:8]]

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
        decoded: dict[tuple[str, ...], list[str]] = {}  # a document repeats its phrases
        for _start, _end, spans in phrases(text):
            words = [text[a:b] for a, b in spans]
            key = tuple(w.lower() for w in words)
            forms = decoded.get(key)
            if forms is None:
                forms = decoded[key] = self.decode_options([options(w) for w in words])
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
