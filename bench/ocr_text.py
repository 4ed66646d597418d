"""Metadata and syllables read from `tesseract -l eng` text of printed pages, clean and degraded.

    .venv/bin/python bench/ocr_text.py [--split test|tune|both] [--workers 2] [--show]

The documents are the held-out corpus documents (never in the n-gram model nor the OCR channel),
split once at random into tune and test (`bench/repair_split.json`). Each is drawn as two A4
pages at 300 dpi (`tools/build_ocr_channel.render`): its first 40 lines (the header) and its last
30 (the signature block); once clean and once degraded (`bench/ocr.py`'s rotation, blur and
speckles). The pages are read by `tesseract -l eng` (the OCR without the Vietnamese model that
produced the garbled seeds) and the text goes through `cchc.parse_source`, the route of a garbled
text file: repair, then parsing. Per split and print kind it prints:
- number (the full `595/UBND-NC`), type, date and signer: right / documents that have the field
  printed on the pages, the truth from `../shared/corpus/metadata.tsv`, or, where it is blank
  there, what cchc reads from the clean text (both compared after `cchc.text.canonical`,
  case-insensitive for names); fields the pages do not show are counted apart;
- how many of the fields read wrong, and of those read right, `quality.uncertain` lists;
- syllables of the repaired text right, aligned with the printed lines (case-insensitive, either
  tone placement), as `bench/ocr.py` counts them.
OCR output is cached under `~/.cache/cchc-bench/ocr-eng` (by a hash of the lines and the kind),
so a second run only repairs and parses.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "bench"))

from build_diacritics_model import corpus_texts  # noqa: E402
from build_ocr_channel import ocr_eng, render, wrap  # noqa: E402

from cchc import parse_source  # noqa: E402
from cchc.parse import parse_text  # noqa: E402
from cchc.readers import Source  # noqa: E402
from cchc.repair import header as repair_header  # noqa: E402
from cchc.repair import ocr_errors  # noqa: E402
from cchc.repair.names import Lexicon  # noqa: E402
from cchc.text import canonical, squash  # noqa: E402
from ocr import accuracy, degrade  # noqa: E402

SPLIT = ROOT / "bench" / "repair_split.json"
CACHE = Path.home() / ".cache" / "cchc-bench" / "ocr-eng"
FIELDS = ("number", "type", "date", "signer")


def split_names() -> dict[str, list[str]]:
    data = json.loads(SPLIT.read_text(encoding="utf-8"))
    return {"tune": data["tune"], "test": data["test"]}


def pages_of(text: str, signer: str | None = None) -> list[str]:
    """The printed pages: the first 40 printed lines (the header) and, for a longer document,
    the 30 that end with the signature block (the signer's name, when it is printed; else the
    last 30). Lines are counted as `render` wraps them, so what is chosen is what is drawn."""
    lines = wrap(text)
    if len(lines) <= 40:
        return ["\n".join(lines)]
    end = len(lines)
    if signer:
        at = [i for i, line in enumerate(lines) if canonical(signer) in canonical(line)]
        if at and at[-1] >= 40:
            end = at[-1] + 1
    return ["\n".join(lines[:40]), "\n".join(lines[max(40, end - 30) : end])]


def shown(field: str, want: str, pages: str) -> bool:
    """`want` is on the printed pages: a field the corpus's metadata has but the crawled text
    lacks (a công văn crawled from its "Kính gửi"), or that falls outside the two pages, cannot
    be read and is not counted."""
    flat = canonical(squash(pages)).lower()
    if field == "number":
        return canonical(want).replace(" ", "").lower() in flat.replace(" ", "")
    if field == "signer":
        return canonical(squash(want)).lower() in flat
    if field == "date":
        y, m, d = (int(part) for part in want.split("-"))
        return bool(
            re.search(rf"ngày\s*0?{d}\s*tháng\s*0?{m}\s*năm\s*{y}", flat)
            or re.search(rf"(?<!\d)0?{d}\s*[/.-]\s*0?{m}\s*[/.-]\s*{y}", flat)
        )
    return True


def read_page(text: str, kind: str, tmp: Path) -> tuple[str, str]:
    """(OCR text, the lines as printed) of one page, cached."""
    key = hashlib.sha1(f"{kind}\0{text}".encode()).hexdigest()
    cached = CACHE / f"{key}.json"
    if cached.exists():
        found = json.loads(cached.read_text(encoding="utf-8"))
        return found["ocr"], found["printed"]
    image = tmp / f"{key}-{threading.get_ident()}.png"
    printed = "\n".join(render(text, image))
    if kind == "degraded":
        degrade(image)
    out = ocr_eng(image)
    image.unlink()
    CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps({"ocr": out, "printed": printed}, ensure_ascii=False))
    return out, printed


def truth(name: str, text: str, meta: dict[str, dict[str, str]]) -> dict[str, str | None]:
    """Each field from metadata.tsv, or from cchc's reading of the clean text where blank."""
    row = meta.get(name, {})
    clean = parse_text(text, tasks=False)
    date = row.get("date") or ""
    if date.count("/") == 2:
        d, m, y = date.split("/")
        date = f"{y}-{int(m):02d}-{int(d):02d}"
    return {
        "number": row.get("number") or clean.number,
        "type": row.get("type") or clean.type,
        "date": date or clean.date,
        "signer": row.get("signer") or (clean.signer.name if clean.signer else None),
    }


def got_fields(doc) -> dict[str, str | None]:
    return {
        "number": doc.number,
        "type": doc.type,
        "date": doc.date,
        "signer": doc.signer.name if doc.signer else None,
    }


def same(field: str, want: str, got: str | None) -> bool:
    if got is None:
        return False
    a, b = canonical(squash(want)), canonical(squash(got))
    if field in ("signer", "type"):
        return a.lower() == b.lower()
    if field == "number":
        return a.replace(" ", "") == b.replace(" ", "")
    return a == b


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--split", choices=("tune", "test", "both"), default="both")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--show", action="store_true", help="print each wrong field")
    parser.add_argument(
        "--names",
        type=Path,
        help="another names lexicon (e.g. built with --leave-out-tune: tune names unseen)",
    )
    args = parser.parse_args()
    if args.names:
        lexicon = Lexicon(json.loads(args.names.read_text(encoding="utf-8")))
        ocr_errors.default_lexicon = repair_header.default_lexicon = lambda: lexicon
    if not (args.corpus / "docs").is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 1
    with (args.corpus / "metadata.tsv").open(encoding="utf-8") as fh:
        meta = {row["filename"]: row for row in csv.DictReader(fh, delimiter="\t")}
    texts = dict(corpus_texts(args.corpus, "test"))
    splits = split_names()
    chosen = ("tune", "test") if args.split == "both" else (args.split,)
    truths = {name: truth(name, texts[name], meta) for split in chosen for name in splits[split]}
    with tempfile.TemporaryDirectory() as tmp:
        jobs = [
            (split, name, kind, page)
            for split in chosen
            for name in splits[split]
            for kind in ("clean", "degraded")
            for page in pages_of(texts[name], truths[name]["signer"])
        ]
        with ThreadPoolExecutor(args.workers) as pool:
            read = list(pool.map(lambda job: read_page(job[3], job[2], Path(tmp)), jobs))
    pages: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
    for (split, name, kind, _page), found in zip(jobs, read, strict=True):
        pages.setdefault((split, name, kind), []).append(found)
    for split in chosen:
        for kind in ("clean", "degraded"):
            right = dict.fromkeys(FIELDS, 0)
            have = dict.fromkeys(FIELDS, 0)
            unprinted = dict.fromkeys(FIELDS, 0)
            # quality.uncertain against the truth: wrong fields flagged, right fields flagged.
            flagged = {"wrong": [0, 0], "right": [0, 0]}
            syl_right = syl_total = 0
            for name in splits[split]:
                found = pages[(split, name, kind)]
                garbled = "\n\n".join(ocr for ocr, _ in found)
                doc = parse_source(Source(garbled, "text", "utf-8"), name, tasks=False)
                for _ocr, printed in found:
                    r, t = accuracy(doc.text, printed)
                    syl_right, syl_total = syl_right + r, syl_total + t
                got = got_fields(doc)
                on_pages = "\n".join(lines for _ocr, lines in found)
                for field in FIELDS:
                    want = truths[name][field]
                    if not want:
                        continue
                    if not shown(field, want, on_pages):
                        unprinted[field] += 1
                        continue
                    have[field] += 1
                    ok = same(field, want, got[field])
                    right[field] += ok
                    if got[field] is not None:
                        counts = flagged["right" if ok else "wrong"]
                        counts[0] += field in doc.quality.uncertain
                        counts[1] += 1
                    if args.show and not ok:
                        print(f"  {split} {kind} {name} {field}: want {want!r} got {got[field]!r}")
            figures = " / ".join(
                f"{field} {right[field] / have[field]:.2f} ({right[field]}/{have[field]})"
                for field in FIELDS
            )
            print(f"{split:4} {kind:8} -l eng metadata: {figures}")
            if any(unprinted.values()):
                left = ", ".join(f"{f} {n}" for f, n in unprinted.items() if n)
                print(f"{split:4} {kind:8} not on the printed pages, not counted: {left}")
            (wf, wn), (rf, rn) = flagged["wrong"], flagged["right"]
            print(
                f"{split:4} {kind:8} quality.uncertain: {wf}/{wn} wrong fields flagged, "
                f"{rf}/{rn} right fields flagged"
            )
            print(
                f"{split:4} {kind:8} repair, syllables right: {syl_right / syl_total:.2%} "
                f"({syl_total} syllables, {len(splits[split])} documents)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
