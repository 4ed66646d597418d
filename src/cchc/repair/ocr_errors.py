"""Repair of garbled OCR: text read without the Vietnamese model (`Kinh gui`, `béo c4o`, `dugc`).

A noisy-channel decoder: each token's candidates are the marked syllables whose folded form is
within a small edit distance of the token's folded form (after the usual digit-for-letter OCR
swaps), each edit costing `EDIT`; the syllable n-gram model of `diacritics.py` chooses among them.
Marks printed by such OCR are noise (`é` stands for ê, ã, ă …), so they are not trusted.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from importlib import resources

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from cchc.repair.diacritics import _UNKNOWN, DiacriticModel, _apply_case, default_model
from cchc.text import fold, nfc

CHANNEL_FILE = "ocr_channel.json"
# Characters OCR puts for letters inside words: `S6` = Số, `x4` = xã, `c40` = cao, `n01` = nội.
_DIGIT_LETTERS = str.maketrans(
    {"6": "o", "4": "a", "3": "a", "0": "o", "1": "l", "5": "s", "¢": "o", "€": "e", "&": "a"}
)
TOKEN = re.compile(r"(?:[^\W_]|[&¢€])*[^\W\d_](?:[^\W_]|[&¢€])*|,")
PHRASE = re.compile(
    r"(?:[^\W_]|[&¢€])+(?:(?:[ \t]*,[ \t]*|[ \t]*\n[ \t]*|[ \t]+)(?:[^\W_]|[&¢€])+)*"
)
# Garbles of fixed marks of the layout: `V/v` read as `VIV`.
_KNOWN_GARBLES = {"viv": "V/v"}
# An edit the channel model never saw in training costs this much.
UNSEEN_EDIT = math.log(0.002)
MAX_OPTIONS = 24


class OcrRepairer:
    def __init__(self, model: DiacriticModel, channel: dict[str, float]):
        self.model = model
        self.keys = list(model.candidates)
        self.channel = channel

    def _channel(self, intended: str, seen: str) -> float:
        """log P(OCR printed `seen` | the folded syllable was `intended`): a sum over edits."""
        cost = 0.0
        for op, i, j in Levenshtein.editops(intended, seen):
            a = intended[i] if op != "insert" else ""
            b = seen[j] if op != "delete" else ""
            cost += self.channel.get(f"{a}>{b}", UNSEEN_EDIT)
        return cost

    @lru_cache(maxsize=50_000)  # noqa: B019 - one repairer lives for the process
    def _near(self, key: str) -> tuple[tuple[str, int], ...]:
        """Folded syllables within edit distance 1 (2 for longer tokens that are no syllable)."""
        limit = 1 if key in self.model.candidates or len(key) < 4 else 2
        found = process.extract(
            key, self.keys, scorer=Levenshtein.distance, score_cutoff=limit, limit=40
        )
        return tuple((k, int(d)) for k, d, _ in found)

    def options(self, token: str) -> list[tuple[str, int, float]]:
        seen = fold(token)
        if seen in _KNOWN_GARBLES:
            return [(_KNOWN_GARBLES[seen], _UNKNOWN, 0.0)]
        if "&" in token and len(token) > 3:
            return [(self._abbreviation(token), _UNKNOWN, 0.0)]
        key = seen.translate(_DIGIT_LETTERS)
        if not key.isalpha() or len(key) < 2 or token[0].isdigit():
            # Numbers, commas, single letters (`V/v`) stay as printed.
            return [(token, self.model.ids.get(token, _UNKNOWN), 0.0)]
        options: list[tuple[str, int, float]] = []
        for near, _distance in self._near(key):
            cost = self._channel(near, seen)
            for rank, form in enumerate(self.model.candidates[near][:6]):
                options.append((form, self.model.ids[form], cost - 0.01 * rank))
        if not options:
            return [(token.lower(), self.model.ids.get(token.lower(), _UNKNOWN), 0.0)]
        options.sort(key=lambda o: o[2], reverse=True)
        return options[:MAX_OPTIONS]

    def _abbreviation(self, token: str) -> str:
        """`LDTB&XH` → `LĐTB&XH`: each part as the corpus spells it, when it knows the part."""
        parts = []
        for part in token.split("&"):
            forms = self.model.candidates.get(fold(part))
            parts.append(forms[0].upper() if forms and part.isupper() else part)
        return "&".join(parts)

    def repair(self, text: str) -> str:
        text = nfc(text)
        out: list[str] = []
        last = 0
        for phrase in PHRASE.finditer(text):
            spans = _split_glued(text, phrase.start(), phrase.end())
            tokens = [text[a:b] for a, b in spans]
            if not tokens:
                continue
            options = [
                [(t, self.model.ids.get(t.lower(), _UNKNOWN), 0.0)]
                if _in_symbol(text, a, b)
                else self.options(t)
                for (a, b), t in zip(spans, tokens, strict=True)
            ]
            forms = self.model.decode_options(options)
            for (a, b), token, form in zip(spans, tokens, forms, strict=True):
                out.append(text[last:a])
                keep = form == token or form in _KNOWN_GARBLES.values() or "&" in form
                out.append(form if keep else _apply_case(_case_source(token), form))
                last = b
        out.append(text[last:])
        return "".join(out)


_GLUED = re.compile(r"^(\d+)([^\W\d_]{3,})$|^([^\W\d_]{3,})(\d\w*)$")


def _split_glued(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Token spans; a word glued to a number (`21thang`, `thang0s`) is two tokens."""
    spans = []
    for m in TOKEN.finditer(text, start, end):
        glued = _GLUED.match(m.group(0))
        if glued:
            cut = m.start() + len(glued.group(1) or glued.group(3))
            spans += [(m.start(), cut), (cut, m.end())]
        else:
            spans.append((m.start(), m.end()))
    return spans


def _in_symbol(text: str, start: int, end: int) -> bool:
    """A capital code glued to `/` or `-` is part of a number/symbol (`595 /UBND-NC`): keep it."""
    glued = text[start - 1 : start] in ("/", "-") or text[end : end + 1] in ("/", "-")
    return glued and text[start:end].isupper()


def _case_source(token: str) -> str:
    """Case pattern of a garbled token, ignoring its digits (`S6` is capitalised, `HQI` upper)."""
    letters = "".join(c for c in token if c.isalpha()) or token
    # Mixed case in garbled OCR is noise (`HOi nghi`): keep only all-capitals or a capital start.
    return letters if letters.isupper() else letters[0] + letters[1:].lower()


@lru_cache(maxsize=1)
def default_repairer() -> OcrRepairer:
    channel = json.loads(resources.files("cchc.data").joinpath(CHANNEL_FILE).read_text("utf-8"))
    return OcrRepairer(default_model(), channel)


def repair_garbled(text: str) -> str:
    return default_repairer().repair(text)
