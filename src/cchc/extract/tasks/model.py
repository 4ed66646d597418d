"""A task, the paragraph it is read from, and the fields read from a duty's words (kind,
report recipient, the units as JSON)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from functools import cache
from importlib import resources

import yaml

from cchc.extract.deadlines import Deadline
from cchc.extract.units import Unit, registry, starts_with_head
from cchc.text import fold, squash


@cache
def printed_words() -> dict:
    """`data/task_words.yaml` as written, with its diacritics."""
    return yaml.safe_load(
        resources.files("cchc.data").joinpath("task_words.yaml").read_text("utf-8")
    )


@cache
def words() -> dict:
    table = {key: tuple(fold(w) for w in values) for key, values in printed_words().items()}
    table["compounds_set"] = frozenset(table["compounds"])
    return table


@cache
def duty_pattern() -> re.Pattern:
    alternation = "|".join(
        re.escape(w) for w in sorted(words()["duty_starts"], key=len, reverse=True)
    )
    return re.compile(rf"(?<![\w])(?:{alternation})(?![\w])")


@cache
def _homographs() -> frozenset[str]:
    return frozenset(w.lower() for w in printed_words()["not_duties"])


def spelled_as_duty(original: str) -> bool:
    """`original` (the words a folded duty match covers) is not a word that only folds like a
    duty: `giáo` in `Sở Dân tộc và Tôn giáo` folds to `giao` but assigns nothing."""
    return original.lower() not in _homographs()


def in_compound(folded: str, m: re.Match) -> bool:
    """The one-word duty start matched at `m` in `folded` is a syllable of a longer word."""
    if " " in m.group():
        return False
    # `đầu mối giao thông, có vai trò`: the word next to it without its punctuation.
    before = [w.strip(",;:.()") for w in folded[: m.start()].split()[-1:]]
    after = [w.strip(",;:.()") for w in folded[m.end() :].split()[:1]]
    pairs = {" ".join([*before, m.group()]), " ".join([m.group(), *after])}
    return bool(pairs & words()["compounds_set"])


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
    confidence: float = 0.0
    note: str | None = None
    period: str | None = None
    data_from: str | None = None
    data_to: str | None = None
    due: str | None = None
    evidence: str = "named"  # how it was found (a key of EVIDENCE); not part of the JSON
    shared: bool = False  # one of several duties read from one sentence; not part of the JSON
    attached: bool = False  # read from the rules or plan a decision issues; not part of the JSON
    part: str = ""  # the folded title of the part (`III. Tổ chức thực hiện`); not part of the JSON

    def to_dict(self) -> dict:
        """JSON fields; the report-calendar fields only on report-calendar tasks. Built by hand:
        `dataclasses.asdict` deep-copies field by field, seconds for the 20,000 tasks of a
        pathological body (outside the parse budget's checks)."""
        data = {name: getattr(self, name) for name in _JSON_FIELDS}
        data["lead"] = [dict(unit) for unit in self.lead]
        data["support"] = [dict(unit) for unit in self.support]
        data["next_dates"] = list(self.next_dates)
        data["source_span"] = list(self.source_span)
        for key in ("deadline_text", "note"):
            if data[key] is None:
                del data[key]
        if self.period is None:
            for key in ("period", "data_from", "data_to", "due"):
                del data[key]
        return data


_JSON_FIELDS = tuple(
    f.name for f in fields(Task) if f.name not in ("evidence", "shared", "attached", "part")
)


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


# Lower-case words that may stand inside a unit's name (`các sở, ban, ngành thuộc UBND tỉnh`).
@cache
def _name_words() -> frozenset[str]:
    return frozenset(words()["name_words"])


def plausible_units(phrase: str, longest: int = 3) -> bool:
    """A lead is names of units, not a clause: no run of `longest` ordinary lower-case words."""
    run = 0
    for word, word_f in zip(phrase.split(), fold(phrase).split(), strict=True):
        bare = word_f.strip(",;:()")
        if "-" in word and any(part[:1].isupper() for part in word.split("-")):
            run = 0  # `Công nghiệp-Năng lượng`: a capitalised compound name
            continue
        if word[:1].islower() and bare not in _name_words():
            run += 1
            if run >= longest:
                return False
        else:
            run = 0
        if word.endswith(","):
            run = 0  # `các cơ quan báo chí, truyền thông`: a list of names
    return True


# How much the way a task was found says it is right, before its lead and action are judged.
EVIDENCE = {
    "asked": 0.92,  # `Giao Sở X …`, `Đề nghị Sở X …`
    "named": 0.92,  # `Sở X chủ trì …`, `Sở X có trách nhiệm …` in the sentence
    "heading": 0.88,  # an item under a heading that names the unit
    "execution": 0.95,  # `… chịu trách nhiệm thi hành Quyết định này`
    "block": 0.9,  # `Nội dung: …` / `Cơ quan chủ trì: …`
    "table": 0.9,  # a row of a task table
    "calendar": 0.9,  # a line of a report calendar
    "snag": 0.75,  # `nếu có vướng mắc, phản ánh về …` led by whoever the sentence before asked
}


_ASSIGNING_PART = re.compile(
    r"to chuc thuc hien|trach nhiem|phan cong|thi hanh|giao nhiem vu|nhiem vu cu the"
)


_ODD_LEAD = re.compile(r"[:()\d\[\]“”\"]")


def rate(task: Task) -> float:
    """The task's confidence: its evidence, lowered for a lead that does not read as the name
    of a unit (no head word as printed, a clause or a verb caught in it, odd characters) and
    for an action that does not read as a whole duty (a lower-case fragment, short, a title in
    capitals). The factors follow how often such tasks were right on the tune documents."""
    score = EVIDENCE[task.evidence]
    names = [unit["name"] for unit in task.lead]
    # `Chánh Văn phòng …, Giám đốc các Sở: Tài chính, Nội vụ … chịu trách nhiệm thi hành`:
    # the executing article lists offices at length, and is right when it is found at all.
    executes = task.evidence == "execution"
    if not all(spelled_head(n) and plausible_units(n, longest=3 if executes else 2) for n in names):
        score *= 0.7
    for name in names:
        if not executes and (len(name) > 90 or _ODD_LEAD.search(name)):
            score *= 0.8
        if (
            name.split()[-1:]
            and name.split()[-1] in _verb_tails()
            and " ".join(fold(name).split()[-2:]) not in words()["compounds_set"]
        ):
            score *= 0.7  # `Cục … Hà Nội chỉ`, `Các đơn vị liên quan tích cực`
    if any(unit["collective"] for unit in task.lead):
        score *= 0.85  # `các cơ quan, đơn vị`: often a general call, not a duty of its own
    action = task.action
    letters = [c for c in action if c.isalpha()]
    if len(action) < 150 and task.evidence != "execution":
        score *= 0.9
    if len(action) < 15:
        score *= 0.7
    if letters and sum(c.isupper() for c in letters) > 0.6 * len(letters):
        score *= 0.3  # a section title in capitals
    if (
        action[:1].islower()
        and not executes
        and (task.evidence not in ("named", "asked") or len(action) < 150)
    ):
        score *= 0.85  # a short clause split from a sentence, or an item opening mid-sentence
    if action.rstrip().endswith((")", ":")) and "(" not in action:
        score *= 0.7
    if task.shared:
        score *= 0.9  # one of several duties cut from one sentence: the cut may be wrong
    if task.attached:
        score *= 0.9  # the rules a decision issues describe duties as much as assign them
    if task.part and not _ASSIGNING_PART.search(task.part):
        # Under `II. Nội dung thi đua`, `I. Mục đích, yêu cầu`: what the plan is about, which
        # reads like duties; under `Tổ chức thực hiện`, `Trách nhiệm …`: the assignments.
        score *= 0.75
    return round(min(score, 1.0), 2)


@cache
def _raw_head_pattern() -> re.Pattern:
    """A head word as printed, lower-cased, ending where its word ends (not before a letter)."""
    heads = sorted((h.lower() for h in registry()["heads"]), key=len, reverse=True)
    return re.compile(r"(?:" + "|".join(re.escape(h) for h in heads) + r")(?![^\W_])")


def spelled_head(name: str, folded: str | None = None) -> bool:
    """The name begins with a head word as printed (`Ban Chỉ đạo`, not `Bản tin`); text
    without diacritics (`folded` equal to it) cannot tell and passes."""
    low = name.lower()
    if folded is not None and low[:12] == folded[:12]:
        return True
    names = [low]
    if low.startswith(("các ", "những ")):
        names.append(low.split(" ", 1)[1])  # `các Phó Thủ tướng`: many of one kind
    return any(_raw_head_pattern().match(n) for n in names)


@cache
def _verb_tails() -> frozenset[str]:
    """Words no unit's name ends with, as printed: one-word duty starts and a few adverbs."""
    data = printed_words()
    singles = [w for w in data["duty_starts"] if " " not in w]
    return frozenset(w.lower() for w in singles + data["not_name_tails"])
