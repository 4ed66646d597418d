"""A learned re-scorer over the rules' candidate tasks (issue 16).

The rules (`body`, `sentences`, `blocks`, `tables`, `calendars`) propose candidate tasks; a
logistic regression trained on the tune split of the gold set (`tools/train_tasks_model.py`)
reads features of each candidate (what its lead and action look like, where it stands in the
document, how garbled the text is) and gives the probability that it is a gold task. Candidates
below the model's threshold may be dropped ("filter"); the confidence of the others is lowered
to that probability (not below REVIEW_FLOOR). Without the model file (`data/task_model.json`)
the rules' own confidence (`model.rate`) stands and nothing is dropped.
"""

from __future__ import annotations

import copy
import json
import math
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources

from cchc.extract.tasks.model import (
    _ODD_LEAD,
    Task,
    _verb_tails,
    plausible_units,
    spelled_head,
)
from cchc.extract.tasks.sentences import opens_with_duty
from cchc.text import fold

MODEL_FILE = "task_model.json"
# A body with more candidates than this is a list or a pathological text, not a directive: the
# rules' confidence stands (and the time limit of parsing is kept).
MAX_SCORED = 300
# How the extractor uses the model (`use` in the model file): "rules" keeps the rules' candidates
# and confidence, "confidence" keeps every candidate and lowers confidence to the model's
# probability, "filter" also drops candidates below the threshold.
USES = ("rules", "confidence", "filter")
# The model says which tasks are sure (0.8 and above) and sends the others to review; it never
# lowers a task below this by itself: what reads as junk (under 0.5, `web/demo.py` discards it)
# stays the rules' call. (Whether a task is at 0.8 or more is the same with or without it.)
REVIEW_FLOOR = 0.5

_forced: str | None = None  # a `use` that overrides the model file's (`using`)
_captured: list | None = None  # (candidates, text, body span) of each call, while capturing


@contextmanager
def capturing() -> Iterator[list]:
    """Within this block each call of the extractor appends its candidates (before the model
    judges them), the text and the body's span to the list yielded (for training)."""
    global _captured
    before, _captured = _captured, []
    try:
        yield _captured
    finally:
        _captured = before


@contextmanager
def using(use: str) -> Iterator[None]:
    """Within this block the extractor uses the model as `use` (one of USES) says, whatever the
    model file says (how the training script and the benchmark compare them)."""
    global _forced
    if use not in USES:
        raise ValueError(f"use must be one of {USES}, not {use!r}")
    before, _forced = _forced, use
    try:
        yield
    finally:
        _forced = before


def rules_only():
    """Within this block the extractor keeps every candidate with the rules' confidence."""
    return using("rules")


@cache
def load_model() -> dict | None:
    """The shipped model (weights by feature name, threshold), or None when the file is absent."""
    path = resources.files("cchc.data").joinpath(MODEL_FILE)
    if not path.is_file():
        return None
    return json.loads(path.read_text("utf-8"))


_LETTER = re.compile(r"[^\W\d_]")
_MARKED = re.compile(r"[^\x00-\x7f]")
_CLOSING = re.compile(r"\b(?:nay|./)\s*$|\bnay\.?/?$")
_WORD = re.compile(r"\w+")


def _bucket(value: float, edges: tuple[float, ...]) -> int:
    return sum(value >= e for e in edges)


def text_marks(text: str) -> float:
    """Share of words with a Vietnamese mark: near 0.6 on clean text, lower when garbled."""
    words = _WORD.findall(text[:20000])
    if not words:
        return 0.0
    return sum(bool(_MARKED.search(w)) for w in words) / len(words)


def _lead_key(task: Task) -> tuple[str, ...]:
    return tuple(sorted(unit["canonical"] for unit in task.lead))


def features(
    task: Task,
    index: int,
    tasks: list[Task],
    span: tuple[int, int],
    marks: float,
    leads: Counter | None = None,
) -> dict[str, float]:
    """Features of candidate `task` (number `index` of `tasks`) in a body spanning document
    offsets `span`, in text whose share of marked words is `marks`: name → value. Only what the
    printed candidate shows (its lead, action, deadline, place, the text), not how the rules found
    it, so that the rules of another day give the same features (`tools/train_tasks_model.py`
    learns from the rules as they were before they saw the documents it learns from)."""
    f: dict[str, float] = {"bias": 1.0}
    names = [unit["name"] for unit in task.lead]
    f["lead_n"] = min(len(names), 5) / 5
    f["lead_collective"] = float(any(unit["collective"] for unit in task.lead))
    f["lead_spelled"] = float(all(spelled_head(n) for n in names))
    f["lead_plausible"] = float(all(plausible_units(n, 2) for n in names))
    f["lead_odd"] = float(any(_ODD_LEAD.search(n) for n in names))
    f[f"lead_len={_bucket(sum(map(len, names)), (15, 30, 60, 90))}"] = 1.0
    f["lead_verb_tail"] = float(
        any(n.split()[-1:] and n.split()[-1] in _verb_tails() for n in names)
    )
    head = fold(names[0]).split()[:2] if names else []
    f[f"lead_head={' '.join(head)}"] = 1.0
    action = task.action
    action_f = fold(action)
    f[f"act_len={_bucket(len(action), (15, 40, 80, 150, 300))}"] = 1.0
    f["act_lower"] = float(action[:1].islower())
    letters = _LETTER.findall(action)
    f["act_caps"] = float(bool(letters) and sum(c.isupper() for c in letters) > 0.6 * len(letters))
    f["act_duty"] = float(opens_with_duty(action_f))
    f["act_closing"] = float(bool(_CLOSING.search(action_f.rstrip())))
    f["act_colon"] = float(action.rstrip().endswith(":"))
    f[f"act_w1={' '.join(action_f.split()[:1])}"] = 1.0
    f[f"kind={task.kind}"] = 1.0
    f["deadline"] = float(task.deadline is not None)
    f["urgent"] = float(task.urgent)
    f["report_to"] = float(task.report_to is not None)
    f["section_dieu"] = float(bool(task.section and task.section.startswith("Điều")))
    start, end = span
    if task.source_span and end > start:
        f["pos"] = min(max((task.source_span[0] - start) / (end - start), 0.0), 1.0)
    f["index"] = index / max(len(tasks), 1)
    f[f"n_tasks={_bucket(len(tasks), (2, 5, 10, 20, 40))}"] = 1.0
    leads = leads if leads is not None else Counter(_lead_key(t) for t in tasks)
    f["same_lead"] = min(leads[_lead_key(task)], 10) / 10
    f["marks"] = marks
    f["garbled"] = float(marks < 0.35)
    return f


def probability(model: dict, feats: dict[str, float]) -> float:
    weights = model["weights"]
    z = sum(weights.get(name, 0.0) * value for name, value in feats.items())
    z = max(min(z, 30.0), -30.0)
    return 1.0 / (1.0 + math.exp(-z))


def candidate_features(tasks: list[Task], text: str, span: tuple[int, int]) -> list[dict]:
    marks = text_marks(text[span[0] : span[1]] or text)
    leads = Counter(_lead_key(t) for t in tasks)
    return [features(t, i, tasks, span, marks, leads) for i, t in enumerate(tasks)]


def rescore(tasks: list[Task], text: str, span: tuple[int, int]) -> list[Task]:
    """The candidates as the model file's `use` says (or `using`): see `judge`. All of them, as
    the rules rated them, when the model file is missing."""
    if _captured is not None:
        _captured.append((copy.deepcopy(tasks), text, span))
    model = load_model()
    if model is None or not tasks:
        return tasks
    return judge(tasks, text, span, model, _forced or model["use"])


def lowered(confidence: float, p: float) -> float:
    """The rules' `confidence` lowered to the model's probability `p`, not below REVIEW_FLOOR."""
    return round(min(confidence, max(p, REVIEW_FLOOR), 0.99), 2)


def judge(tasks: list[Task], text: str, span: tuple[int, int], model: dict, use: str) -> list[Task]:
    """With "filter" the candidates at or above the model's threshold, with "confidence" all;
    each one's confidence the lower of the rules' (already set by `model.rate`) and the model's
    probability (`lowered`). With "rules", or above MAX_SCORED candidates, all as the rules
    rated them."""
    if use == "rules" or len(tasks) > MAX_SCORED:
        return tasks
    threshold = model["threshold"] if use == "filter" else 0.0
    kept = []
    for task, feats in zip(tasks, candidate_features(tasks, text, span), strict=True):
        p = probability(model, feats)
        if p >= threshold:
            task.confidence = lowered(task.confidence, p)
            kept.append(task)
    return kept
