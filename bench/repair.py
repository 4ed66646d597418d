"""Diacritic restoration on the held-out split of the corpus, marks stripped.

    .venv/bin/python bench/repair.py [--corpus ../shared/corpus] [--errors 30]

Prints the share of syllables restored exactly (case-insensitive), the speed in syllables/s, the
model load time, and the most frequent confusions. The held-out documents are those the model
builder (`tools/build_diacritics_model.py`) leaves out; they are split once at random into tune
and test (`bench/repair_split.json`), and both figures are printed: settings are chosen on tune,
test is the figure to report. The repair of garbled `tesseract -l eng` text (syllables, and the
metadata read from it) is measured by `bench/ocr_text.py` on the same split.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from build_diacritics_model import corpus_texts  # noqa: E402

from cchc.repair.diacritics import DiacriticModel  # noqa: E402
from cchc.repair.tokens import SYLLABLE  # noqa: E402
from cchc.text import canonical, strip_marks  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--errors", type=int, default=20, help="how many confusions to list")
    args = parser.parse_args()
    if not (args.corpus / "docs").is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 1

    started = time.perf_counter()
    model = DiacriticModel.load()
    load_s = time.perf_counter() - started

    split = json.loads((ROOT / "bench" / "repair_split.json").read_text(encoding="utf-8"))
    texts = dict(corpus_texts(args.corpus, "test"))
    confusions: Counter = Counter()
    for part in ("tune", "test"):
        docs = [(name, texts[name]) for name in split[part]]
        right = total = 0
        elapsed = 0.0
        for _name, text in docs:
            stripped = strip_marks(text)
            t0 = time.perf_counter()
            restored = model.restore(stripped)
            elapsed += time.perf_counter() - t0
            # Both tone placements (uỷ/ủy) are right: compare in the canonical placement.
            want = [canonical(m.group(0).lower()) for m in SYLLABLE.finditer(text)]
            got = [canonical(m.group(0).lower()) for m in SYLLABLE.finditer(restored)]
            assert len(want) == len(got), "restoration must keep every syllable"
            for w, g in zip(want, got, strict=True):
                total += 1
                if w == g:
                    right += 1
                elif part == "tune":  # confusions of the tune split only: they guide changes
                    confusions[(w, g)] += 1
        print(f"{part}: {len(docs)} held-out documents, {total} syllables")
        print(f"{part}: diacritic restoration: {right / total:.2%} syllables exactly right")
        print(f"{part}: speed: {total / elapsed:,.0f} syllables/s (target ≥ 20,000)")
    print(f"model load: {load_s:.2f} s (target ≤ 1 s)")
    print("most frequent confusions of the tune split (expected → restored):")
    for (w, g), n in confusions.most_common(args.errors):
        print(f"  {n:4}  {w} → {g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
