"""Scans → text: images and image-only PDF pages through Tesseract's Vietnamese model.

PDF pages that carry a text layer keep it (mixed PDFs are handled page by page); scanned pages
are rendered at the resolution of the image embedded in them (`pdfimages -list`), not a fixed
300 dpi, and OCR'd one page per core.

OCR work per file is bounded: blank scanned pages are found on a small rendering and skipped,
at most MAX_OCR_PAGES pages go through Tesseract, and none starts after OCR_SECONDS; what was
left unread is said in the result's warnings (a 50 KB PDF of 500 blank pages took 507 s).

Each page is cleaned before Tesseract reads it (`cchc.inks`: coloured ink of seals, signatures
and notes removed, skew undone, speckles filtered) and read in layout order from Tesseract's word
boxes (`cchc.layout`: the two-column header and signer's block column by column). Words with
digits read with low confidence are kept in `OcrResult.doubtful`: the fields they make are
reported as uncertain (`uncertain_fields`).
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from cchc import errors, external, inks, layout

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
# Words Tesseract read with this confidence (0-100) or more keep their marks unless the n-grams
# are overwhelming (`repair.diacritics.OCR_SURE_SWAP`): the n-grams of administrative prose turned
# a sure `thánh` into the commoner `thanh`. Chosen with OCR_SURE_SWAP on rendered corpus pages
# (`bench/ocr.py --gate --docs 12`: 99.84% / 99.91% clean / degraded for 80-93 with 1e-5-1e-6,
# against 99.79% / 99.86% ungated) among the settings that keep the scan tests' readings
# (90 with 1e-8 lost `THÀNH PHỐ ĐÀ NẴNG` in 3.pdf's header); not on the transcribed real scans.
MARKS_SURE_FROM = 93.0
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
    doubtful: list[str] = field(default_factory=list)  # words with digits read unsurely
    unread_number: list[str] = field(default_factory=list)  # marks in the place of the number
    ink_pages: int = 0  # pages whose coloured ink (seal, signature, notes) was removed
    unsure: list[str] | None = None  # words read unsurely; None: no word confidences (text layer)
    deskewed_pages: int = 0


@dataclass
class PageRead:
    text: str
    confidence: float
    doubtful: list[str]
    ink: float  # share of the marks that were coloured ink
    skew: float  # degrees turned back
    copy: list[str] = field(default_factory=list)  # the stamp of a copy (SAO Y) above the header
    notes: list[str] = field(default_factory=list)  # lines beside the header, not the document's
    unread: list[str] = field(default_factory=list)  # marks where the number is, not digits
    unsure: list[str] = field(default_factory=list)  # words read below MARKS_SURE_FROM


# The `Số:` line up to the slash before the symbol's letters: what stands between is the
# number's place (`Số: Z/¿22/SNV-VP`, a handwritten 3020 read as marks and slashes); the line
# ends there, the next line (`V/v …`) is never part of it.
_NUMBER_LINE = re.compile(
    r"^([^\w\n]*S[ốo6][ \t]*[:.]?[ \t]*)[^\n]*?(/)(?=[ \t]*[A-ZĐ][A-ZĐa-z&]*[^\n]*$)", re.M
)


def put_number(text: str, digits: str) -> tuple[str, bool]:
    """`text` with `digits` in the place of the number on its `Số:` line (what stood between
    `Số:` and the symbol's slash replaced); unchanged (and False) when that line has no symbol."""
    text, found = _NUMBER_LINE.subn(lambda n: f"{n.group(1)}{digits} /", text, count=1)
    return text, bool(found)


# Pixels of coloured ink in the number's place above which the number was written by hand.
INKED_NUMBER_PIXELS = 40


def _ink_in(cleaned: inks.Cleaned, box: tuple[int, int, int, int]) -> bool:
    """Coloured ink was removed where the number stands: it is written by hand (or stamped)."""
    import numpy as np

    left, top, right, bottom = box
    if right - left < 2 or bottom - top < 2:
        return False
    before = np.asarray(cleaned.inked.crop(box)) < 128
    after = np.asarray(cleaned.image.crop(box)) < 128
    return int((before & ~after).sum()) > INKED_NUMBER_PIXELS


def _reread_number(page: layout.Page, inked, work: Path, name: str, dpi: int | None) -> None:
    """The `Số:` line read again from the page with its ink: the clerk writes the number by
    hand, often in blue, and removing the ink removed it. What is read there is a handwritten
    number: never sure (added to `page.guessed`, so the field is listed as uncertain)."""
    from PIL import Image, ImageOps

    left, top, right, bottom = page.number_box
    pad = (bottom - top) // 2
    line = inked.crop((max(0, left), max(0, top - pad), right, bottom + pad))
    if line.width < 4 or line.height < 4:
        return
    # Tesseract reads a line best with letters ~30 px high and a white margin around.
    scale = max(1, round(45 / max(bottom - top, 1)))
    line = line.resize((line.width * scale, line.height * scale), Image.BICUBIC)
    out = work / f"{name}-number.pgm"
    ImageOps.expand(line, 20, fill=255).save(out)
    try:
        words = layout.parse_tsv(
            external.tesseract_tsv(
                out, lang="eng", dpi=(dpi or 300) * scale, psm=7, digits_only=True
            )
        )
    except errors.MissingProgram:
        return  # no English model: the number stays unread
    finally:
        out.unlink(missing_ok=True)
    digits = "".join(w.text for w in words)
    if not digits.isdigit() or len(digits) > 6:
        return
    page.text, found = put_number(page.text, digits)
    if found:
        page.guessed.append(digits)
        page.unread.clear()


# A page counts as carrying coloured ink when at least this share of its marks was removed.
INK_PAGE_SHARE = 0.005


def read_page(image, work: Path, name: str, dpi: int | None) -> PageRead:
    """One page image (Pillow) cleaned (`cchc.inks`), read by Tesseract, put in layout order."""
    cleaned = inks.clean_page(image)
    out = work / f"{name}.pgm"  # no compression: the fastest to write and for Tesseract to read
    cleaned.image.save(out)
    try:
        words = layout.parse_tsv(external.tesseract_tsv(out, dpi=dpi))
    finally:
        out.unlink(missing_ok=True)
    page = layout.read_layout(words, cleaned.image.height)
    if cleaned.inked is not None and page.number_box:
        inked = _ink_in(cleaned, page.number_box)
        if inked or not (page.number_read or page.guessed):
            _reread_number(page, cleaned.inked, work, name, dpi)
        if inked:
            # Written by hand in colour (the clerk's number): never sure, whoever read it.
            m = _NUMBER_LINE.search(page.text)
            digits = re.match(r"\s*(\d+)", page.text[m.end(1) :]) if m else None
            if digits:
                page.guessed.append(digits.group(1))
            elif not page.unread:
                page.unread.append("?")  # ink where the number stands, no digits read from it
    return PageRead(
        page.text,
        layout.mean_confidence(words),
        layout.doubtful_words(words) + page.guessed,
        cleaned.ink_removed,
        cleaned.skew,
        page.copy,
        page.notes,
        page.unread,
        layout.unsure_words(words, MARKS_SURE_FROM),
    )


Progress = Callable[[int, int], None]


def _run_pages(
    jobs: list[Callable[[], PageRead]],
    progress: Progress | None,
    seconds: float | None = None,
) -> list[PageRead | None]:
    """Each job's result, in order; None for a job not started within `seconds`."""
    results: list[PageRead | None] = [None] * len(jobs)
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
    images = external.pdf_images(path) if marked else {}
    dpi = {
        i + 1: render_dpi(
            path, i + 1, sizes[i] if sizes else None, images.get(i + 1, (DEFAULT_DPI, True))[0]
        )
        for i in marked
    }
    with tempfile.TemporaryDirectory(prefix="cchc-ocr-") as tmp:

        def job(index: int) -> PageRead:
            from PIL import Image

            page_dpi = dpi[index + 1]
            colour = images.get(index + 1, (DEFAULT_DPI, True))[1]
            rendered = external.render_pdf_page(
                path, index + 1, page_dpi, Path(tmp), colour=colour, fmt="pnm"
            )
            Image.MAX_IMAGE_PIXELS = MAX_PIXELS
            with Image.open(rendered) as image:
                image.load()
            rendered.unlink(missing_ok=True)
            return read_page(image, Path(tmp), f"clean-{index + 1}", page_dpi)

        results = _run_pages([lambda i=i: job(i) for i in marked], progress, OCR_SECONDS)
    texts = list(layers)
    confidences = []
    unread = []
    reads = []
    for index, result in zip(marked, results, strict=True):
        if result is None:
            unread.append(index + 1)
            continue
        texts[index] = result.text
        confidences.append(result.confidence)
        reads.append(result)
    if unread:
        warnings.append(
            f"hết {OCR_SECONDS // 60} phút nhận dạng chữ cho tệp này: {len(unread)} trang (từ "
            f"trang {unread[0]}) chưa được đọc"
        )
    confidence = sum(confidences) / len(confidences) if confidences else 0.0
    return _result("\n".join(texts), confidence, count, reads, warnings)


def _result(
    text: str, confidence: float, pages: int, reads: list[PageRead], warnings: list[str]
) -> OcrResult:
    copy = [line for read in reads for line in read.copy]
    if copy:
        warnings.append(
            f"bản sao ({' / '.join(copy)}): các trường được đọc từ phần đầu của văn bản gốc"
        )
    notes = sum(len(read.notes) for read in reads)
    if notes:
        warnings.append(
            f"bỏ qua {notes} dòng ghi chú viết hoặc đóng bên cạnh phần đầu văn bản (bút phê?), "
            "không phải nội dung văn bản"
        )
    return OcrResult(
        text,
        confidence,
        pages,
        len(reads),
        warnings,
        doubtful=[word for read in reads for word in read.doubtful],
        unread_number=[mark for read in reads for mark in read.unread],
        unsure=sorted({word for read in reads for word in read.unsure}),
        ink_pages=sum(read.ink >= INK_PAGE_SHARE for read in reads),
        deskewed_pages=sum(bool(read.skew) for read in reads),
    )


def _read_file_page(image: Path, work: Path, name: str, dpi: int | None) -> PageRead:
    from PIL import Image

    with Image.open(image) as page:
        page.load()
    return read_page(page, work, name, dpi)


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
                    grey = image.mode in ("1", "L", "LA", "I", "I;16", "F")
                    out = Path(tmp) / f"page-{index + 1}.png"
                    image.convert("L" if grey else "RGB").save(out, compress_level=1)
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
            [
                lambda i=i, p=p, d=d: _read_file_page(p, Path(tmp), f"clean-{i}", d)
                for i, (p, d) in enumerate(pages, start=1)
            ],
            progress,
        )
    reads = [r for r in results if r is not None]
    text = "\n".join(r.text for r in reads)
    confidence = sum(r.confidence for r in reads) / len(reads)
    return _result(text, confidence, len(pages), reads, [])


def mark_uncertain(doc, doubtful: list[str], unread_number: list[str] | None = None) -> None:
    """List in `doc.quality.uncertain` the fields made of words Tesseract read unsurely (a
    handwritten `1535` read as `4235` at 56%), with a warning: such a value is never sure.
    `unread_number`: marks read where the number is (`#74`), left out of the text."""
    import re

    from cchc.dates import HEADER_DATE
    from cchc.repair.notation import notation_doubt
    from cchc.text import fold

    if not (doubtful or unread_number) or doc.quality is None:
        return
    weak = {fold(w).strip(".,;:()#*\"'") for w in doubtful} - {""}
    fields = []
    header = "\n".join(doc.text.splitlines()[:40])
    if unread_number and not doc.number:
        doc.warnings[:] = [w for w in doc.warnings if "số văn bản để trống" not in w]
        fields.append(("number", f"số văn bản (đọc được `{' '.join(unread_number)}`, viết tay?)"))
    elif doc.number:
        parts = re.split(r"[/\-–]", fold(doc.number))
        doubt = notation_doubt(doc.number, header, doc.issuer, doc.parent_issuer)
        if parts[0] in weak or any(p in weak for p in parts[1:] if any(c.isdigit() for c in p)):
            fields.append(("number", f"số văn bản `{doc.number}`"))
        elif doubt:
            fields.append(("number", f"số văn bản `{doc.number}` ({doubt})"))
    elif re.search(r"^\W{0,3}S[ốỐoO6]\s*[:.]|^\W{0,3}\w{0,6}\s*/[A-ZĐ]{2,}\S*\s*$", header, re.M):
        # A scanned page has its number: a blank one was not read (written by hand, faded),
        # or `Số:` itself was lost and only `22 /UBND-KT` is left.
        fields.append(("number", "số văn bản (không đọc được)"))
    if doc.date:
        m = re.search(HEADER_DATE, fold("\n".join(doc.text.splitlines()[:80])))
        if m and any(m.group(g).strip(" ._…") in weak for g in ("d", "m", "y")):
            fields.append(("date", f"ngày ban hành {doc.date}"))
    if not doc.date:
        # `ngày JŸtháng 10 năm 2023`: a handwritten day that is no number.
        m = re.search(
            r"ngay\s*(\S{0,4}?)\s*thang\s*(\S{1,3})\s*nam\s*(\d{4})",
            fold("\n".join(doc.text.splitlines()[:60])),
        )
        if m and m.group(1).strip(" ._…"):
            fields.append(("date", f"ngày ban hành (`{m.group(0)}`)"))
    if not (doc.signer and doc.signer.name):
        from cchc.repair.signer import title_line

        if any(title_line(line) for line in doc.text.splitlines()[-40:]):
            # A signer's title with no name under it: the name was under the seal or the
            # signature, unread.
            fields.append(("signer", "người ký (có chức danh, không đọc được họ tên)"))
    for name, what in fields:
        if name not in doc.quality.uncertain:
            doc.quality.uncertain.append(name)
            doc.warnings.append(
                f"{what} đọc không chắc chắn trên bản quét (chữ viết tay hoặc mờ): cần đối chiếu "
                "với bản gốc"
            )
