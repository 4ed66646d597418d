"""Readers: bytes on disk → plain NFC text. The reader is chosen by content first, extension second.

Each reader returns a `Source`; every failure is a typed `CchcError` naming the file.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from cchc import edxml, errors, legacy
from cchc.ocr import OcrResult, Progress, check_embedded_image, ocr_image, ocr_pdf
from cchc.repair import needs_repair
from cchc.text import count_letters, nfc
from cchc.textlayer import is_garbage

MAX_TEXT_BYTES = 20 * 1024 * 1024
MAX_BINARY_BYTES = 200 * 1024 * 1024
# Fewer letters than this per page means the PDF page is an image (a scan).
MIN_CHARS_PER_PDF_PAGE = 40
# Pages of any PDF: the parser reads at most 2,000,000 characters (~700 pages of text) and the
# longest document of the corpus is ~200 pages; a PDF of thousands of pages is a book or a trap.
MAX_PDF_PAGES = 1000
# A .docx is a ZIP: its parts are checked in the ZIP directory before python-docx inflates them.
# Images inside barely compress, so a real .docx inflates to little more than its size; XML
# inflates 5-20x. A part over MAX_ZIP_RATIO x its compressed size, or more than MAX_DOCX_BYTES
# in all, is a zip bomb (a 200 KB .docx whose document.xml inflates to gigabytes).
MAX_DOCX_BYTES = 300 * 1024 * 1024
MAX_DOCX_XML_BYTES = 64 * 1024 * 1024  # one XML part; lxml needs ~10x that in memory
# All XML parts together (python-docx parses headers, footers, styles… too): four 62 MB
# headers in a 7.7 MB file passed the per-part limits and took 3.8 GB.
MAX_DOCX_XML_TOTAL = 96 * 1024 * 1024
MAX_ZIP_RATIO = 200
MAX_ZIP_PARTS = 10_000

_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd\ue000-\uf8ff]")
_LETTER = re.compile(r"[^\W\d_]")
# A web page, a script or an SVG saved under a document's name: markup, not a văn bản.
_MARKUP = re.compile(r"\s*<(?:!doctype|html|head|body|script|svg|\?xml|iframe|object)\b", re.I)

IMAGE_MAGIC = {
    b"\x89PNG": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"II*\x00": "TIFF",
    b"MM\x00*": "TIFF",
    b"GIF8": "GIF",
    b"BM": "BMP",
}
_MEDIA_TYPES = {
    b"%PDF": "application/pdf",
    b"PK\x03\x04": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    b"\x89PNG": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"II*\x00": "image/tiff",
    b"MM\x00*": "image/tiff",
    b"GIF8": "image/gif",
    b"BM": "image/bmp",
}


def media_type(head: bytes) -> str:
    """The media type of a file from its first bytes (never from its name); text otherwise."""
    for magic, name in _MEDIA_TYPES.items():
        if head.startswith(magic):
            return name
    return "text/plain; charset=utf-8"


@dataclass
class Source:
    """Text as read from a file, before any parsing."""

    text: str
    kind: str  # "text", "pdf-text", "docx"
    encoding: str | None = None
    pages: int | None = None
    confidence: float | None = None  # OCR's mean word confidence, for scans
    warnings: list[str] = field(default_factory=list)
    doubtful: list[str] = field(default_factory=list)  # words with digits OCR read unsurely
    unsure: list[str] | None = None  # words OCR read unsurely (None: every word may be wrong)
    unread_number: list[str] = field(default_factory=list)  # OCR marks in the number's place
    garbage_layers: list[int] = field(default_factory=list)  # pages with a scanner's bad layer


def read_file(path: str | Path, ocr: bool = True, progress: Progress | None = None) -> Source:
    """Read any supported file; scans go through OCR unless `ocr` is False."""
    path = Path(path)
    if not path.exists():
        raise errors.FileNotFound(str(path))
    if path.is_dir():
        raise errors.NotAFile(str(path))
    try:
        size = path.stat().st_size
        if size == 0:
            raise errors.EmptyFile(str(path))
        if size > MAX_BINARY_BYTES:
            raise errors.FileTooLarge(str(path), _too_large(size, MAX_BINARY_BYTES))
        with path.open("rb") as fh:
            head = fh.read(8)
    except PermissionError as exc:
        raise errors.CchcError(
            str(path), f"không có quyền đọc tệp (permission denied): {exc}"
        ) from exc
    if head.startswith(b"%PDF"):
        return read_pdf(path, ocr, progress)
    if head.startswith(b"PK\x03\x04"):
        return read_docx(path)
    for magic, name in IMAGE_MAGIC.items():
        if head.startswith(magic):
            if not ocr:
                raise errors.NeedsOcr(
                    str(path), f"ảnh {name} không có lớp chữ: {errors.NeedsOcr.problem}"
                )
            return _ocr_source(ocr_image(path, progress), path)
    if size > MAX_TEXT_BYTES:
        raise errors.FileTooLarge(str(path), _too_large(size, MAX_TEXT_BYTES))
    return read_text(path)


LEGACY_NAMES = {"tcvn3": "TCVN3 (ABC, .VnTime)", "vni": "VNI-Windows", "viqr": "VIQR"}


def _with_legacy_fixed(source: Source) -> Source:
    """Text typed with a pre-Unicode font comes out as mojibake: convert it to Unicode."""
    text, found = legacy.fix_legacy(source.text)
    if found:
        source.text = text
        source.encoding = found
        source.warnings.append(
            f"văn bản dùng bảng mã cũ {LEGACY_NAMES[found]}, đã chuyển sang Unicode"
        )
    return source


def _ocr_source(result: OcrResult, path: Path) -> Source:
    if count_letters(result.text) < 3:
        raise errors.EmptyFile(str(path), "không nhận ra chữ nào trên bản quét (no text found)")
    return Source(
        text=nfc(result.text),
        kind="ocr" if result.ocr_pages else "pdf-text",
        pages=result.pages,
        confidence=result.confidence if result.ocr_pages else None,
        warnings=list(result.warnings),
        doubtful=list(result.doubtful),
        unread_number=list(result.unread_number),
        unsure=result.unsure,
    )


def _too_large(size: int, limit: int) -> str:
    return (
        f"tệp quá lớn ({size / 1e6:.1f} MB, giới hạn {limit / 1e6:.0f} MB) (file too large); "
        "một văn bản hành chính thường dưới 1 MB — hãy kiểm tra lại tệp"
    )


# -- plain text and Markdown ---------------------------------------------------------------


def decode_text(data: bytes, name: str) -> tuple[str, str, list[str]]:
    """Decode bytes of a text file; returns (text, encoding, warnings)."""
    warnings: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig", warnings
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
        warnings.append("tệp mã hóa UTF-16, đã chuyển sang UTF-8")
        return text, "utf-16", warnings
    if b"\x00" in data[:4096]:
        zeros_even = data[:4096:2].count(0)
        zeros_odd = data[1:4096:2].count(0)
        sample = len(data[:4096]) // 2 or 1
        if zeros_odd / sample > 0.3 and zeros_even / sample < 0.05:
            warnings.append("tệp mã hóa UTF-16 (không có BOM), đã chuyển sang UTF-8")
            return data.decode("utf-16-le", errors="replace"), "utf-16-le", warnings
        if zeros_even / sample > 0.3 and zeros_odd / sample < 0.05:
            warnings.append("tệp mã hóa UTF-16 (không có BOM), đã chuyển sang UTF-8")
            return data.decode("utf-16-be", errors="replace"), "utf-16-be", warnings
        raise errors.UnsupportedFile(name)
    try:
        return data.decode("utf-8"), "utf-8", warnings
    except UnicodeDecodeError:
        pass
    # A TCVN3 or VNI file: its bytes are the Latin-1 glyph codes of the font.
    latin = data.decode("latin-1")
    if legacy.detect(latin) in ("tcvn3", "vni"):
        return latin, "latin-1", warnings
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError as exc:
        raise errors.BadEncoding(name) from exc
    text = nfc(text)
    if not _looks_like_text(text):
        raise errors.BadEncoding(name)
    warnings.append("tệp không phải UTF-8: đã đọc theo bảng mã Windows-1258")
    return text, "cp1258", warnings


def _looks_like_text(text: str) -> bool:
    sample = text[:2000]
    if not sample:
        return False
    # Control characters and U+FFFD mark bytes that are not text.
    odd = len(_NOT_TEXT.findall(sample))
    letters = len(_LETTER.findall(sample))
    return odd / len(sample) < 0.01 and letters / len(sample) > 0.3


def markup_kind(text: str) -> str | None:
    """`HTML/XML` when the text opens with markup (a web page, a script, an SVG), else None.

    An edXML package is XML but a document: `cchc.parse_file` reads it (`cchc.edxml`)."""
    if edxml.looks_like_package(text[:4096].encode("utf-8", "replace")):
        return None
    return "HTML/XML" if _MARKUP.match(text[:512].lstrip("\ufeff")) else None


def read_text(path: Path) -> Source:
    data = path.read_bytes()
    if edxml.looks_like_package(data[:4096]):
        raise errors.UnsupportedFile(
            str(path),
            "gói tin edXML: hãy đọc bằng `cchc parse` (phần đầu gói và tệp đính kèm chính); "
            "`cchc edxml extract` ghi các tệp đính kèm ra thư mục",
        )
    text, encoding, warnings = decode_text(data, str(path))
    if markup_kind(text):
        raise errors.UnsupportedFile(
            str(path),
            "tệp HTML/XML (trang web, mã script hoặc SVG), không phải văn bản; hãy lưu văn bản "
            "dạng .docx, .pdf hoặc .txt (unsupported)",
        )
    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise errors.EmptyFile(str(path), "tệp chỉ có khoảng trắng, không có nội dung (empty file)")
    if not _looks_like_text(text):
        raise errors.UnsupportedFile(str(path))
    return _with_legacy_fixed(Source(text=text, kind="text", encoding=encoding, warnings=warnings))


# -- Word ------------------------------------------------------------------------------------


def read_docx(path: Path) -> Source:
    """Body paragraphs and table cells in document order; a table row's cells become a `|` row,
    the same shape the crawled Markdown uses, so one header parser serves both."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    try:
        with zipfile.ZipFile(path) as zf:
            if "word/document.xml" not in zf.namelist():
                raise errors.UnsupportedFile(
                    str(path), "tệp ZIP nhưng không phải văn bản Word .docx (unsupported)"
                )
            _check_zip_sizes(path, zf.infolist())
        document = docx.Document(str(path))
    except (
        zipfile.BadZipFile,
        PackageNotFoundError,
        KeyError,
        ValueError,
        XMLSyntaxError,
        NotImplementedError,  # a compression method zipfile does not know
        EOFError,
        zlib.error,
    ) as exc:
        raise errors.DamagedFile(
            str(path), f"tệp .docx bị hỏng, không mở được (damaged): {exc}"
        ) from exc
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = _local_name(block)
        if tag == "p":
            lines.append(_paragraph_text(block))
        elif tag == "tbl":
            lines.extend(_docx_table_lines(block))
    text = nfc("\n".join(lines))
    if not text.strip():
        raise errors.EmptyFile(str(path), "tệp .docx không có chữ (empty document)")
    return _with_legacy_fixed(Source(text=text, kind="docx", encoding=None))


def _check_zip_sizes(path: Path, parts: list[zipfile.ZipInfo]) -> None:
    """Refuse a zip bomb from the sizes in the ZIP directory, before anything is inflated.

    zipfile never inflates a part past the size its directory entry declares (it stops and
    fails the CRC check), so these declared sizes bound what python-docx will read."""
    if len(parts) > MAX_ZIP_PARTS:
        raise errors.FileTooLarge(
            str(path), f"tệp .docx có {len(parts)} phần, quá giới hạn {MAX_ZIP_PARTS} (zip bomb?)"
        )
    total = xml_total = 0
    for part in parts:
        total += part.file_size
        ratio = part.file_size / max(part.compress_size, 1)
        xml = part.filename.endswith((".xml", ".rels"))
        xml_total += part.file_size if xml else 0
        if (part.file_size > 1024 * 1024 and ratio > MAX_ZIP_RATIO) or (
            xml and part.file_size > MAX_DOCX_XML_BYTES
        ):
            raise errors.FileTooLarge(
                str(path),
                f"tệp .docx chứa phần `{part.filename}` nén {part.compress_size / 1e6:.1f} MB "
                f"nhưng giải nén ra {part.file_size / 1e6:.0f} MB (zip bomb); tệp bị từ chối",
            )
    if total > MAX_DOCX_BYTES:
        raise errors.FileTooLarge(
            str(path),
            f"tệp .docx giải nén ra {total / 1e6:.0f} MB, quá giới hạn "
            f"{MAX_DOCX_BYTES / 1e6:.0f} MB (zip bomb?)",
        )
    if xml_total > MAX_DOCX_XML_TOTAL:
        raise errors.FileTooLarge(
            str(path),
            f"các phần XML của tệp .docx giải nén ra {xml_total / 1e6:.0f} MB, quá giới hạn "
            f"{MAX_DOCX_XML_TOTAL / 1e6:.0f} MB (zip bomb?); tệp bị từ chối",
        )


def _local_name(node) -> str:
    """`p` for a `w:p` element; "" for an XML comment or processing instruction, whose `tag`
    is a function, not a name."""
    return node.tag.rsplit("}", 1)[-1] if isinstance(node.tag, str) else ""


def _paragraph_text(paragraph) -> str:
    """Text of a `w:p`, with its soft line breaks (`w:br`, Shift+Enter) and tabs kept."""
    parts: list[str] = []
    for node in paragraph.iter():
        tag = _local_name(node)
        if tag == "t":
            parts.append(node.text or "")
        elif tag in ("br", "cr"):
            parts.append("\n")
        elif tag == "tab":
            parts.append("\t")
    return "".join(parts)


def _docx_table_lines(table) -> list[str]:
    lines: list[str] = []
    for row in table.iterchildren():
        if _local_name(row) != "tr":
            continue
        lines.append("|")
        for cell in row.iterchildren():
            if _local_name(cell) != "tc":
                continue
            for para in cell.iterchildren():
                if _local_name(para) == "p":
                    lines.append(_paragraph_text(para))
                elif _local_name(para) == "tbl":
                    lines.extend(_docx_table_lines(para))
            lines.append("|")
    return lines


# -- PDF -------------------------------------------------------------------------------------


def _is_scan(layer: str, image: bool = False) -> bool:
    """A scanned page: no text layer, a layer left by OCR without the Vietnamese model, or
    (on a page that holds an image) a scanner's garbage layer (`cchc.textlayer`)."""
    return (
        count_letters(layer) < MIN_CHARS_PER_PDF_PAGE
        or needs_repair(layer)
        or (image and is_garbage(layer))
    )


def _garbage_layers(pages: list[str], scanned: list[int]) -> list[int]:
    """The scanned pages (0-based) that carry a text layer all the same: the scanner's."""
    return [i for i in scanned if count_letters(pages[i]) >= MIN_CHARS_PER_PDF_PAGE]


def _pages_named(indexes: list[int]) -> str:
    numbers = [str(i + 1) for i in indexes]
    return ", ".join(numbers[:10]) + (" …" if len(numbers) > 10 else "")


def read_pdf(path: Path, ocr: bool = True, progress: Progress | None = None) -> Source:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message or "security" in message:
            raise errors.EncryptedPdf(str(path)) from exc
        raise errors.DamagedFile(
            str(path), f"PDF bị hỏng hoặc bị cắt cụt, không mở được (damaged PDF): {exc}"
        ) from exc
    try:
        count = len(pdf)
        if count > MAX_PDF_PAGES:
            raise errors.FileTooLarge(
                str(path),
                f"PDF có {count} trang, quá giới hạn {MAX_PDF_PAGES} trang; một văn bản hành chính "
                "hiếm khi quá 200 trang — hãy tách tệp",
            )
        pages: list[str] = []
        sizes: list[tuple[float, float]] = []  # points (1/72 inch), for rendering scans
        with_image: list[bool] = []
        for number, page in enumerate(pdf, start=1):
            sizes.append(page.get_size())
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            # A page's objects are listed only when its layer may be a scanner's garbage, or
            # when it goes to OCR (a text page of 100,000 paths is not walked for nothing).
            doubtful = not _is_scan(pages[-1]) and is_garbage(pages[-1])
            images = (
                list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))
                if doubtful or (ocr and _is_scan(pages[-1]))
                else []
            )
            with_image.append(bool(images))
            if ocr and _is_scan(pages[-1], with_image[-1]):
                # Its images are decoded when the page is rendered for OCR: their sizes are
                # read first, from their dictionaries, without decoding them.
                for image in images:
                    check_embedded_image(path, number, *image.get_px_size())
            page.close()
    except pdfium.PdfiumError as exc:
        raise errors.DamagedFile(str(path), f"PDF bị hỏng, không đọc được trang: {exc}") from exc
    finally:
        pdf.close()
    if not pages:
        raise errors.EmptyFile(str(path), "PDF không có trang nào (empty PDF)")
    letters = [count_letters(p) for p in pages]
    scanned = [i for i, p in enumerate(pages) if _is_scan(p, with_image[i])]
    garbage = _garbage_layers(pages, scanned)
    if scanned and ocr:
        # Mixed PDFs are read page by page: only the scanned pages go through OCR.
        result = ocr_pdf(path, pages, scanned, progress, sizes)
        if garbage:
            result.warnings.insert(
                0,
                f"lớp chữ có sẵn của trang {_pages_named(garbage)} do máy quét tự nhận dạng và "
                "sai (garbage text layer): đã bỏ, nhận dạng lại bằng OCR tiếng Việt",
            )
        source = _ocr_source(result, path)
        source.garbage_layers = [i + 1 for i in garbage]
        return source
    if sum(letters) < MIN_CHARS_PER_PDF_PAGE:
        raise errors.NeedsOcr(str(path))
    text = nfc("\n".join(pages).replace("\r\n", "\n").replace("\r", "\n"))
    source = Source(text=text, kind="pdf-text", pages=len(pages))
    if garbage:
        source.warnings.append(
            f"lớp chữ của trang {_pages_named(garbage)} do máy quét tự nhận dạng và có vẻ sai "
            "(garbage text layer); chạy lại với OCR (bỏ --no-ocr) để đọc đúng"
        )
        source.garbage_layers = [i + 1 for i in garbage]
    return _with_legacy_fixed(source)
