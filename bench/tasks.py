"""Task extraction against the hand-annotated gold set in `tests/gold/tasks/`.

    .venv/bin/python bench/tasks.py [--shared ../shared] [--misses]

A predicted task matches a gold task when a lead unit matches (same canonical name, or one
contains the other), the deadline matches (the same ISO date, or both none) and the action words
overlap (at least 30% of the gold action's words). Prints precision, recall, F1, deadline
accuracy (over pairs that match on lead and action) and documents per second.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from rapidfuzz import fuzz

from cchc import parse_file, parse_text
from cchc.extract.units import canonical_name
from cchc.readers import read_file
from cchc.repair import repair
from cchc.text import fold

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold" / "tasks"


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
    return matched, len(used_gold), deadline_right, missed, extra


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    golds = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD.glob("*.json"))]
    if not args.shared.is_dir():
        print(f"no shared data at {args.shared}", file=sys.stderr)
        return 1
    docs = [parse_file(args.shared / g["file"]) for g in golds]
    # Speed of parsing and extraction on text already read (OCR and repair are measured apart).
    texts = [read_file(args.shared / g["file"]).text for g in golds]
    texts = [repair(t) for t in texts]
    started = time.perf_counter()
    for text in texts:
        parse_text(text)
    elapsed = time.perf_counter() - started
    tp = n_gold = n_pred = pairs = deadline_right = 0
    report = []
    for gold, doc in zip(golds, docs, strict=True):
        matched, p, d, missed, extra = score(gold["tasks"], doc.tasks)
        tp += matched
        pairs += p
        deadline_right += d
        n_gold += len(gold["tasks"])
        n_pred += len(doc.tasks)
        report.append((gold["file"], len(gold["tasks"]), len(doc.tasks), matched, missed, extra))
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"gold documents: {len(golds)}, gold tasks: {n_gold}, predicted: {n_pred}")
    print(f"precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}  (target F1 ≥ 0.90)")
    print(
        f"deadline accuracy {deadline_right / pairs if pairs else 0:.3f} "
        f"over {pairs} lead+action pairs (target ≥ 0.95)"
    )
    print(f"speed: {len(docs) / elapsed:.0f} docs/s (parse + extract on read text; target ≥ 100)")
    print()
    for file, n_g, n_p, matched, missed, extra in report:
        print(f"{file:45} gold {n_g:3} predicted {n_p:3} matched {matched:3}")
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
