"""Metadata read from realistic scans, and what OCR costs per page.

    .venv/bin/python bench/scans.py [--count 12] [--seed 20261203] [--cpu]

1. Generates `--count` scans with `tools/make_scans.py` (fictional công văn in the ND30 layout,
   red seal, blue signature, a handwritten number on about half, margin notes, tint, skew,
   speckles, JPEG) into a temporary folder, with a seed that was never used while tuning
   (tuning used the three real scans in ../shared/scans and seeds 1–9; 777 is the test seed
   the figures are reported on), and prints per field
   (number, date, subject, signer) how often `cchc.parse_file` is right, how often it is wrong
   but flags the field in `quality.uncertain`, and how often it is wrong and sure; then the same
   for the route before this work (grey page, Tesseract's own order, no cleaning), on the same
   pages.
2. With `--cpu`: CPU seconds per page, measured as whole processes (this process's children):
   `cchc ocr FILE` against plain `pdftoppm -r DPI -gray` + `tesseract -l vie` on the same pages,
   once as one-page documents (a Python start per page) and once as one document of those
   pages (`pdfunite`), and where cchc's time goes (rendering, ink/deskew cleaning, Tesseract,
   the rest).
3. The real scans of ../shared/scans (when present): the fields read, for a look by eye (no
   reference transcription exists, so no syllable figure is printed for them).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from make_scans import make  # noqa: E402

from cchc import external, parse_file, parse_source  # noqa: E402
from cchc.readers import Source  # noqa: E402
from cchc.text import fold, squash  # noqa: E402

FIELDS = ("number", "date", "subject", "signer")


def got(doc, name: str) -> str | None:
    if name == "signer":
        return doc.signer.name if doc.signer else None
    return getattr(doc, name)


def same(name: str, value: str | None, truth: str) -> bool:
    if value is None:
        return False
    if name == "subject":
        return squash(fold(value)) == squash(fold(truth))
    return value == truth


def old_route(pdf: Path, dpi: int, tmp: Path):
    """The route before: grey rendering, Tesseract's own reading order, no cleaning."""
    image = external.render_pdf_page(pdf, 1, dpi, tmp)
    text, confidence = external.tesseract(image, dpi=dpi)
    return parse_source(Source(text=text, kind="ocr", pages=1, confidence=confidence), str(pdf))


def score(results: list[tuple[object, dict]], label: str, show: bool = False) -> None:
    print(f"{label}:")
    for name in FIELDS:
        right = right_flagged = flagged = sure_wrong = 0
        for doc, truth in results:
            ok = same(name, got(doc, name), truth[name])
            uncertain = name in (getattr(doc.quality, "uncertain", None) or [])
            right += ok
            right_flagged += ok and uncertain
            flagged += not ok and uncertain
            sure_wrong += not ok and not uncertain
            if show and not ok:
                print(f"    {name}: got {got(doc, name)!r}, want {truth[name]!r}")
        n = len(results)
        print(
            f"  {name:8} right {right / n:5.0%} (flagged for review {right_flagged / n:4.0%})"
            f"   wrong but flagged {flagged / n:4.0%}   wrong and sure {sure_wrong / n:4.0%}"
            f"   ({n} pages)"
        )


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_cpu(args: list[str]) -> float:
    before = children_cpu()
    subprocess.run(
        args, check=True, capture_output=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"}
    )
    return children_cpu() - before


def plain_tesseract(image: Path) -> list[str]:
    """Plain Tesseract with its Vietnamese model, as one would run it by hand."""
    return ["tesseract", str(image), "stdout", "-l", "vie", "--psm", "3"]


def cpu(pdfs: list[Path], dpi: int, tmp: Path) -> None:
    cchc = [sys.executable, "-m", "cchc.cli", "ocr"]
    ours = sum(run_cpu([*cchc, str(p)]) for p in pdfs)
    plain = 0.0
    for p in pdfs:
        plain += run_cpu(
            ["pdftoppm", "-r", str(dpi), "-gray", "-png", "-singlefile", str(p), str(tmp / "plain")]
        )
        plain += run_cpu(plain_tesseract(tmp / "plain.png"))
    startup = run_cpu([sys.executable, "-c", "import cchc.cli"])
    n = len(pdfs)
    print(f"CPU per page, whole processes, {n} one-page documents at {dpi} dpi:")
    print(f"  cchc ocr                 {ours / n:6.2f} s")
    print(f"  pdftoppm + tesseract     {plain / n:6.2f} s   (ratio {ours / plain:.2f}x)")
    print(f"  of which Python start and imports of cchc: {startup:.2f} s per process")
    # The measure: one document of n pages, one process for cchc.
    document = tmp / "document.pdf"
    subprocess.run(["pdfunite", *map(str, pdfs), str(document)], check=True)
    ours_doc = run_cpu([*cchc, str(document)])
    plain_doc = run_cpu(
        ["pdftoppm", "-r", str(dpi), "-gray", "-png", str(document), str(tmp / "p")]
    )
    for page in sorted(tmp.glob("p-*.png")):
        plain_doc += run_cpu(plain_tesseract(page))
    print(f"CPU per page, whole processes, one document of {n} pages:")
    print(f"  cchc ocr                 {ours_doc / n:6.2f} s")
    print(
        f"  pdftoppm + tesseract     {plain_doc / n:6.2f} s   (ratio {ours_doc / plain_doc:.2f}x)"
    )
    # Where the time goes, in this process: the cleaning step alone.
    from PIL import Image

    from cchc import inks

    started = time.process_time()
    for p in pdfs:
        rendered = external.render_pdf_page(p, 1, dpi, tmp, colour=True, fmt="pnm")
        inks.clean_page(Image.open(rendered))
    print(
        "  ink removal, deskew, speckle test (in-process): "
        f"{(time.process_time() - started) / n:.2f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=12)
    parser.add_argument("--seed", type=int, default=20261203)
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--cpu", action="store_true")
    parser.add_argument("--show", action="store_true", help="print each field read wrong")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cchc-bench-scans-") as tmp:
        pdfs = make(Path(tmp) / "set", args.count, args.seed, args.dpi)
        truths = [json.loads(p.with_suffix(".json").read_text()) for p in pdfs]
        print(f"{len(pdfs)} generated scans, seed {args.seed}, {args.dpi} dpi")
        new = [(parse_file(p, tasks=False), t) for p, t in zip(pdfs, truths, strict=True)]
        score(new, "cchc.parse_file (ink removal, deskew, layout, uncertain fields)", args.show)
        old = [(old_route(p, args.dpi, Path(tmp)), t) for p, t in zip(pdfs, truths, strict=True)]
        score(old, "before (grey page, Tesseract's order)")
        hand = [(d, t) for d, t in new if t["handwritten_number"]]
        if hand:
            score(hand, "cchc.parse_file, pages with a handwritten number only")
        if args.cpu:
            cpu(pdfs[: min(4, len(pdfs))], args.dpi, Path(tmp))
    scans = ROOT.parent / "shared" / "scans"
    for path in sorted(scans.glob("*.pdf")) if scans.is_dir() else []:
        doc = parse_file(path, tasks=False)
        print(
            f"{path.name}: number {doc.number}, date {doc.date}, issuer {doc.issuer}, "
            f"subject {doc.subject!r}, signer {got(doc, 'signer')}, uncertain "
            f"{doc.quality.uncertain}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
