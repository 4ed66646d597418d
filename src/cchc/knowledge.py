"""Vietnamese administrative knowledge, loaded once from the data files in `cchc/data`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from cchc.text import fold


@dataclass(frozen=True)
class DocType:
    name: str
    code: str
    titles: tuple[str, ...] = ()


def _load(name: str):
    return yaml.safe_load(resources.files("cchc.data").joinpath(name).read_text(encoding="utf-8"))


@cache
def doc_types() -> tuple[DocType, ...]:
    return tuple(
        DocType(d["name"], d["code"], tuple(d.get("titles", ()))) for d in _load("doc_types.yaml")
    )


@cache
def type_by_title() -> dict[str, str]:
    """Folded printed title ('quyet dinh') → type name ('Quyết định')."""
    table = {fold(t.name): t.name for t in doc_types()}
    for t in doc_types():
        for title in t.titles:
            table[fold(title)] = t.name
    return table


@cache
def type_by_code() -> dict[str, str]:
    """Folded symbol code ('qd') → type name; codes that collide keep the first listed."""
    table: dict[str, str] = {}
    for t in doc_types():
        table.setdefault(fold(t.code), t.name)
    table["qd"] = "Quyết định"
    return table


@cache
def issuer_shapes() -> dict[str, tuple[str, ...]]:
    data = _load("issuer_shapes.yaml")
    return {key: tuple(fold(v) for v in values) for key, values in data.items()}


@cache
def signer_words() -> dict[str, tuple[str, ...]]:
    data = _load("signer_titles.yaml")
    return {key: tuple(fold(v) for v in values) for key, values in data.items()}


def report_recipients(report: str, level: str = "") -> list[str]:
    """The "Nơi nhận" of a report draft (`data/report_recipients.yaml`) for the deployment's
    level of government ("tỉnh", "xã", "thị xã"), `{level}` filled with it; without one, the
    words around it close up."""
    names = _load("report_recipients.yaml")[report]
    if isinstance(names, dict):
        names = names.get(level) or names["default"]
    return [" ".join(name.replace("{level}", level).split()) for name in names]
