"""PDF pages as pictures, for reading an original beside its fields.

Browsers show a PDF with their own viewer, which runs the PDF's JavaScript and, in Chromium,
refuses to start at all when the file is served with `Content-Security-Policy: sandbox` ("This
page has been blocked"). A picture of each page runs nothing and shows the same in every browser,
phones included, so the web app shows these and serves the PDF itself only as a sandboxed
download.
"""

from __future__ import annotations

import io
from pathlib import Path

from cchc.errors import DamagedFile

# Wide enough to read a printed page on a screen; a page of any paper size fits within the pixels.
PREVIEW_DPI = 110
MAX_PIXELS = 2_500_000


def page_count(path: Path) -> int:
    """Pages of a PDF (DamagedFile when it cannot be opened)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise DamagedFile(path, f"không mở được PDF ({exc})") from exc
    try:
        return len(pdf)
    finally:
        pdf.close()


def page_png(path: Path, index: int) -> bytes:
    """Page `index` (0-based) as a PNG at PREVIEW_DPI, scaled down to MAX_PIXELS."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise DamagedFile(path, f"không mở được PDF ({exc})") from exc
    try:
        if not 0 <= index < len(pdf):
            raise IndexError(f"{path}: PDF không có trang {index + 1} (có {len(pdf)} trang)")
        page = pdf[index]
        try:
            width, height = (abs(v) for v in page.get_size())  # points
            area = max(width * height, 1.0) * (PREVIEW_DPI / 72) ** 2
            scale = PREVIEW_DPI / 72 * min(1.0, (MAX_PIXELS / area) ** 0.5)
            image = page.render(scale=scale).to_pil()
        except pdfium.PdfiumError as exc:
            raise DamagedFile(path, f"không vẽ được trang {index + 1} ({exc})") from exc
        finally:
            page.close()
    finally:
        pdf.close()
    out = io.BytesIO()
    image.convert("RGB").save(out, "PNG", optimize=True)
    return out.getvalue()
