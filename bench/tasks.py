"""Task extraction against the hand-annotated gold set in `tests/gold/tasks/`.

    .venv/bin/python bench/tasks.py [--shared ../shared] [--misses] [--split tune|test|all]

The gold set is split once, at random, into tune (60%) and test (40%) documents
(`tests/gold/split.json`): rules and settings are chosen from tune documents only, and the test
figure is the one to report. A gold file with `"garble": "no-diacritics"` scores the same document
with its diacritics stripped (as OCR without a Vietnamese model prints it), so the repair route is
measured too; such a twin sits in the same split as its clean document. Besides, every document
is scored as a garbled twin the way `parse_file` reads such text (found garbled, repaired, its
tasks less sure and the unsure ones not proposed), with the same gold tasks (`--no-twins` skips
this, the slowest part).
A predicted task matches a gold task when a lead unit matches (same canonical name, or one
contains the other), the deadline matches (the same ISO date, or both none) and the action words
overlap (at least 30% of the gold action's words). Prints precision, recall, F1, deadline
accuracy (over pairs that match on lead and action), the share of tasks with confidence >= 0.8
that are right (lead and action), and documents per second.

Each split is scored three ways (issue 16): the rules alone, and the rules with the re-scorer of
`cchc.extract.tasks.rescore` used as "confidence" (every candidate kept, confidence lowered to the
model's probability) and as "filter" (candidates below the model's threshold dropped too); the
line marked `shipped` is what `parse_file` gives with the model file as shipped. The model's
5-fold cross-validation on tune documents (printed by `tools/train_tasks_model.py`, kept in the
model file) is printed first, and the time the extractor takes per document with and without it.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import time
from pathlib import Path

from rapidfuzz import fuzz

from cchc import parse_file, parse_source, parse_text
from cchc.extract.tasks import rescore
from cchc.extract.units import canonical_name
from cchc.readers import read_file
from cchc.repair import repair
from cchc.text import fold, strip_marks

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold" / "tasks"
SPLIT = ROOT / "tests" / "gold" / "split.json"
SURE = 0.8  # tasks at or above this confidence should be right at least 90% of the time


def split_of(stem: str) -> str:
    """'tune' or 'test' for a gold file stem (a garbled twin goes with its clean document)."""
    split = json.loads(SPLIT.read_text(encoding="utf-8"))
    base = stem.removesuffix("-garbled")
    for name in ("tune", "test"):
        if base in split[name]:
            return name
    raise SystemExit(f"{stem}: not in {SPLIT.name}; add it to tune or test once, at random")


def lead_matches(gold: list[str], predicted: list[dict]) -> bool:
    for g in gold:
        gk = canonical_name(g)
        for p in predicted:
            pk = p["canonical"]
            if gk == pk or gk in pk or pk in gk or fuzz.token_set_ratio(gk, pk) >= 90:
                return True
    return False


def action_overlap(gold: str, predicted: str) -> float:
    g = set(fold(gold).split())
    p = set(fold(predicted).split())
    return len(g & p) / len(g) if g else 0.0


def score(gold_tasks: list[dict], predicted: list[dict]):
    """(matched, lead+action pairs, deadline right among them, missed gold, extra predicted).

    Pairs are assigned best overlap first, each task at most once."""
    candidates = []
    for gi, g in enumerate(gold_tasks):
        for pi, p in enumerate(predicted):
            if lead_matches(g["lead"], p["lead"]):
                overlap = action_overlap(g["action"], p["action"])
                if overlap >= 0.3:
                    candidates.append((overlap, gi, pi))
    used_gold: dict[int, int] = {}
    used_pred: set[int] = set()
    for _overlap, gi, pi in sorted(candidates, reverse=True):
        if gi not in used_gold and pi not in used_pred:
            used_gold[gi] = pi
            used_pred.add(pi)
    matched = deadline_right = 0
    missed = []
    for gi, g in enumerate(gold_tasks):
        if gi not in used_gold:
            missed.append(g)
            continue
        got = predicted[used_gold[gi]]["deadline"]
        if got == g["deadline"]:
            deadline_right += 1
            matched += 1
        else:
            missed.append({**g, "got_deadline": got})
    extra = [p for i, p in enumerate(predicted) if i not in used_pred]
    return matched, len(used_gold), deadline_right, missed, extra, used_pred


def load(gold: dict, shared: Path):
    """The parsed document a gold file describes, and its read (and repaired) text."""
    path = shared / gold["file"]
    if gold.get("garble") == "no-diacritics":
        text = repair(strip_marks(read_file(path).text))
        return parse_text(text), text
    return parse_file(path), repair(read_file(path).text)


def garbled_twin(gold: dict, shared: Path) -> list[dict]:
    """The tasks `parse_file` proposes from the document's text with its diacritics stripped."""
    source = read_file(shared / gold["file"])
    source.text = strip_marks(source.text)
    return parse_source(source, gold["file"]).tasks


def variants(gold: dict, shared: Path) -> tuple[dict[str, list[dict]], str]:
    """The tasks of a gold file's document with the rules alone and with each use of the model
    (one parse: the model judges the rules' candidates as the extractor would), and its text."""
    with rescore.rules_only(), rescore.capturing() as calls:
        doc, text = load(gold, shared)
    out = {"rules": doc.tasks}
    model = rescore.load_model()
    for use in ("confidence", "filter"):
        if model is None or not calls:
            out[use] = doc.tasks
            continue
        tasks, body, span = calls[-1]
        judged = rescore.judge(copy.deepcopy(tasks), body, span, model, use)
        out[use] = [t.to_dict() for t in judged]
    return out, text


def figures(golds: list[dict], docs: list[list[dict]], label: str) -> list[tuple]:
    tp = n_gold = n_pred = pairs = deadline_right = 0
    sure = sure_right = 0
    report = []
    for gold, predicted in zip(golds, docs, strict=True):
        matched, p, d, missed, extra, right = score(gold["tasks"], predicted)
        for i, task in enumerate(predicted):
            if task["confidence"] >= SURE:
                sure += 1
                sure_right += i in right
        tp += matched
        pairs += p
        deadline_right += d
        n_gold += len(gold["tasks"])
        n_pred += len(predicted)
        report.append(
            (
                gold["file"] + (" (garbled)" if gold.get("garble") else ""),
                len(gold["tasks"]),
                len(predicted),
                matched,
                missed,
                extra,
            )
        )

    def f1(hits: int) -> tuple[float, float, float]:
        precision = hits / n_pred if n_pred else 0.0
        recall = hits / n_gold if n_gold else 0.0
        both = precision + recall
        return precision, recall, (2 * precision * recall / both if both else 0.0)

    la, lad = f1(pairs), f1(tp)
    print(f"{label}: {len(golds)} documents, gold tasks {n_gold}, predicted {n_pred}")
    print(f"  lead + action:            precision {la[0]:.3f}  recall {la[1]:.3f}  F1 {la[2]:.3f}")
    print(
        f"  lead + action + deadline: precision {lad[0]:.3f}  recall {lad[1]:.3f}  F1 {lad[2]:.3f}"
    )
    print(
        f"  deadline accuracy {deadline_right / pairs if pairs else 0:.3f} "
        f"over {pairs} lead+action pairs"
    )
    print(
        f"  confidence >= {SURE}: {sure} tasks ({sure / n_pred if n_pred else 0:.0%} of predicted),"
        f" right (lead + action) {sure_right / sure if sure else 0:.3f}"
    )
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--misses", action="store_true", help="list misses (tune documents only)")
    parser.add_argument("--split", choices=["tune", "test", "all"], default="all")
    parser.add_argument("--no-twins", action="store_true", help="skip the garbled twins")
    args = parser.parse_args()
    if not args.shared.is_dir():
        print(f"no shared data at {args.shared}", file=sys.stderr)
        return 1
    golds = {}
    for path in sorted(GOLD.glob("*.json")):
        golds[path.stem] = json.loads(path.read_text(encoding="utf-8"))
    parts = {"tune": [], "test": []}
    for stem in golds:
        parts[split_of(stem)].append(stem)
    loaded = {
        stem: variants(gold, args.shared)
        for stem, gold in golds.items()
        if args.split in ("all", split_of(stem))
    }
    twins = {
        s: garbled_twin(golds[s], args.shared)
        for s in loaded
        if not (args.no_twins or golds[s].get("garble"))
    }
    model = rescore.load_model()
    shipped = model["use"] if model else "rules"
    # Speed of parsing and extraction on text already read (OCR and repair are measured apart).
    for use in ("rules", "confidence"):
        with rescore.using(use):
            started = time.perf_counter()
            for _tasks, text in loaded.values():
                parse_text(text)
            elapsed = time.perf_counter() - started
        print(
            f"speed, {use:10}: {len(loaded) / elapsed:.0f} docs/s, "
            f"{1000 * elapsed / len(loaded):.1f} ms per document (parse + extract on read text)"
        )
    if model:
        print(f"\nmodel file: {model['about']}; shipped use: {shipped}")
        print("5-fold CV on tune documents (tools/train_tasks_model.py):")
        for where, key in (("UNSEEN (blind tune, old rules)", "cv_unseen"), ("TUNE", "cv_tune")):
            for use, fig in model[key].items():
                print(
                    f"  {where:31} {use:10} P {fig['P']:.3f} R {fig['R']:.3f} F1 {fig['F1']:.3f}"
                    f" +deadline {fig['F1dl']:.3f}  conf>={SURE}: {fig['sure']} right"
                    f" {fig['sure_right']:.3f}"
                )
    else:
        print("\nno model file: the rules alone")
    print()
    reports = {}
    for name in ("tune", "test"):
        if args.split in (name, "all"):
            stems = parts[name]
            gold_list = [golds[s] for s in stems]
            for use in ("rules", "confidence", "filter") if model else ("rules",):
                mark = " (shipped)" if use == shipped else ""
                report = figures(
                    gold_list, [loaded[s][0][use] for s in stems], f"{name.upper()} {use}{mark}"
                )
                if use == shipped:
                    reports[name] = report
            garbled = [s for s in stems if s in twins]
            if garbled:
                # Every document read without diacritics and repaired, as parse_file reads it:
                # what a scan read without the Vietnamese model gives.
                figures(
                    [golds[s] for s in garbled],
                    [twins[s] for s in garbled],
                    f"{name.upper()} garbled, every document as parse_file reads it",
                )
    print("\n(report the TEST figures; tune documents are the only ones to read while tuning)")
    for file, n_g, n_p, matched, missed, extra in reports.get("tune", []):
        print(f"{file:56} gold {n_g:3} predicted {n_p:3} matched {matched:3}")
        if args.misses:
            for g in missed:
                got = f" (got {g['got_deadline']})" if "got_deadline" in g else ""
                print(f"    MISSED {g['lead']} | {g['action'][:70]} | {g['deadline']}{got}")
            for p in extra:
                print(
                    f"    EXTRA  {[u['name'] for u in p['lead']]} | {p['action'][:70]}"
                    f" | {p['deadline']}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
