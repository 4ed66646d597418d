"""Closing formulas ("nghiêm túc thực hiện", "thi hành Quyết định này"): sentences that name
units and a verb, so they read like duties, but give no work of their own. The formulas are data
(`data/closing_formulas.yaml`)."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import yaml

from cchc.text import fold


def _key(text: str) -> str:
    """Folded words only: case, diacritics, punctuation and spacing aside."""
    return " ".join(re.findall(r"\w+", fold(text)))


@cache
def _data() -> dict:
    return yaml.safe_load(
        resources.files("cchc.data").joinpath("closing_formulas.yaml").read_text(encoding="utf-8")
    )


@cache
def _formulas() -> tuple[frozenset[str], tuple[str, ...]]:
    data = _data()
    return (
        frozenset(_key(f) for f in data["formulas"]),
        tuple(_key(t) for t in data.get("tails", ())),
    )


@cache
def _openings() -> tuple[str, ...]:
    return tuple(_key(o) for o in _data().get("openings", ()))


def _opens_and_ends_as_closing(key: str) -> bool:
    """ "nhận được công văn này yêu cầu … nghiêm túc triển khai thực hiện": a closing opening,
    any units, and a formula of at least two words as its last words."""
    if not any(key.startswith(o + " ") for o in _openings()):
        return False
    formulas, _ = _formulas()
    return any(" " in f and key.endswith(" " + f) for f in formulas)


def is_closing_formula(action: str) -> bool:
    """Is this task content only a closing formula? "khẩn trương triển khai, thực hiện./."
    is; "tổ chức thực hiện rà soát quy chế làm việc" is not (it says what to do)."""
    formulas, tails = _formulas()
    head, _, tail = action.partition(";")
    if _key(action) in formulas or _opens_and_ends_as_closing(_key(action)):
        return True
    return _key(head) in formulas and any(_key(tail).startswith(t) for t in tails)
