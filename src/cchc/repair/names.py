"""Proper names and ký hiệu from lexicons, not from the general n-gram model.

`data/names.json` (built by `tools/build_names.py`) holds, per position of a personal name
(family, middle, given), how often each marked syllable was seen; place names by level; the parts
of ký hiệu. A garbled name is read syllable by syllable: the lexicon's forms near what OCR printed,
scored by the OCR channel plus the log of their frequency in that position (`Pham Thuy Luan` →
Phạm Thụy Luân, where the n-gram model, which knows `thủy` from `thủy lợi`, would say Thủy). A
garbled place after `huyện`, `tỉnh`, `xã` … is the nearest place of that level
(`Pirc Co` → Đức Cơ).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from cchc.text import fold

NAMES_FILE = "names.json"
# Which levels of place a place word names.
PLACE_LEVELS = {
    "tỉnh": ("province",),
    "thành phố": ("province", "district"),
    "huyện": ("district",),
    "quận": ("district",),
    "thị xã": ("district",),
    "xã": ("commune",),
    "phường": ("commune",),
    "thị trấn": ("commune",),
}
# A name read from the lexicon must cost at most this much per syllable in the channel (log P of
# the edits that turn it into what OCR printed): about two unseen edits.
MAX_COST_PER_SYLLABLE = -12.5

# The general model's reading of a name's syllable counts as a name seen this often.
NEW_NAME = 1.0

Channel = Callable[[str, str], float]


@dataclass
class Reading:
    """A proper name read from a lexicon: its syllables and how sure (0–1) the reading is."""

    forms: list[str]
    sure: float


class Lexicon:
    def __init__(self, data: dict):
        self.positions = {
            position: {
                key: sorted(forms.items(), key=lambda kv: -kv[1])
                for key, forms in data[position].items()
            }
            for position in ("family", "middle", "given")
        }
        self.totals = {
            position: sum(n for forms in table.values() for _, n in forms)
            for position, table in self.positions.items()
        }
        self.keys = {position: list(table) for position, table in self.positions.items()}
        self.symbols: dict[str, int] = data["symbols"]
        self._symbols_by_fold: dict[str, str] = {}
        for part, _n in sorted(self.symbols.items(), key=lambda kv: kv[1]):
            self._symbols_by_fold[fold(part)] = part  # the most frequent last
        self.places: dict[str, dict[int, tuple[list[str], list[str]]]] = {}
        for level, names in data["places"].items():
            by_length: dict[int, tuple[list[str], list[str]]] = {}
            for name in names:
                folded, forms = by_length.setdefault(len(name.split()), ([], []))
                folded.append(fold(name))
                forms.append(name)
            self.places[level] = by_length
        self._place_sets = {
            level: {fold(n) for n in names} for level, names in data["places"].items()
        }

    @classmethod
    def load(cls) -> Lexicon:
        text = resources.files("cchc.data").joinpath(NAMES_FILE).read_text("utf-8")
        return cls(json.loads(text))

    # -- persons -------------------------------------------------------------------------------

    def syllable(
        self, position: str, seen: str, key: str, channel: Channel, general: str | None = None
    ):
        """(best form, its score, sure 0–1) for one syllable of a personal name, or None when
        nothing is near. `seen`: the folded token; `key`: the same with the OCR digit-for-letter
        swaps undone; `general`: the general model's reading, a candidate too with the weight
        of a name seen `NEW_NAME` times (names the lexicon never saw: `Cương` is not `Cường`)."""
        table = self.positions[position]
        limit = 1 if len(key) < 4 else 2
        near = process.extract(
            key, self.keys[position], scorer=Levenshtein.distance, score_cutoff=limit, limit=20
        )
        counts: dict[str, list[float]] = {}  # form: [channel cost, count]
        for found, _distance, _ in near:
            cost = channel(found, seen)
            for form, n in table[found]:
                counts[form] = [cost, n]
        if general:
            entry = counts.setdefault(general, [channel(fold(general), seen), 0.0])
            entry[1] += NEW_NAME
        if not counts:
            return None
        total = self.totals[position] + NEW_NAME
        scored = sorted(
            ((cost + math.log(n / total), form) for form, (cost, n) in counts.items()),
            reverse=True,
        )
        best, form = scored[0]
        # How much of the probability the best reading holds against the others.
        mass = sum(math.exp(s - best) for s, _ in scored)
        return form, best, 1 / mass

    def person(
        self, tokens: list[str], keys: list[str], general: list[str], channel: Channel
    ) -> Reading | None:
        """A personal name of 2–5 syllables whose family name is in the lexicon, or None.
        The general model's reading of each later syllable (`general`) competes with the
        lexicon's forms (`syllable`)."""
        if not 2 <= len(tokens) <= 5:
            return None
        forms: list[str] = []
        sure = 1.0
        for i, (token, key) in enumerate(zip(tokens, keys, strict=True)):
            position = "family" if i == 0 else "given" if i == len(tokens) - 1 else "middle"
            found = self.syllable(
                position, fold(token), key, channel, general[i].capitalize() if i else None
            )
            if found is None:
                return None
            form, score, share = found
            if i == 0 and score - math.log(0.5) < 1.5 * MAX_COST_PER_SYLLABLE:
                return None  # not a family name: no personal name here
            forms.append(form)
            sure = min(sure, share)
        return Reading(forms, sure)

    # -- places --------------------------------------------------------------------------------

    def is_place(self, name: str, levels: tuple[str, ...]) -> bool:
        return any(fold(name) in self._place_sets.get(level, ()) for level in levels)

    def place(self, tokens: list[str], levels: tuple[str, ...], channel: Channel) -> Reading | None:
        """The place of one of `levels` nearest to the garbled `tokens` (all of them)."""
        seen = [fold(t) for t in tokens]
        joined = " ".join(seen)
        limit = max(1, len(joined) // 2)
        scored: list[tuple[float, str]] = []
        for level in levels:
            folded, forms = self.places.get(level, {}).get(len(tokens), ([], []))
            for _found, _distance, index in process.extract(
                joined, folded, scorer=Levenshtein.distance, score_cutoff=limit, limit=10
            ):
                words = folded[index].split()
                cost = sum(channel(w, s) for w, s in zip(words, seen, strict=True))
                scored.append((cost, forms[index]))
        if not scored:
            return None
        scored.sort(reverse=True)
        best, name = scored[0]
        if best < MAX_COST_PER_SYLLABLE * len(tokens):
            return None
        mass = sum(math.exp(s - best) for s, _ in scored)
        return Reading(name.split(), 1 / mass)

    # -- ký hiệu -------------------------------------------------------------------------------

    def symbol_part(self, part: str, channel: Channel) -> tuple[str, bool]:
        """(the part as the lexicon spells it, sure?): `QD` → `QĐ`, `Qb` → `QĐ`, `CBD` → `CĐ`,
        `T1` → `TT`; a part the lexicon does not know and cannot place stays as printed."""
        if not part or part.isdigit():
            return part, True
        exact = self._symbols_by_fold.get(fold(part))  # the most frequent spelling: QD → QĐ
        if exact is not None:
            if self.symbols.get(part, 0) * 10 >= self.symbols[exact]:
                return part, True  # a spelling of its own (`HD`, Hướng dẫn, beside `HĐ`)
            return exact, True  # the same letters: sure
        if len(part) < 2 or not any(c.isupper() for c in part):
            return part, False
        # Capitals OCR confuses (`Đ` read as `D`, `B`, `P`, `BD`; `T` as `1` …), then the most
        # frequent part of the lexicon that one or two of them give.
        found = [v for v in _look_alike_variants(part) if v in self.symbols]
        if found:
            return max(found, key=lambda v: self.symbols[v]), False
        if part in self.symbols:
            return part, True
        seen = fold(part)
        # One edit OCR is known to make (`b` for `đ`), never one it was not seen making.
        best = None
        for near, _d, _ in process.extract(
            seen, list(self._symbols_by_fold), scorer=Levenshtein.distance, score_cutoff=1
        ):
            cost = channel(near, seen)
            if cost > -5.0 and (best is None or cost > best[0]):
                best = (cost, self._symbols_by_fold[near])
        if best is None:
            # Capitals OCR reads well stay as printed, sure; mixed case or digits are doubtful.
            return part, bool(re.fullmatch(r"[A-ZĐ&]+", part))
        return best[1], False


# What OCR prints for capitals of a ký hiệu (its digits at the end, `QH15`, are kept).
_LOOK_ALIKES = {
    "1": "TIL",
    "I": "TL",
    "l": "ITL",
    "0": "OĐQ",
    "O": "ĐQ",
    "6": "GĐ",
    "8": "B",
    "5": "S",
    "$": "S",
    "B": "Đ",
    "P": "Đ",
    "D": "Đ",
    "b": "Đ",
    "d": "Đ",
}


def _look_alike_variants(part: str) -> set[str]:
    """`part` with one or two look-alike capitals replaced, or `BD`/`PD` read as one `Đ`."""
    variants = {part.replace(pair, "Đ") for pair in ("BD", "PD", "DD") if pair in part}
    singles = set()
    for i, c in enumerate(part):
        for other in _LOOK_ALIKES.get(c, ""):
            singles.add(part[:i] + other + part[i + 1 :])
    variants |= singles
    for single in singles:
        for i, c in enumerate(single):
            for other in _LOOK_ALIKES.get(c, ""):
                variants.add(single[:i] + other + single[i + 1 :])
    return {v.upper().replace("Đ".lower(), "Đ") if v.islower() else v for v in variants}


@cache
def default_lexicon() -> Lexicon:
    return Lexicon.load()
