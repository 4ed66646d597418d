"""Scans → text: images and image-only PDF pages through Tesseract's Vietnamese model.

PDF pages that carry a text layer keep it (mixed PDFs are handled page by page); scanned pages
are rendered at the resolution of the image embedded in them (`pdfimages -list`), not a fixed
300 dpi, and OCR'd one page per core.

OCR work per file is bounded: blank scanned pages are found on a small rendering and skipped,
at most MAX_OCR_PAGES pages go through Tesseract, and none starts after OCR_SECONDS; what was
left unread is said in the result's warnings (a 50 KB PDF of 500 blank pages took 507 s).
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from cchc import errors, external

DEFAULT_DPI = 300
MAX_PAGES = 500
# Pixels of one page image, scanned or rendered: an A3 page at 600 dpi is ~70 million, an A0 at
# 300 dpi ~140 million. More is a decompression bomb (a small PNG that inflates to gigabytes, a
# PDF page of 5 x 5 m or with a 50,000-pixel image). Pillow itself only refuses beyond twice its
# MAX_IMAGE_PIXELS (below that it warns), so the size is checked here before any decoding.
MAX_PIXELS = 120_000_000
# Scanned PDF pages are rendered at the resolution of their image, never above this, and lower
# when the page is so large that MAX_PIXELS would be passed.
MAX_DPI = 600
MIN_DPI = 70  # below this Tesseract reads nothing: the page is refused instead
# An image embedded in a scanned PDF page is decoded whole when the page is rendered, however
# small the page: 4x MAX_PIXELS (an A0 sheet scanned at 400 dpi) and no more.
MAX_EMBEDDED_PIXELS = 4 * MAX_PIXELS
# OCR work for one file: pages read by Tesseract (about a second or two each per core), and the
# time after which no further page is started.
MAX_OCR_PAGES = 100
OCR_SECONDS = 600
# A scanned page is blank when, rendered small (at most BLANK_PIXELS), fewer than BLANK_MARKS
# pixels are clearly darker than its paper (BLANK_CONTRAST grey levels below the commonest).
BLANK_PIXELS = 1_000_000
BLANK_DPI = 100
BLANK_MARKS = 20
BLANK_CONTRAST = 40


def check_embedded_image(path: Path, page: int, width: int, height: int) -> None:
    """Refuse a scanned page whose image would inflate past MAX_EMBEDDED_PIXELS."""
    if width * height > MAX_EMBEDDED_PIXELS:
        raise errors.FileTooLarge(
            str(path),
            f"trang {page} của PDF chứa ảnh {width} x {height} điểm ảnh, quá giới hạn "
            f"{MAX_EMBEDDED_PIXELS // 10**6} triệu điểm ảnh (decompression bomb?)",
        )


@dataclass
class OcrResult:
    text: str
    confidence: float  # mean word confidence of the OCR'd pages, 0–1
    pages: int
    ocr_pages: int
    warnings: list[str] = field(default_factory=list)


Progress = Callable[[int, int], None]


def _run_pages(
    jobs: list[Callable[[], tuple[str, float]]],
    progress: Progress | None,
    seconds: float | None = None,
) -> list[tuple[str, float] | None]:
    """Each job's result, in order; None for a job not started within `seconds`."""
    results: list[tuple[str, float] | None] = [None] * len(jobs)
    workers = max(1, min(len(jobs), os.cpu_count() or 1))
    deadline = None if seconds is None else time.monotonic() + seconds

    def run(job):
        if deadline is not None and time.monotonic() > deadline:
            return None
        return job()

    with ThreadPoolExecutor(workers) as pool:
        futures = {pool.submit(run, job): i for i, job in enumerate(jobs)}
        for done, future in enumerate(futures, start=1):
            results[futures[future]] = future.result()
            if progress:
                progress(done, len(jobs))
    return results


def blank_pages(path: Path, indexes: list[int]) -> set[int]:
    """Which of the PDF pages `indexes` (0-based) hold no mark: rendered in grey at up to
    BLANK_DPI within BLANK_PIXELS, in this process (no program started per page)."""
    import pypdfium2 as pdfium

    blank = set()
    pdf = pdfium.PdfDocument(str(path))
    try:
        for index in indexes:
            page = pdf[index]
            try:
                width, height = (abs(v) for v in page.get_size())  # points
                scale = min(BLANK_DPI / 72, (BLANK_PIXELS / max(width * height, 1.0)) ** 0.5)
                image = page.render(scale=scale, grayscale=True).to_pil().convert("L")
            finally:
                page.close()
            histogram = image.histogram()
            paper = max(range(256), key=histogram.__getitem__)
            marks = sum(histogram[: max(0, paper - BLANK_CONTRAST)])
            if marks < BLANK_MARKS:
                blank.add(index)
    except pdfium.PdfiumError:
        return set()  # the renderer below says what is wrong with the file
    finally:
        pdf.close()
    return blank


def render_dpi(path: Path, page: int, size_pt: tuple[float, float] | None, dpi: int) -> int:
    """`dpi`, lowered to MAX_DPI and to what keeps a page of `size_pt` within MAX_PIXELS."""
    dpi = min(dpi, MAX_DPI)
    if size_pt is None:
        return dpi
    width, height = (abs(v) / 72 for v in size_pt)  # inches
    if width * height * dpi * dpi <= MAX_PIXELS:
        return dpi
    fitting = int((MAX_PIXELS / max(width * height, 1e-6)) ** 0.5)
    if fitting < MIN_DPI:
        raise errors.FileTooLarge(
            str(path),
            f"trang {page} của PDF khổ {width * 2.54:.0f} x {height * 2.54:.0f} cm, quá lớn để "
            "nhận dạng chữ (decompression bomb?)",
        )
    return fitting


def ocr_pdf(
    path: Path,
    layers: list[str],
    scanned: list[int],
    progress: Progress | None = None,
    sizes: list[tuple[float, float]] | None = None,
) -> OcrResult:
    """OCR the pages listed in `scanned` (0-based); the other pages keep their text `layers`.
    `sizes` are the pages' sizes in points, to keep each rendering within MAX_PIXELS."""
    count = len(layers)
    if len(scanned) > MAX_PAGES:
        raise errors.FileTooLarge(
            str(path), f"PDF có {len(scanned)} trang quét, quá giới hạn {MAX_PAGES} trang"
        )
    for i in scanned:  # a page too large even at MIN_DPI is refused before any program runs
        render_dpi(path, i + 1, sizes[i] if sizes else None, MIN_DPI)
    warnings = []
    blank = blank_pages(path, scanned)
    if blank:
        warnings.append(f"bỏ qua {len(blank)} trang quét để trắng")
    marked = [i for i in scanned if i not in blank]
    if len(marked) > MAX_OCR_PAGES:
        warnings.append(
            f"chỉ nhận dạng chữ {MAX_OCR_PAGES} trang quét đầu; {len(marked) - MAX_OCR_PAGES} "
            f"trang sau (từ trang {marked[MAX_OCR_PAGES] + 1}) chưa được đọc"
        )
        marked = marked[:MAX_OCR_PAGES]
    image_dpi = external.pdf_image_dpi(path) if marked else {}
    dpi = {
        i + 1: render_dpi(
            path, i + 1, sizes[i] if sizes else None, image_dpi.get(i + 1, DEFAULT_DPI)
        )
        for i in marked
    }
    with tempfile.TemporaryDirectory(prefix="cchc-ocr-") as tmp:

        def job(index: int):
            page_dpi = dpi[index + 1]
            image = external.render_pdf_page(path, index + 1, page_dpi, Path(tmp))
            return external.tesseract(image, dpi=page_dpi)

        results = _run_pages([lambda i=i: job(i) for i in marked], progress, OCR_SECONDS)
    texts = list(layers)
    confidences = []
    unread = []
    for index, result in zip(marked, results, strict=True):
        if result is None:
            unread.append(index + 1)
            continue
        texts[index] = result[0]
        confidences.append(result[1])
    if unread:
        warnings.append(
            f"hết {OCR_SECONDS // 60} phút nhận dạng chữ cho tệp này: {len(unread)} trang (từ "
            f"trang {unread[0]}) chưa được đọc"
        )
    confidence = sum(confidences) / len(confidences) if confidences else 0.0
    return OcrResult("\n".join(texts), confidence, count, len(confidences), warnings)


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
                    width, height = image.size
                    if width * height > MAX_PIXELS:
                        raise Image.DecompressionBombError(
                            f"{width} x {height} điểm ảnh, quá giới hạn "
                            f"{MAX_PIXELS // 10**6} triệu điểm ảnh"
                        )
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
