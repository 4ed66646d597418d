"""Syllables right in the OCR of real scans, against a transcription made by eye.

    .venv/bin/python bench/scan_syllables.py --reference DIR [--scans ../shared/scans]

`DIR` holds `N.txt` for the scan `N.pdf`: its printed text typed from the page images, never from
OCR output (handwriting, seals and signatures left out). The transcriptions are not in the
repository: they are whole copies of real documents. Each scan is read two ways:
- cchc (`cchc.parse_file`, the text it stores): ink separation, deskew and cleaning, layout, repair;
- plain `pdftoppm -r 300` + `tesseract -l vie` on each page, the baseline.
A reference paragraph is matched against the whole OCR text (`bench/ocr.py`'s `accuracy`:
aligned, case-insensitive, either tone placement), so that a header read in another column
order still counts its syllables; the figure is syllables matched over syllables of the
transcription.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from cchc import parse_file  # noqa: E402
from ocr import accuracy  # noqa: E402


def plain_tesseract(pdf: Path) -> str:
    """The baseline: each page drawn at 300 dpi and read by `tesseract -l vie`, nothing else."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", "300", "-png", str(pdf), f"{tmp}/p"], check=True)
        pages = []
        for image in sorted(Path(tmp).glob("p*.png")):
            out = subprocess.run(
                ["tesseract", str(image), "-", "-l", "vie"],
                capture_output=True,
                text=True,
                check=True,
            )
            pages.append(out.stdout)
    return "\n".join(pages)


def right_of(got: str, reference: str) -> tuple[int, int]:
    """(syllables matched, syllables of the transcription), paragraph by paragraph."""
    right = total = 0
    for paragraph in re.split(r"\n\s*\n", reference):
        r, t = accuracy(got, paragraph)
        right, total = right + r, total + t
    return right, total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, required=True)
    parser.add_argument("--scans", type=Path, default=ROOT.parent / "shared" / "scans")
    args = parser.parse_args()
    references = [
        ref
        for ref in sorted(args.reference.glob("*.txt"))
        if (args.scans / f"{ref.stem}.pdf").is_file()
    ]
    if not references:
        print(f"no transcription N.txt of a scan N.pdf of {args.scans} in {args.reference}")
        return 1
    sums = {"cchc": [0, 0], "tesseract": [0, 0]}
    for ref in references:
        pdf = args.scans / f"{ref.stem}.pdf"
        want = ref.read_text(encoding="utf-8")
        for route, text in (
            ("cchc", parse_file(pdf, tasks=False).text),
            ("tesseract", plain_tesseract(pdf)),
        ):
            r, t = right_of(text, want)
            sums[route][0] += r
            sums[route][1] += t
            print(f"{pdf.name:8} {route:10} {r / t:7.2%} syllables right ({t} syllables)")
    for route, (r, t) in sums.items():
        print(f"all      {route:10} {r / t:7.2%} syllables right ({t} syllables, target ≥ 95%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
