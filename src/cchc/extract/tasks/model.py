"""A task, the paragraph it is read from, and the fields read from a duty's words (kind,
report recipient, the units as JSON)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib import resources

import yaml

from cchc.extract.deadlines import Deadline
from cchc.extract.units import Unit, starts_with_head
from cchc.text import fold, squash


@cache
def words() -> dict:
    data = yaml.safe_load(
        resources.files("cchc.data").joinpath("task_words.yaml").read_text("utf-8")
    )
    return {key: tuple(fold(w) for w in values) for key, values in data.items()}


@cache
def duty_pattern() -> re.Pattern:
    alternation = "|".join(
        re.escape(w) for w in sorted(words()["duty_starts"], key=len, reverse=True)
    )
    return re.compile(rf"(?<![\w])(?:{alternation})(?![\w])")


@cache
def _homographs() -> frozenset[str]:
    data = yaml.safe_load(
        resources.files("cchc.data").joinpath("task_words.yaml").read_text("utf-8")
    )
    return frozenset(w.lower() for w in data["not_duties"])


def spelled_as_duty(original: str) -> bool:
    """`original` (the words a folded duty match covers) is not a word that only folds like a
    duty: `giáo` in `Sở Dân tộc và Tôn giáo` folds to `giao` but assigns nothing."""
    return original.lower() not in _homographs()


@dataclass
class Task:
    id: str
    lead: list[dict]
    support: list[dict]
    action: str
    deadline: str | None
    deadline_text: str | None = None
    urgent: bool = False
    recurrence: str | None = None
    next_dates: list[str] = field(default_factory=list)
    report_to: str | None = None
    source_span: list[int] = field(default_factory=list)
    section: str | None = None
    kind: str = "task"
    note: str | None = None
    period: str | None = None
    data_from: str | None = None
    data_to: str | None = None
    due: str | None = None

    def to_dict(self) -> dict:
        """JSON fields; the report-calendar fields only on report-calendar tasks."""
        data = asdict(self)
        for key in ("deadline_text", "note"):
            if data[key] is None:
                del data[key]
        if self.period is None:
            for key in ("period", "data_from", "data_to", "due"):
                del data[key]
        return data


@dataclass
class Paragraph:
    text: str
    start: int
    end: int
    level: int
    marker: str
    # (index in `text`, offset in the document) where each joined line begins
    pieces: list[tuple[int, int]] = field(default_factory=list)
    folded: str = ""  # fold(text), character for character

    def offset(self, index: int) -> int:
        """Offset in the document of character `index` of the joined paragraph text."""
        base = self.pieces[0]
        for piece in self.pieces:
            if piece[0] > index:
                break
            base = piece
        return base[1] + index - base[0]


_REPORT_TO = re.compile(
    r"(?:bao cao|gui(?: bao cao)?(?: ket qua)?(?: du thao \w+)?)\s+"
    r"(?:ve\s+|cho\s+|len\s+|toi\s+|den\s+)?"
)


def _report_to(sentence: str) -> str | None:
    folded = fold(sentence)
    for m in _REPORT_TO.finditer(folded):
        tail = sentence[m.end() :]
        if not tail[:1].isupper() or not starts_with_head(fold(tail)):
            continue
        stop = re.search(
            r"\s(?:trước|để|theo|trong|đúng|chậm|kết quả|về việc|tình hình|định kỳ)\s|[,;.(]", tail
        )
        return squash(tail[: stop.start()] if stop else tail[:80]) or None
    return None


def _kind(action_f: str) -> str:
    w = words()
    if any(k in action_f for k in w["commitment"]) and (
        "ky" in action_f or "cam ket" in action_f[:40]
    ):
        return "commitment"
    if any(action_f.startswith(k) or f" {k}" in action_f[:60] for k in w["event"]):
        return "event"
    if re.match(r"^(?:(?:\w+\s){0,3})(?:bao cao|gui bao cao)", action_f):
        return "report"
    return "task"


def unit_dict(unit: Unit) -> dict:
    return {"name": unit.name, "canonical": unit.canonical, "collective": unit.collective}


def new_task(lead: list[Unit], support: list[Unit], action: str, when: Deadline | None, **more):
    """A task with its deadline fields, report recipient and kind read from `action`."""
    return Task(
        id="",
        lead=[unit_dict(u) for u in lead],
        support=[unit_dict(u) for u in support],
        action=action[:400],
        deadline=when.date if when else None,
        deadline_text=when.text if when else None,
        urgent=bool(when and when.urgent),
        recurrence=when.recurrence if when else None,
        next_dates=when.next_dates if when else [],
        report_to=_report_to(action),
        kind=_kind(fold(action)),
        note=when.note if when else None,
        **more,
    )
