"""Rebuild the OCR error (channel) model shipped in `src/cchc/data/ocr_channel.json`.

    .venv/bin/python tools/build_ocr_channel.py [--corpus ../shared/corpus] [--docs 40]

Real error pairs: training documents of the corpus (never the held-out split) are rendered to page
images with Pillow (DejaVu Sans, 300 dpi) and read back by `tesseract -l eng`, the OCR without the
Vietnamese model that produced the garbled seeds. Tokens are aligned with the original text, and
the character edits between each original syllable (folded) and what OCR printed (folded, digits
kept) are counted. The file holds log-probabilities of each edit, smoothed.
"""

from __future__ import annotations

import argparse
import difflib
import json
import math
import subprocess
import sys
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tools"))

from build_diacritics_model import corpus_texts  # noqa: E402
from rapidfuzz.distance import Levenshtein  # noqa: E402

from cchc.text import fold  # noqa: E402

OUT = ROOT / "src" / "cchc" / "data" / "ocr_channel.json"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def wrap(text: str) -> list[str]:
    """The printed lines of `text`: its non-blank lines wrapped at ~75 characters."""
    lines: list[str] = []
    for para in text.splitlines():
        while len(para) > 75:
            cut = para.rfind(" ", 0, 75)
            cut = cut if cut > 20 else 75
            lines.append(para[:cut])
            para = para[cut:].lstrip()
        if para.strip():
            lines.append(para)
    return lines


def render(text: str, out: Path, dpi: int = 300, max_lines: int = 40) -> list[str]:
    """Draw the first lines of `text`, wrapped at ~75 characters, on one A4 page."""
    from PIL import Image, ImageDraw, ImageFont

    lines = wrap(text)[:max_lines]
    page = Image.new("L", (int(8.27 * dpi), int(11.69 * dpi)), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, int(12 / 72 * dpi))
    for i, line in enumerate(lines):
        draw.text((int(0.8 * dpi), int(0.7 * dpi) + i * int(12 / 72 * dpi * 1.45)), line, 0, font)
    page.save(out, dpi=(dpi, dpi))
    return lines


def ocr_eng(image: Path) -> str:
    return subprocess.run(
        ["tesseract", str(image), "stdout", "-l", "eng", "--psm", "6"],
        capture_output=True,
        check=True,
        env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"},
    ).stdout.decode("utf-8", "replace")


def pairs(original: list[str], garbled: str) -> list[tuple[str, str]]:
    """(original token, OCR token) for aligned tokens of the same line count."""
    want = [t for line in original for t in line.split()]
    got = garbled.split()
    matcher = difflib.SequenceMatcher(None, [fold(t) for t in want], [fold(t) for t in got])
    out = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("equal", "replace") and i2 - i1 == j2 - j1:
            out.extend(zip(want[i1:i2], got[j1:j2], strict=True))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--docs", type=int, default=40)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    docs = [t for _, t in corpus_texts(args.corpus, "train")][:: max(1, 400 // args.docs)]
    docs = docs[: args.docs]
    edits: Counter = Counter()
    chars: Counter = Counter()
    with tempfile.TemporaryDirectory() as tmp:

        def job(i_text):
            i, text = i_text
            image = Path(tmp) / f"{i}.png"
            lines = render(text, image)
            return pairs(lines, ocr_eng(image))

        with ThreadPoolExecutor(2) as pool:
            for found in pool.map(job, enumerate(docs)):
                for want, got in found:
                    source = fold(want.strip(".,;:()")).lower()
                    seen = got.strip(".,;:()").lower()
                    seen = "".join(c if c.isdigit() or c in "&¢€" else fold(c) for c in seen)
                    if not source.isalpha() or len(source) > 8:
                        continue
                    chars.update(source)
                    for op, i, j in Levenshtein.editops(source, seen):
                        a = source[i] if op != "insert" else ""
                        b = seen[j] if op != "delete" else ""
                        edits[(a, b)] += 1
    total_chars = sum(chars.values())
    table = {}
    for (a, b), count in edits.items():
        if count < 3:
            continue
        base = chars[a] if a else total_chars
        table[f"{a}>{b}"] = round(math.log((count + 0.5) / (base + 1)), 3)
    args.out.write_text(json.dumps(dict(sorted(table.items())), ensure_ascii=False, indent=0))
    top = ", ".join(f"{k}" for k, _ in sorted(edits.items(), key=lambda kv: -kv[1])[:25])
    print(f"wrote {args.out}: {len(table)} edits from {sum(edits.values())} seen; most: {top}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
