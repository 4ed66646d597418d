"""Parse every corpus document and score the parser against the publisher's metadata.

    .venv/bin/python bench/parse_corpus.py [--corpus ../shared/corpus] [--misses]

Prints accuracy per field (number, type, date, signer, issuer), the misses, and docs/s on one core
(parsing the fields scored here, and parsing with the task extraction of `cchc.extract` too).
Documents whose header table was lost in the crawl (no `Số:` line and no national motto) are
reported apart: for them the right answer for a field the text does not carry is null.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from datetime import datetime
from pathlib import Path

from cchc import parse_file
from cchc.text import canonical, fold

HERE = Path(__file__).resolve().parent
FIELDS = ("number", "type", "date", "signer", "issuer")
TARGETS = {"number": 0.99, "type": 0.99, "date": 0.99, "signer": 0.97, "issuer": None}
_NUMBER_LINE = re.compile(r"^\W*(?:Luật\s+)?(?:Số|SỐ)\s*:?\s*[\w.-]*\s*/", re.M)
_MOTTO = re.compile(r"cong\s+hoa\s+xa\s+hoi|dang\s+cong\s+san\s+viet\s+nam")


def header_lost(text: str) -> bool:
    """No `Số:` line and no motto near the top: the crawl lost the header table."""
    head = "\n".join(text.splitlines()[:40])
    return not (_NUMBER_LINE.search(head) or _MOTTO.search(" ".join(fold(head).split())))


def expected(row: dict[str, str]) -> dict[str, str | None]:
    date = None
    if row["date"]:
        date = datetime.strptime(row["date"], "%d/%m/%Y").date().isoformat()
    return {
        "number": row["number"] or None,
        "type": row["type"] or None,
        "date": date,
        "signer": row["signer"] or None,
        "issuer": row["issuer"] or None,
    }


def got(doc) -> dict[str, str | None]:
    issuer = " ".join(x for x in (doc.parent_issuer, doc.issuer) if x) or None
    return {
        "number": doc.number,
        "type": doc.type,
        "date": doc.date,
        "signer": doc.signer.name if doc.signer else None,
        "issuer": issuer,
    }


def matches(field: str, want: str, have: str | None) -> bool:
    if have is None:
        return False
    if field == "issuer":
        # Every word of the publisher's place/authority is in the printed issuer lines.
        return set(fold(want).replace(",", " ").split()) <= set(
            fold(have).replace(",", " ").split()
        )
    if field == "number":
        return canonical(want).upper() == canonical(have).upper()
    return canonical(want).casefold() == canonical(have).casefold()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(HERE.parent.parent / "shared" / "corpus"))
    parser.add_argument("--misses", action="store_true", help="list every miss (default: first 40)")
    args = parser.parse_args()
    corpus = Path(args.corpus)
    meta_path = corpus / "metadata.tsv"
    if not meta_path.exists():
        print(f"no corpus at {corpus} (expected metadata.tsv and docs/)", file=sys.stderr)
        return 1
    rows = list(csv.DictReader(meta_path.open(encoding="utf-8"), delimiter="\t"))

    started = time.perf_counter()
    docs = {}
    for row in rows:
        docs[row["filename"]] = parse_file(corpus / "docs" / row["filename"], tasks=False)
    elapsed = time.perf_counter() - started
    started = time.perf_counter()
    for row in rows:
        parse_file(corpus / "docs" / row["filename"])
    elapsed_tasks = time.perf_counter() - started

    score = {"full": {f: [0, 0] for f in FIELDS}, "lost": {f: [0, 0] for f in FIELDS}}
    guesses = {f: 0 for f in FIELDS}
    misses: list[str] = []
    lost_count = 0
    for row in rows:
        doc = docs[row["filename"]]
        lost = header_lost((corpus / "docs" / row["filename"]).read_text(encoding="utf-8"))
        lost_count += lost
        want, have = expected(row), got(doc)
        for field in FIELDS:
            if want[field] is None:
                continue
            ok = matches(field, want[field], have[field])
            if lost and have[field] is None:
                continue  # the text does not carry it; null is the right answer
            bucket = score["lost" if lost else "full"][field]
            bucket[0] += ok
            bucket[1] += 1
            if not ok:
                if lost:
                    guesses[field] += 1
                misses.append(
                    f"{row['filename']}  {field:7} want {want[field]!r:40} got {have[field]!r}"
                )

    n = len(rows)
    print(f"corpus: {n} documents, {lost_count} with the header table lost in the crawl")
    print(f"speed: {n / elapsed:.0f} docs/s on one core ({elapsed:.2f} s), fields of this bench")
    print(f"       {n / elapsed_tasks:.0f} docs/s with task extraction too ({elapsed_tasks:.2f} s)")
    print()
    print(
        f"{'field':8} {'accuracy':>9} {'right/scored':>13} {'target':>7}"
        "   header-lost docs (right/scored)"
    )
    for field in FIELDS:
        right, total = score["full"][field]
        lright, ltotal = score["lost"][field]
        acc = right / total if total else 0.0
        target = TARGETS[field]
        mark = "" if target is None else ("ok" if acc >= target else "BELOW")
        tgt = "-" if target is None else f"{target:.0%}"
        print(f"{field:8} {acc:9.2%} {right:6}/{total:<6} {tgt:>7} {mark:5}  {lright}/{ltotal}")
    print()
    print(f"misses: {len(misses)}")
    for line in misses if args.misses else misses[:40]:
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
