"""Scans → text: images and image-only PDF pages through Tesseract's Vietnamese model.

PDF pages that carry a text layer keep it (mixed PDFs are handled page by page); scanned pages
are rendered at the resolution of the image embedded in them (`pdfimages -list`), not a fixed
300 dpi, and OCR'd one page per core.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from cchc import errors, external

DEFAULT_DPI = 300
MAX_PAGES = 500
MAX_PIXELS = 120_000_000  # Pillow's decompression-bomb guard, per page


@dataclass
class OcrResult:
    text: str
    confidence: float  # mean word confidence of the OCR'd pages, 0–1
    pages: int
    ocr_pages: int


Progress = Callable[[int, int], None]


def _run_pages(jobs: list[Callable[[], tuple[str, float]]], progress: Progress | None):
    results: list[tuple[str, float] | None] = [None] * len(jobs)
    workers = max(1, min(len(jobs), os.cpu_count() or 1))
    with ThreadPoolExecutor(workers) as pool:
        futures = {pool.submit(job): i for i, job in enumerate(jobs)}
        for done, future in enumerate(futures, start=1):
            results[futures[future]] = future.result()
            if progress:
                progress(done, len(jobs))
    return results


def ocr_pdf(
    path: Path, layers: list[str], scanned: list[int], progress: Progress | None = None
) -> OcrResult:
    """OCR the pages listed in `scanned` (0-based); the other pages keep their text `layers`."""
    count = len(layers)
    if len(scanned) > MAX_PAGES:
        raise errors.FileTooLarge(
            str(path), f"PDF có {len(scanned)} trang quét, quá giới hạn {MAX_PAGES} trang"
        )
    dpi = external.pdf_image_dpi(path)
    with tempfile.TemporaryDirectory(prefix="cchc-ocr-") as tmp:

        def job(index: int):
            page_dpi = dpi.get(index + 1, DEFAULT_DPI)
            image = external.render_pdf_page(path, index + 1, page_dpi, Path(tmp))
            return external.tesseract(image, dpi=page_dpi)

        results = _run_pages([lambda i=i: job(i) for i in scanned], progress)
    texts = list(layers)
    confidences = []
    for index, (text, confidence) in zip(scanned, results, strict=True):
        texts[index] = text
        confidences.append(confidence)
    return OcrResult("\n".join(texts), sum(confidences) / len(confidences), count, len(scanned))


def ocr_image(path: Path, progress: Progress | None = None) -> OcrResult:
    """PNG, JPEG, TIFF (every page of a multi-page TIFF), GIF, BMP."""
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    with tempfile.TemporaryDirectory(prefix="cchc-ocr-") as tmp:
        pages: list[tuple[Path, int | None]] = []
        try:
            with Image.open(path) as image:
                frames = getattr(image, "n_frames", 1)
                if frames > MAX_PAGES:
                    raise errors.FileTooLarge(
                        str(path), f"ảnh có {frames} trang, quá giới hạn {MAX_PAGES}"
                    )
                for index in range(frames):
                    image.seek(index)
                    dpi = image.info.get("dpi", (0, 0))[0]
                    out = Path(tmp) / f"page-{index + 1}.png"
                    image.convert("L").save(out)
                    pages.append((out, int(dpi) if dpi and dpi >= 70 else None))
        except Image.DecompressionBombError as exc:
            raise errors.FileTooLarge(
                str(path), f"ảnh quá lớn (decompression bomb?): {exc}"
            ) from exc
        except (UnidentifiedImageError, OSError, SyntaxError) as exc:
            raise errors.DamagedFile(
                str(path), f"ảnh bị hỏng, không mở được (damaged image): {exc}"
            ) from exc
        results = _run_pages(
            [lambda p=p, d=d: external.tesseract(p, dpi=d) for p, d in pages], progress
        )
    text = "\n".join(t for t, _ in results)
    confidence = sum(c for _, c in results) / len(results)
    return OcrResult(text, confidence, len(pages), len(pages))
