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
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import pairwise

import yaml
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from cchc.repair.diacritics import _UNKNOWN, DiacriticModel, _apply_case, default_model
from cchc.repair.header import fix_numbers, tighten_closing
from cchc.repair.names import PLACE_LEVELS, default_lexicon
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


# `-l eng` prints the horn of ư/ơ as an apostrophe inside the word (`TRU'ONG`, `CHU'C`,
# `HU'U`): dropped, the word is one token the channel reads as `TRƯỜNG`.
_HORN = re.compile(r"(?<=[UuOo])['’](?=[^\W\d_])")


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
        return self.repair_report(text).text

    def repair_report(self, text: str) -> RepairReport:
        """The repaired text, with what was changed and which parts are doubtful."""
        text = _HORN.sub("", nfc(text))
        items: list[_Item] = []
        phrases: list[tuple[int, int, list[_Item]]] = []
        for phrase in PHRASE.finditer(text):
            spans = _split_glued(text, phrase.start(), phrase.end())
            tokens = [text[a:b] for a, b in spans]
            if not tokens:
                continue
            options = [
                [(t, self.model.ids.get(t.lower(), _UNKNOWN), 0.0)]
                if _in_symbol(text, a, b) or _abbreviation(tokens, i)
                else self.options(t)
                for i, ((a, b), t) in enumerate(zip(spans, tokens, strict=True))
            ]
            forms = self.model.decode_options(options)
            found = []
            for (a, b), token, form, choices in zip(spans, tokens, forms, options, strict=True):
                keep = form == token or form in _KNOWN_GARBLES.values() or "&" in form
                item = _Item(a, b, token, form if keep else _apply_case(_case_source(token), form))
                chosen = next(o for o in choices if o[0] == form)
                item.sure = _sureness(token, chosen, choices)
                item.fixed = _in_symbol(text, a, b) or (token.isupper() and len(token) > 1)
                found.append(item)
            items += found
            phrases.append((phrase.start(), phrase.end(), found))
        titles = _titles()
        names: list[str] = []
        for _start, _end, found in phrases:
            self._places(found)
            # A phrase runs on across hard-wrapped lines: the signer's name is a line of its own.
            for line in _lines_of(text, found):
                names += self._person(text, line[0].start, line[-1].end, line)
                _title(text, line[0].start, line[-1].end, line, titles)
        out: list[str] = []
        doubtful: list[tuple[int, int]] = []
        last = 0
        length = 0
        for item in items:
            if item.start < 0:
                continue
            keep_to = item.start if item.drop_before is None else item.drop_before
            out.append(text[last:keep_to])
            length += max(0, keep_to - last)
            out.append(item.form)
            if item.sure < DOUBTFUL:
                doubtful.append((length, length + len(item.form)))
            length += len(item.form)
            last = item.end if item.drop_after is None else item.drop_after
        out.append(text[last:])
        repaired, doubtful = fix_numbers("".join(out), doubtful, self._symbol_channel)
        repaired, doubtful = tighten_closing(repaired, doubtful)
        words = [i for i in items if any(c.isalpha() for c in i.token)]
        return RepairReport(
            text=repaired,
            words=len(words),
            changed=sum(1 for i in words if i.form.lower() != i.token.lower()),
            edited=sum(1 for i in words if fold(i.form) != fold(i.token)),
            doubtful=doubtful,
            names=names,
        )

    def _symbol_channel(self, intended: str, seen: str) -> float:
        return self._channel(intended, seen)

    def _places(self, found: list[_Item]) -> None:
        """Names after a place word (`huyện`, `thị xã` …) and before `, ngày` from the lexicon."""
        lexicon = default_lexicon()
        for i, item in enumerate(found):
            word = item.form.lower()
            two = f"{found[i - 1].form.lower()} {word}" if i else ""
            levels = PLACE_LEVELS.get(two) or PLACE_LEVELS.get(word)
            run: list[_Item] = []
            if levels:
                run = _capitalised_run(found[i + 1 : i + 4])
            elif word == "," and i + 1 < len(found) and found[i + 1].form.lower() == "ngày":
                levels = ("district", "province", "commune")
                run = _capitalised_run(found[max(0, i - 4) : i][::-1])[::-1]
            if not run:
                continue
            parts = [run[:n] if word != "," else run[-n:] for n in range(len(run), 0, -1)]
            known = [p for p in parts if lexicon.is_place(" ".join(t.form for t in p), levels)]
            if known:  # the general reading is a place already (`Phước Long`)
                for t in known[0]:
                    t.sure = max(t.sure, PLACE_SURE)
                continue
            for part in parts:
                reading = lexicon.place([t.token for t in part], levels, self._channel)
                if reading is not None:
                    for t, form in zip(part, reading.forms, strict=True):
                        t.form = _apply_case(_case_source(t.token), form)
                        t.sure = reading.sure
                    break

    def _person(self, text: str, start: int, end: int, found: list[_Item]) -> list[str]:
        """A personal name from the lexicon: the signer's line in the second half of the text
        (the name, perhaps after a rank, with scan noise around it), or capitalised words after
        `ông`, `bà`, `đồng chí`. Returns the names read with confidence."""
        lexicon = default_lexicon()
        runs: list[list[_Item]] = []
        names: list[str] = []
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        core = list(found)
        while core and len(core[-1].token) <= 2 and core[-1].token.islower():
            core.pop()  # scan noise after the name (`Toan oe |`)
        noise_only = _noise(text[line_start:start]) and _noise(text[found[-1].end : line_end])
        if (
            noise_only
            and (start > len(text) // 2 or _under_title(text, line_start))
            and len(core) >= 2
        ):
            # The name is the longest capitalised tail of the line that starts with a family
            # name; what is before it is a rank (`Thượng tướng`).
            tails = [
                core[k:]
                for k in range(len(core) - 1)
                if len(core) - k <= 5
                and all(t.token[:1].isupper() and not t.fixed for t in core[k:])
                and (k == 0 or _is_rank(core[:k]))
            ]
            runs += tails[:1]
        for i, item in enumerate(found[:-1]):
            if item.form.lower() in ("ông", "bà", "chí"):
                run = _capitalised_run(found[i + 1 : i + 5])
                if len(run) >= 2:
                    runs.append(run)
        done: set[int] = set()
        for run in runs:
            if id(run[-1]) in done:
                continue
            keys = [fold(t.token).translate(_DIGIT_LETTERS) for t in run]
            general = [t.form for t in run]
            reading = lexicon.person([t.token for t in run], keys, general, self._channel)
            if reading is None:
                continue
            done.add(id(run[-1]))
            for t, form in zip(run, reading.forms, strict=True):
                t.form = _apply_case(_case_source(t.token), form)
                t.sure = reading.sure
            if reading.sure >= DOUBTFUL:
                names.append(" ".join(t.form for t in run))
            if noise_only and run[-1] is core[-1]:
                _rank(found[: found.index(run[0])])
                for junk in found[found.index(core[-1]) + 1 :]:
                    junk.start = junk.end = -1  # dropped with the noise after the name
                # The signer's line keeps its words only: the parser reads a clean name.
                run[0].drop_before = line_start if found[0] is run[0] else None
                core[-1].drop_after = line_end
        return names


def _lines_of(text: str, found: list[_Item]) -> list[list[_Item]]:
    """The items of a phrase, line by line."""
    lines: list[list[_Item]] = [[found[0]]]
    for a, b in pairwise(found):
        if "\n" in text[a.end : b.start]:
            lines.append([b])
        else:
            lines[-1].append(b)
    return lines


def _under_title(text: str, line_start: int) -> bool:
    """The line before `line_start` (past blank ones and scan noise) is a signer's title
    (`PHO TRUONG BAN`, `KT. CHU TICH`): the line is the signer's name, wherever it stands (a
    template's page after the signature keeps it out of the text's second half)."""
    before = [ln for ln in text[:line_start].splitlines()[-4:] if not _noise(ln)]
    if not before:
        return False
    letters = re.sub(r"[^a-z]", "", fold(before[-1]))
    return len(letters) >= 6 and any(letters.endswith(t) for t in _titles())


def _noise(text: str) -> bool:
    """Scan noise: no letter or digit (`—.`, `| 7 |`)."""
    return not any(c.isalnum() for c in text)


@lru_cache(maxsize=1)
def _ranks() -> dict[str, str]:
    data = yaml.safe_load(
        resources.files("cchc.data").joinpath("signer_titles.yaml").read_text("utf-8")
    )
    return {fold(t).replace(" ", ""): t for t in data["name_prefixes"]}


def _rank_of(items: list[_Item]) -> str | None:
    """The rank (`Thượng tướng`) the words spell, one letter off at most (two in a long one)."""
    key = "".join(fold(t.token) for t in items)
    if len(key) < 6:
        return None
    limit = 2 if len(key) >= 10 else 1
    found = process.extractOne(key, list(_ranks()), scorer=Levenshtein.distance, score_cutoff=limit)
    return None if found is None else _ranks()[found[0]]


def _is_rank(items: list[_Item]) -> bool:
    return _rank_of(items) is not None


def _rank(items: list[_Item]) -> None:
    """The words before a signer's name, read as the rank they spell (`Thuong tuéng` →
    `Thượng tướng`)."""
    rank = _rank_of(items) if items else None
    if rank is None:
        return
    words = rank.split()
    if len(words) != len(items):
        return
    for t, word in zip(items, words, strict=True):
        t.form = word
        t.sure = 1.0


# Tokens read with less sureness than this are listed as doubtful.
DOUBTFUL = 0.6
# A place whose general reading is already a known place name.
PLACE_SURE = 0.9
# An edit costing less than this (log P) makes the token doubtful.
COSTLY_EDIT = -6.0


@dataclass
class _Item:
    start: int
    end: int
    token: str
    form: str
    sure: float = 1.0
    fixed: bool = False  # part of a number/symbol or an acronym: never part of a name
    drop_before: int | None = None  # scan noise from here to the item is dropped
    drop_after: int | None = None  # scan noise from the item to here is dropped


@dataclass
class RepairReport:
    """What the repair of garbled text did: its text; how many words it read, changed (marks or
    letters) and edited (letters); the spans of its text read with low confidence."""

    text: str
    words: int
    changed: int
    edited: int
    doubtful: list[tuple[int, int]] = field(default_factory=list)
    # Personal names read from the lexicon with confidence (a signer not among them is a guess).
    names: list[str] = field(default_factory=list)

    @property
    def confidence(self) -> float:
        """How far the repaired text can be trusted, 0–1, never 1: lowered by the share of words
        whose letters had to change and the share read with low confidence, and a little by
        the share whose marks were restored (restoration is right ~98% of the time)."""
        if not self.words:
            return 0.9
        edited = self.edited / self.words
        marks = (self.changed - self.edited) / self.words
        doubtful = len(self.doubtful) / self.words
        value = 0.95 - 0.05 * marks - 0.5 * edited - 1.0 * doubtful
        return round(min(0.95, max(0.05, value)), 2)


def _sureness(token: str, chosen: tuple, choices: list) -> float:
    """How sure the reading of one token is: an unknown word kept as printed or a costly edit
    are doubtful; marks chosen by the n-grams among forms of the same letters are not."""
    if len(choices) == 1:
        if chosen[1] == _UNKNOWN and token.isalpha() and len(token) > 2 and not token.isupper():
            return 0.3  # no syllable near: left as printed
        return 1.0
    best_channel = max(o[2] for o in choices)
    if chosen[2] < best_channel - 2.0 and chosen[2] < COSTLY_EDIT:
        return 0.4
    return 1.0 if chosen[2] >= best_channel - 1e-9 else 0.7


@lru_cache(maxsize=1)
def _titles() -> dict[str, str]:
    """The signer's titles (`CHỦ TỊCH`), by their folded letters."""
    data = yaml.safe_load(
        resources.files("cchc.data").joinpath("signer_titles.yaml").read_text("utf-8")
    )
    return {fold(t).replace(" ", ""): t for t in data["titles"]}


def _title(text: str, start: int, end: int, found: list[_Item], titles: dict[str, str]) -> None:
    """A line of capitals in the signature block that spells a signer's title with other marks
    (`CHU TICH` → `CHỦ TỊCH`, not the general model's `CHU TÍCH`)."""
    if start < len(text) // 2 or not all(t.token.isupper() for t in found):
        return
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    rest = text[end : len(text) if line_end < 0 else line_end]
    if text[line_start:start].strip() or rest.strip():
        return
    key = "".join(fold(t.token).translate(_DIGIT_LETTERS) for t in found)
    title = titles.get(key)
    if title is None or len(title.split()) != len(found):
        return
    for t, word in zip(found, title.split(), strict=True):
        t.form = word
        t.sure = 1.0


def _abbreviation(tokens: list[str], i: int) -> bool:
    """A lowercase abbreviation after an acronym, as in `UBND tx`, `UBND tp`: kept as printed."""
    token = tokens[i]
    return (
        i > 0
        and token.isalpha()
        and token.islower()
        and len(token) == 2
        and not any(c in "aeiouy" for c in fold(token))
        and tokens[i - 1].isupper()
        and len(tokens[i - 1]) > 1
    )


def _capitalised_run(items: list[_Item]) -> list[_Item]:
    """The leading items that start with a capital (a proper name), stopping at a comma, an
    acronym or a part of a symbol."""
    run = []
    for item in items:
        if item.token == "," or not item.token[:1].isupper() or item.fixed:
            break
        run.append(item)
    return run


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
    """A code with a capital glued to `/` or `-` is part of a number/symbol (`595 /UBND-NC`,
    `2011/Qb-UBND`): kept here, read by the number channel (`header.fix_numbers`)."""
    before, after = text[start - 1 : start], text[end : end + 1]
    token = text[start:end]
    if token.isupper():
        return before in ("/", "-") or after in ("/", "-")
    # A mixed-case code (`Qb`) only inside a symbol: before its `-`, or after a `/`; not a word
    # after a list dash (`-Béo cáo`).
    return token[:1].isupper() and len(token) <= 4 and (after in ("/", "-") or before == "/")


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


def repair_garbled_report(text: str) -> RepairReport:
    return default_repairer().repair_report(text)
