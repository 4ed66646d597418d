"""Unit names: the registry of abbreviations and collective names (`data/units.yaml`), a
canonical form so that `P.Nội vụ-LĐTB&XH` and `Phòng Nội vụ - Lao động, Thương binh và Xã hội`
group together, and the split of a printed list of units into units."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import yaml

from cchc.text import canonical as canonical_marks
from cchc.text import fold, squash


@cache
def registry() -> dict:
    return yaml.safe_load(resources.files("cchc.data").joinpath("units.yaml").read_text("utf-8"))


@cache
def _abbreviation_pattern() -> tuple[re.Pattern, dict[str, str]]:
    table = {fold(k): v for k, v in registry()["abbreviations"].items()}
    keys = sorted(table, key=len, reverse=True)
    alternation = "|".join(re.escape(k) for k in keys)
    return re.compile(rf"(?<![\w&])(?:{alternation})(?![\w&])"), table


@cache
def heads() -> tuple[str, ...]:
    return tuple(sorted((fold(h) for h in registry()["heads"]), key=len, reverse=True))


@cache
def _collective() -> tuple[str, ...]:
    return tuple(canonical_name(c) for c in registry()["collective"])


@dataclass
class Unit:
    name: str  # as printed
    canonical: str
    collective: bool = False


@lru_cache(maxsize=8192)  # a document names the same units again and again
def canonical_name(name: str) -> str:
    """Folded, abbreviations expanded, punctuation and spacing normalised."""
    text = squash(fold(canonical_marks(name)))
    text = re.sub(r"\s*-\s*", " - ", text.replace("P.", "phong ").replace("p.", "phong "))
    pattern, table = _abbreviation_pattern()
    text = pattern.sub(lambda m: fold(table[m.group(0)]), text)
    text = re.sub(r"[.;:]+$", "", text)
    return squash(text.replace("&", " va "))


def make_unit(name: str) -> Unit:
    name = squash(name.replace("\u2063", " ")).strip(" ,;:.-")
    key = canonical_name(name)
    collective = key in _collective() or bool(re.match(r"^(?:cac|nhung)\s", key)) or " cac " in key
    return Unit(name=name, canonical=key, collective=collective)


@cache
def _head_pattern() -> re.Pattern:
    return re.compile(r"(?:" + "|".join(re.escape(h) for h in heads()) + r")(?!\w)")


@cache
def _not_head_pattern() -> re.Pattern:
    """Words that begin like a head but are a topic or an act, ending where their word ends."""
    words = sorted((fold(h) for h in registry()["not_heads"]), key=len, reverse=True)
    return re.compile(r"(?:" + "|".join(re.escape(w) for w in words) + r")(?![^\W_])")


def starts_with_head(text_f: str) -> bool:
    """The folded text begins with a unit head word (`phong`, `uy ban nhan dan`, `chu tich`),
    not with a topic or an act that begins like one (`phong chong dich`, `ban hanh`)."""
    many = re.match(r"(?:cac|nhung) (?=\w)", text_f)
    # `các Phó Thủ tướng`, `các Sở`: many of one kind
    return _begins_with_head(text_f) or bool(many and _begins_with_head(text_f[many.end() :]))


def _begins_with_head(text_f: str) -> bool:
    if _head_pattern().match(text_f) is None:
        return False
    return _not_head_pattern().match(text_f) is None


@cache
def _one_unit_patterns() -> list[tuple[re.Pattern, str]]:
    """Names with `và` inside one unit, and the same with that `và` made unsplittable."""
    return [
        (re.compile(re.escape(joined), re.I), joined.replace(" và ", "\u2063và\u2063"))
        for joined in registry()["one_unit"]
    ]


def split_units(text: str) -> list[Unit]:
    """`Phòng Nội vụ, Phòng Tài chính và UBND các xã` → three units. A piece after a comma or
    `và` starts a new unit when it begins with a capitalised unit head (`Phòng`, `UBND`,
    `Chủ tịch`), or with `các …` after `và`; `các sở, ban, ngành` stays one name."""
    units: list[Unit] = []
    for pattern, kept in _one_unit_patterns():
        text = pattern.sub(kept, text)
    for part in re.split(r"\s*;\s*", text):
        pieces = re.split(r"(,\s*|\s+và\s+)", part)
        current = pieces[0]
        for sep, piece in zip(pieces[1::2], pieces[2::2], strict=False):
            stripped = piece.strip()
            new_unit = starts_with_head(fold(stripped)) and (
                stripped[:1].isupper() or stripped.startswith("các ")
            )
            if new_unit:
                units.append(make_unit(current))
                current = piece
            else:
                current += sep + piece
        units.append(make_unit(current))
    return [u for u in units if u.name]
