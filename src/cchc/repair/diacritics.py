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
import re
import zlib
from collections import Counter
from functools import cache
from importlib import resources
from itertools import pairwise

from cchc.repair.tokens import NUMBER, phrases
from cchc.text import fold, nfc

MODEL_FILE = "diacritics.bin"
BEAM = 5
# States scoring this far below the best are dropped: most syllables leave one or two in the beam.
BEAM_MARGIN = 6.0
# Backing off from a context seen in training costs its Witten-Bell weight (to this power, chosen
# on the benchmark split: 0.5–1.0 differ by < 0.05 points); from an unseen context, the
# stupid-backoff factor (Brants et al. 2007).
WITTEN_BELL = 0.7
BACKOFF = math.log(0.4)
_UNKNOWN = -1
# Ids of the padding before and after each phrase.
START, END = 0, 1
# A list item at the start of a line: `a)`, `b)`, `đ)`.
_LIST_ITEM = re.compile(r"^[ \t]*([^\W\d_])\)", re.MULTILINE)
# Weight of the second pass's cache model (chosen on a dev split of the training documents), and
# its pseudo-count.
CACHE = 0.7
CACHE_PRIOR = 1.0
# log P(OCR printed other marks on the same letters); n-grams must beat this to change a word.
OCR_MARK_SWAP = math.log(0.001)
# The same for a word OCR read surely: only overwhelming n-gram evidence changes it (`kiếm tra`).
OCR_SURE_SWAP = math.log(1e-6)


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
    """The n-gram model of one reading direction over the shared tables of counts: left to right
    (P of a syllable given the ones before it), or right to left (given the ones after it)."""

    def __init__(
        self, grams: list[dict[int, int]], kinds: list[dict[int, int]], size: int, backward: bool
    ):
        self.grams = grams
        # Per context, how many different syllables come next in this direction.
        self.kinds = kinds
        self.backward = backward
        self.size = size
        self.order = len(grams)
        self.start = (END if backward else START,) * (self.order - 1)
        self._ctx_cache: dict[tuple[int, ...], tuple] = {}
        self._floor = math.log(0.1 / sum(grams[0].values()))
        # Kneser-Ney: backed off to one syllable, what counts is how many different syllables it
        # comes after (before, right to left), not how often it occurs (`Ranh`: only after `Cam`).
        neighbours = Counter(key // size if backward else key % size for key in grams[1])
        total = sum(neighbours.values())
        self._log_unigram = {key: math.log(n / total) for key, n in neighbours.items()}

    def _contexts(self, history: tuple[int, ...]) -> tuple[tuple, float, dict[int, float]]:
        """What scoring a syllable after `history` needs, computed once per history: every
        candidate shares it. For each context length seen in training, longest first: (multiplier
        and offset giving the n-gram's key from the syllable's id, n-gram table, cost of backing
        off to it, its count); the cost of backing off to single syllables; the scores of the
        syllables met after `history` so far."""
        found = self._ctx_cache.get(history)
        if found is not None:
            return found
        out = []
        size = self.size
        penalty = 0.0
        for n in range(len(history), 0, -1):
            # The tables read left to right: right to left, the context comes after the syllable.
            context = history[: -n - 1 : -1] if self.backward else history[-n:]
            total = 0
            if _UNKNOWN not in context:
                key = 0
                for token in context:
                    key = key * size + token
                total = self.grams[n - 1].get(key, 0)
            if total:
                shift = (size**n, key) if self.backward else (1, key * size)
                out.append((*shift, self.grams[n], penalty, total))
                # Witten-Bell: a context followed by few different syllables (`rà` → `soát`)
                # leaves little room for an unseen one.
                kinds = self.kinds[n].get(key, 1)
                penalty += WITTEN_BELL * math.log(kinds / (kinds + total))
            else:  # never seen: no n-gram to look up
                penalty += BACKOFF
        found = (tuple(out), penalty, {})
        if len(self._ctx_cache) > 200_000:
            self._ctx_cache.clear()
        self._ctx_cache[history] = found
        return found

    def score(self, history: tuple[int, ...], word: int) -> float:
        """log P(word | history)."""
        contexts, penalty, scores = self._contexts(history)
        found = scores.get(word)
        if found is None:
            found = scores[word] = self._word_score(contexts, penalty, word)
        return found

    def _word_score(self, contexts: tuple, penalty: float, word: int) -> float:
        if word == _UNKNOWN:
            return self._floor
        for multiplier, offset, table, cost, total in contexts:
            count = table.get(word * multiplier + offset)
            if count:
                return cost + math.log(count / max(total, count))
        return penalty + self._log_unigram.get(word, self._floor)

    def sequence_score(self, ids: list[int], start: int, stop: int) -> float:
        """log P of `ids[start:stop]` given the syllables before them."""
        total = 0.0
        for i in range(start, stop):
            history = (*self.start, *ids[max(0, i - self.order + 1) : i])[1 - self.order :]
            total += self.score(history, ids[i])
        return total

    def search(self, options: list[list[tuple[str, int, float]]]) -> list[tuple[str, int, float]]:
        """The best option at each position, n-gram score plus channel score, by beam search."""
        # Each state keeps its path as (option, previous path): no copying per step.
        beam: list[tuple[float, tuple[int, ...], tuple | None]] = [(0.0, self.start, None)]
        known_contexts = self._ctx_cache
        for choices in options:
            best: dict[tuple[int, ...], tuple[float, tuple[int, ...], tuple | None]] = {}
            floor = -math.inf  # best score so far less the margin
            for score, history, path in beam:
                contexts, penalty, scores = known_contexts.get(history) or self._contexts(history)
                rest = history[1:]
                for option in choices:
                    wid = option[1]
                    word_score = scores.get(wid)
                    if word_score is None:
                        word_score = scores[wid] = self._word_score(contexts, penalty, wid)
                    new_score = score + option[2] + word_score
                    if new_score < floor:
                        continue
                    if new_score - BEAM_MARGIN > floor:
                        floor = new_score - BEAM_MARGIN
                    new_history = (*rest, wid)
                    known = best.get(new_history)
                    if known is None or known[0] < new_score:
                        best[new_history] = (new_score, new_history, (option, path))
            beam = [state for state in best.values() if state[0] >= floor]
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
        self._known_options: dict[str, list[tuple[str, int, float]]] = {}
        size = len(self.words)
        self.forward = _Ngrams(data["grams"], data["followers"], size, backward=False)
        self.backward = _Ngrams(data["grams"], data["preceders"], size, backward=True)

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
        found = self._known_options.get(lower)
        if found is not None:
            return found
        key = fold(lower)
        forms = self.candidates.get(key)
        if key != lower or not forms:  # already marked, or unknown: keep it, use it as context
            found = [(lower, self.ids.get(lower, _UNKNOWN), 0.0)]
        else:
            found = [(f, self.ids[f], 0.0) for f in forms[:8]]
        if len(self._known_options) < 100_000:
            self._known_options[lower] = found
        return found

    def _ocr_options(
        self, word: str, unsure: frozenset[str] | None = None
    ) -> list[tuple[str, int, float]]:
        """For Vietnamese OCR output: the printed form is likely, other marks of the same letters
        possible (`PHÓ` for `PHỐ`, `đảo tạo` for `đào tạo`); much less so when OCR was sure of
        the word (not in `unsure`)."""
        lower = word.lower()
        forms = self.candidates.get(fold(lower))
        printed = (lower, self.ids.get(lower, _UNKNOWN), 0.0)
        if not forms or (word.isupper() and not any(c in "aeiouy" for c in fold(lower))):
            return [printed]  # unknown, or an abbreviation such as GD, CTSV
        swap = OCR_MARK_SWAP if unsure is None or lower in unsure else OCR_SURE_SWAP
        others = [(f, self.ids[f], swap) for f in forms[:8] if f != lower]
        return [printed, *others]

    def restore_ocr(self, text: str, unsure: list[str] | None = None) -> str:
        """Fix the marks Tesseract's Vietnamese model got wrong, where the n-grams are sure; when
        OCR's word confidences are known, a word not in `unsure` only on overwhelming evidence."""
        if unsure is None:
            return self._rewrite(nfc(text), self._ocr_options)
        doubted = frozenset(nfc(w).lower() for w in unsure)
        return self._rewrite(nfc(text), lambda word: self._ocr_options(word, doubted))

    def restore(self, text: str) -> str:
        """`text` with the marks of every unmarked syllable restored; everything else as it was."""
        return self._rewrite(_list_letters(nfc(text)), self._options, second_pass=True)

    def _rewrite(self, text: str, options, second_pass: bool = False) -> str:
        found: list[tuple[list[tuple[int, int]], list[str], list, list[str]]] = []
        decoded: dict[tuple[str, ...], tuple[list, list[str]]] = {}  # a text repeats its phrases
        number = self.ids.get(NUMBER, _UNKNOWN)
        for _start, _end, spans in phrases(text):
            words = [text[a:b] for a, b in spans]
            key = tuple(w.lower() for w in words)
            if key not in decoded:
                choices = [[(w, number, 0.0)] if w[0].isdigit() else options(w) for w in key]
                decoded[key] = (choices, self.decode_options(choices))
            found.append((spans, words, *decoded[key]))
        if second_pass:
            found = self._second_pass(found)
        out: list[str] = []
        last = 0
        for spans, words, _choices, forms in found:
            for (a, b), word, form in zip(spans, words, forms, strict=True):
                out.append(text[last:a])
                out.append(_apply_case(word, form))
                last = b
        out.append(text[last:])
        return "".join(out)

    def _second_pass(self, found: list) -> list:
        """A cache model over the text itself: where a pair of syllables was read one way in most
        places (`ve tinh` → `vệ tinh`) and another way here, decode again with the readings of
        its other occurrences as extra evidence, near the syllables that disagree."""
        readings: dict[tuple[str, str], Counter] = {}
        for _spans, words, _choices, forms in found:
            keys = [w.lower() for w in words]
            for pair, read in zip(pairwise(keys), pairwise(forms), strict=True):
                readings.setdefault(pair, Counter())[read] += 1
        doubtful = {pair: counts for pair, counts in readings.items() if len(counts) > 1}
        out = []
        for spans, words, choices, forms in found:
            keys = [w.lower() for w in words]
            # Each syllable's pairs with its neighbours, left and right, where read two ways.
            pairs = [None, *(doubtful.get(pair) for pair in pairwise(keys)), None]
            if not any(pairs):
                out.append((spans, words, choices, forms))
                continue
            weighed = []
            disagree = []
            for i, options in enumerate(choices):
                # How the occurrences of the pair on each side read this syllable.
                seen = []
                for side, counts in ((1, pairs[i]), (0, pairs[i + 1])):
                    if counts and len(options) > 1:
                        seen.append(Counter())
                        for read, n in counts.items():
                            seen[-1][read[side]] += n
                bonus = _cache_bonus(options, forms[i], [c for c in seen if len(c) > 1])
                if bonus is not None:
                    options = [(f, w, c + b) for (f, w, c), b in zip(options, bonus, strict=True)]
                    if options[bonus.index(max(bonus))][0] != forms[i]:
                        disagree.append(i)
                weighed.append(options)
            if disagree:
                near = {j for i in disagree for j in range(i - self.order + 1, i + self.order)}
                weighed = [
                    options if j in near else [o for o in options if o[0] == forms[j]][:1]
                    for j, options in enumerate(weighed)
                ]
                forms = self.decode_options(weighed)
            out.append((spans, words, choices, forms))
        return out


def _list_letters(text: str) -> str:
    """Items run `a) b) c) d) đ) e)`: without marks, a `d)` item after a `d)` item is `đ)`."""
    letters = list(text)
    previous = ""
    for item in _LIST_ITEM.finditer(text):
        letter = item.group(1)
        if letter in "dD" and previous in "dD" and previous:
            letters[item.start(1)] = "đ" if letter == "d" else "Đ"
        previous = letter
    return "".join(letters)


def _cache_bonus(options: list, read: str, seen: list[Counter]) -> list[float] | None:
    """log P(option | how the other occurrences of its pairs were read), weighted by `CACHE`;
    the occurrence itself (read as `read`) left out, one pseudo-count shared by the options."""
    if not seen:
        return None
    bonus = [0.0] * len(options)
    for counts in seen:
        total = sum(counts.values()) - 1 + CACHE_PRIOR
        for j, (form, _wid, _channel) in enumerate(options):
            count = counts.get(form, 0) - (form == read)
            bonus[j] += CACHE * math.log((count + CACHE_PRIOR / len(options)) / total)
    return bonus


@cache
def default_model() -> DiacriticModel:
    return DiacriticModel.load()


def restore_diacritics(text: str) -> str:
    return default_model().restore(text)
