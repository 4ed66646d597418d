"""OCR and repair on rendered held-out corpus pages, clean and degraded.

    .venv/bin/python bench/ocr.py [--docs 8]

For each held-out document (never seen by the models) the first page is drawn at 300 dpi
(`tools/build_ocr_channel.render`), once clean and once degraded (rotation, blur, speckles), then:
- `tesseract -l eng` + `cchc` repair: the garbled-OCR route of seeds 000/003/004;
- `tesseract -l vie` through `cchc.ocr` + repair when the output needs it: the scan route.
Prints syllables right (aligned, case-insensitive, either tone placement) and wall time per page
with the pages OCR'd two at a time. `--gate` prints instead, for the Vietnamese route, the
syllables right when the n-grams may change the marks only of words Tesseract read with a
confidence under each threshold (`cchc.ocr.MARKS_SURE_FROM` was chosen there).
Also prints seed 000 repaired against its clean text, seed 001,
aligned paragraph by paragraph (the two print the same parts in a different order).
"""

from __future__ import annotations

import argparse
import difflib
import math
import random
import re
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from build_diacritics_model import corpus_texts  # noqa: E402
from build_ocr_channel import ocr_eng, render  # noqa: E402

from cchc import external, layout  # noqa: E402
from cchc.repair import repair  # noqa: E402
from cchc.repair.diacritics import default_model  # noqa: E402
from cchc.repair.ocr_errors import repair_garbled  # noqa: E402
from cchc.repair.tokens import SYLLABLE  # noqa: E402
from cchc.text import canonical  # noqa: E402


def syllables(text: str) -> list[str]:
    return [canonical(m.group(0).lower()) for m in SYLLABLE.finditer(text)]


def accuracy(got: str, want: str) -> tuple[int, int]:
    """(syllables of `want` matched in order by `got`, syllables of `want`)."""
    w, g = syllables(want), syllables(got)
    matcher = difflib.SequenceMatcher(None, g, w, autojunk=False)
    return sum(b.size for b in matcher.get_matching_blocks()), len(w)


def degrade(path: Path) -> None:
    from PIL import Image, ImageFilter

    rng = random.Random(path.name)
    page = Image.open(path).convert("L")
    page = page.rotate(0.7, fillcolor=255, resample=Image.BICUBIC).filter(
        ImageFilter.GaussianBlur(1)
    )
    pixels = page.load()
    for _ in range(page.width * page.height // 300):
        pixels[rng.randrange(page.width), rng.randrange(page.height)] = rng.choice((0, 255))
    page.save(path, dpi=(300, 300))


def gate(pages: list[tuple[str, Path, str]]) -> int:
    """Syllables right of `tesseract -l vie` + the marks' repair, with the repair allowed only on
    words read under each confidence (None: on every word, the repair without OCR's confidences;
    0: on none, plain OCR)."""
    from cchc.repair import diacritics

    model = default_model()
    with ThreadPoolExecutor(2) as pool:
        reads = list(
            pool.map(lambda p: layout.parse_tsv(external.tesseract_tsv(p[1], dpi=300)), pages)
        )
    settings = [(None, None)] + [
        (below, sure) for below in (80, 90, 93, 95) for sure in (-math.inf, 1e-5, 1e-6, 1e-8)
    ]
    for below, sure in settings:
        diacritics.OCR_SURE_SWAP = math.log(sure) if sure and sure > 0 else -math.inf
        for kind in ("clean", "degraded"):
            right = total = 0
            for (k, _image, want), words in zip(pages, reads, strict=True):
                if k != kind:
                    continue
                lines: dict[tuple, list[str]] = {}
                for w in words:
                    lines.setdefault(w.key, []).append(w.text)
                text = "\n".join(" ".join(line) for line in lines.values())
                unsure = None if below is None else layout.unsure_words(words, below)
                r, t = accuracy(model.restore_ocr(text, unsure), want)
                right, total = right + r, total + t
            print(
                f"gate {below!s:5} sure swap {sure!s:6} {kind:8} {right / total:7.2%}"
                f" syllables right ({total})"
            )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--docs", type=int, default=8)
    parser.add_argument("--gate", action="store_true", help="sweep the word-confidence gate")
    args = parser.parse_args()
    if not (args.corpus / "docs").is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 1
    docs = [t for _, t in corpus_texts(args.corpus, "test")][: args.docs]
    with tempfile.TemporaryDirectory() as tmp:
        pages = []
        for i, text in enumerate(docs):
            for kind in ("clean", "degraded"):
                image = Path(tmp) / f"{i}-{kind}.png"
                lines = render(text, image)
                if kind == "degraded":
                    degrade(image)
                pages.append((kind, image, "\n".join(lines)))

        if args.gate:
            return gate(pages)

        def vie(page):
            text, _conf = external.tesseract(page[1], dpi=300)
            return text

        routes = (
            ("eng OCR + repair", lambda page: ocr_eng(page[1]), repair_garbled),
            ("vie OCR", vie, lambda text: text),
            ("vie OCR + repair", vie, lambda text: repair(text, ocr=True)),
        )
        for route, run, fix in routes:
            started = time.perf_counter()
            with ThreadPoolExecutor(2) as pool:
                outputs = list(pool.map(run, pages))
            per_page = (time.perf_counter() - started) / len(pages)
            for kind in ("clean", "degraded"):
                right = total = 0
                for (k, _image, want), got in zip(pages, outputs, strict=True):
                    if k == kind:
                        r, t = accuracy(fix(got), want)
                        right, total = right + r, total + t
                print(
                    f"{route:18} {kind:8} {right / total:7.2%} syllables right ({total} syllables)"
                )
            print(f"{route:18} {per_page:.2f} s/page wall time, 2 pages at a time, 300 dpi")
    seeds = ROOT.parent / "shared" / "seeds"
    s000, s001 = sorted(seeds.glob("000_*.txt")), sorted(seeds.glob("001_*.txt"))
    if s000 and s001:
        # Paragraph by paragraph: 001 prints `Kính gửi` at the end, 000 at the top.
        repaired = repair_garbled(s000[0].read_text())
        right = total = 0
        for paragraph in re.split(r"\n\s*\n", s001[0].read_text()):
            r, t = accuracy(repaired, paragraph)
            right, total = right + r, total + t
        print(f"seed 000 repaired vs seed 001: {right / total:.2%} syllables right (target ≥ 95%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
