"""Hostile files: bombs, lying extensions, traps in names. Each is refused with one line naming
the file, or read safely; never a crash, a hang or half a record, through `cchc.parse_file`
and through the web ingest (`accept_upload` + `run_job`).

The bombs are written here, small on disk and huge once expanded."""

from __future__ import annotations

import random
import struct
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from cchc import errors, parse_file
from cchc.ocr import MAX_PIXELS
from cchc.readers import MAX_DOCX_BYTES, MAX_PDF_PAGES
from tests.documents import EXPECTED, write_docx, write_pdf

# Pillow warns before cchc refuses the 144-million-pixel image; the refusal is what is tested.
pytestmark = pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")

MIB = 1024 * 1024
# Every refusal below comes from a size read in a header or a directory, before decoding.
REFUSAL_SECONDS = 5


# -- builders --------------------------------------------------------------------------------


def _deflate_repeated(head: bytes, chunk: bytes, times: int, tail: bytes) -> tuple[bytes, int]:
    """A raw deflate stream of head + chunk * times + tail, and its CRC-32, without compressing
    gigabytes: after a full flush the compressor forgets its past, so every chunk compresses to
    the same bytes, written once and repeated."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    assert block == again
    stream = first + block * times + c.compress(tail) + c.flush()
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    return stream, zlib.crc32(tail, crc)


def _write_zip(path: Path, members: list[tuple[str, bytes, int, int, int]]) -> Path:
    """A ZIP from (name, deflated data, crc, compressed size, uncompressed size) members."""
    out, central = bytearray(), bytearray()
    for name, data, crc, csize, usize in members:
        raw = name.encode()
        offset = len(out)
        out += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, csize, usize, len(raw), 0
        )
        out += raw + data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            8,
            0,
            0,
            crc,
            csize,
            usize,
            len(raw),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        central += raw
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0
    )
    path.write_bytes(bytes(out + central + end))
    return path


def zip_bomb_docx(path: Path, expanded_mib: int = 1024) -> Path:
    """A real .docx whose word/document.xml is valid XML that inflates to `expanded_mib` MiB
    of blanks (a 1 MB file)."""
    real = write_docx(path.with_name("real.docx"))
    members = []
    with zipfile.ZipFile(real) as zf:
        for info in zf.infolist():
            data = zf.read(info)
            if info.filename == "word/document.xml":
                head, _, _ = data.partition(b"<w:body>")
                stream, crc = _deflate_repeated(
                    head + b"<w:body>", b" " * MIB, expanded_mib, b"</w:body></w:document>"
                )
                size = len(head) + 8 + expanded_mib * MIB + 22
                members.append((info.filename, stream, crc, len(stream), size))
                continue
            c = zlib.compressobj(9, zlib.DEFLATED, -15)
            packed = c.compress(data) + c.flush()
            members.append((info.filename, packed, zlib.crc32(data), len(packed), len(data)))
    return _write_zip(path, members)


def xml_bomb_docx(path: Path) -> Path:
    """A .docx whose document.xml declares a billion laughs entity."""
    real = write_docx(path.with_name("real.docx"))
    laughs = '<!ENTITY a0 "ha">' + "".join(
        f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )
    with zipfile.ZipFile(real) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"?>", f"?><!DOCTYPE w:document [{laughs}]>".encode(), 1)
                data = data.replace(b"<w:t>", b"<w:t>&a9;", 1)
            dst.writestr(info, data)
    return path


def png(width: int, height: int, rows: bytes | None = None) -> bytes:
    """A 1-bit grey PNG, all white unless `rows` is given: 12,000 x 12,000 is 18 KB on disk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    line = b"\x00" + b"\xff" * ((width + 7) // 8)
    c = zlib.compressobj(9)
    data = c.compress(rows if rows is not None else line * height) + c.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def raw_pdf(path: Path, objects: list[bytes]) -> Path:
    """A PDF from its objects (object 1 is the catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(out))
    return path


def huge_page_pdf(path: Path) -> Path:
    """One image-only page of 5 x 5 m (14,400 pt): rendered for OCR at 300 dpi, 3.6 billion
    pixels."""
    return raw_pdf(
        path,
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] /Contents 4 0 R >>",
            b"<< /Length 26 >>\nstream\n0 0 14400 14400 re f\nendstream",
        ],
    )


def huge_image_pdf(path: Path) -> Path:
    """An A4 page showing one 60,000 x 60,000 grey image: 3.6 GB decoded, 3.5 MB on disk."""
    side = 60_000
    stream, _crc = _deflate_repeated(b"", bytes(side), side, b"")
    zlib_stream = b"\x78\xda" + stream + struct.pack(">I", 1)  # the Adler-32 is never reached
    image = (
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n"
        % (side, side, len(zlib_stream))
        + zlib_stream
        + b"\nendstream"
    )
    content = b"q 595 0 0 842 0 0 cm /Im0 Do Q"
    return raw_pdf(
        path,
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /XObject << /Im0 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            image,
        ],
    )


def many_pages_pdf(path: Path, pages: int = MAX_PDF_PAGES + 500) -> Path:
    """Thousands of pages, all one shared page content: a few hundred KB."""
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        b"<< /Length 0 >>\nstream\n\nendstream",
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"] * pages
    return raw_pdf(path, objects)


JAVASCRIPT = "app.alert('cchc-js-ran'); this.submitForm('http://127.0.0.1:9/steal');"


def javascript_pdf(path: Path) -> Path:
    """The test công văn as a text PDF that runs JavaScript when opened (/OpenAction and /AA)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    for page in PdfReader(write_pdf(path.with_name("plain.pdf"))).pages:
        writer.add_page(page)
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject(JAVASCRIPT),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): action})
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def html_named_pdf(path: Path) -> Path:
    path.write_text(
        "<!DOCTYPE html>\n<html><head><title>Công văn 412/UBND-NV</title></head><body>"
        "<script>fetch('/api/documents/').then(r => r.text()).then(alert)</script>"
        "<p>Kính gửi: các phòng, ban chuyên môn thuộc UBND thị xã</p></body></html>\n",
        encoding="utf-8",
    )
    return path


# -- refused with one line naming the file -----------------------------------------------------

REFUSED = {
    "zip-bomb.docx": (zip_bomb_docx, errors.FileTooLarge, "zip bomb"),
    "bomb.png": (lambda p: p.write_bytes(png(12_000, 12_000)) and p, errors.FileTooLarge, "quá"),
    "huge-header.png": (
        lambda p: p.write_bytes(png(100_000, 100_000, rows=b"")) and p,
        errors.FileTooLarge,
        "decompression bomb",
    ),
    "huge-page.pdf": (huge_page_pdf, errors.FileTooLarge, "quá lớn"),
    "huge-image.pdf": (huge_image_pdf, errors.FileTooLarge, "decompression bomb"),
    "many-pages.pdf": (many_pages_pdf, errors.FileTooLarge, f"giới hạn {MAX_PDF_PAGES} trang"),
    "trang-web.pdf": (html_named_pdf, errors.UnsupportedFile, "HTML"),
    "empty.docx": (lambda p: p.write_bytes(b"") or p, errors.EmptyFile, "rỗng"),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_hostile_file_is_refused_quickly_with_its_name(tmp_path, name):
    make, error, words = REFUSED[name]
    path = make(tmp_path / name)
    assert path.stat().st_size < 5 * MIB  # small on disk
    started = time.perf_counter()
    with pytest.raises(error) as caught:
        parse_file(path)
    assert time.perf_counter() - started < REFUSAL_SECONDS
    message = str(caught.value)
    assert name in message and words in message
    assert "\n" not in message


def test_zip_bomb_is_refused_from_the_zip_directory_before_inflating(tmp_path):
    path = zip_bomb_docx(tmp_path / "bomb.docx", expanded_mib=1024)
    with zipfile.ZipFile(path) as zf:
        declared = sum(i.file_size for i in zf.infolist())
    assert declared > 3 * MAX_DOCX_BYTES and path.stat().st_size < 2 * MIB
    started = time.perf_counter()
    with pytest.raises(errors.FileTooLarge, match=r"word/document\.xml"):
        parse_file(path)
    assert time.perf_counter() - started < 1


def test_a_docx_that_is_only_big_is_not_a_bomb(tmp_path):
    """The limits leave room for real documents: 40 MB of incompressible photos is fine."""
    import os

    real = write_docx(tmp_path / "real.docx")
    path = tmp_path / "photos.docx"
    with zipfile.ZipFile(real) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("word/media/image1.jpeg", os.urandom(40 * MIB))
    assert parse_file(path).number == EXPECTED["number"]


def test_billion_laughs_in_a_docx_expands_nothing(tmp_path):
    started = time.perf_counter()
    try:
        doc = parse_file(xml_bomb_docx(tmp_path / "laughs.docx"))
    except errors.CchcError as exc:  # refused is as good as read without the entities
        assert "laughs.docx" in str(exc)
    else:
        assert "haha" not in doc.text
    assert time.perf_counter() - started < REFUSAL_SECONDS


def test_image_just_over_the_pixel_limit_is_refused_though_pillow_only_warns(tmp_path):
    """Pillow raises only past twice its MAX_IMAGE_PIXELS; between one and two times it warns
    and decodes. 12,000 x 12,000 = 144 million pixels sits in that gap."""
    assert MAX_PIXELS < 12_000 * 12_000 < 2 * MAX_PIXELS
    path = tmp_path / "scan.png"
    path.write_bytes(png(12_000, 12_000))
    with pytest.raises(errors.FileTooLarge, match=r"scan\.png: .*12000 x 12000 điểm ảnh"):
        parse_file(path)


# -- JavaScript in a PDF: read as text, never run -----------------------------------------------


def test_pdf_javascript_is_never_run_the_text_is_read(tmp_path):
    """cchc only extracts text: pdfium is built without V8/XFA (no JavaScript engine at all) and
    its form environment, the only place it would run document scripts, is never started;
    Poppler (pdfimages, pdftoppm) has no JavaScript either. The script stays inert bytes."""
    import pypdfium2.version as pdfium_version

    assert not {"V8", "XFA"} & set(pdfium_version.PDFIUM_INFO.flags)
    path = javascript_pdf(tmp_path / "co-javascript.pdf")
    assert b"/JavaScript" in path.read_bytes()
    doc = parse_file(path)
    assert (doc.number, doc.quality.reader) == (EXPECTED["number"], "pdf-text")
    assert "cchc-js-ran" not in doc.text and "submitForm" not in doc.text


# -- the content decides, not the extension -----------------------------------------------------


def test_a_pdf_named_docx_is_read_as_the_pdf_it_is(tmp_path):
    path = tmp_path / "cong-van.docx"
    path.write_bytes(write_pdf(tmp_path / "real.pdf").read_bytes())
    doc = parse_file(path)
    assert (doc.number, doc.quality.reader) == (EXPECTED["number"], "pdf-text")


def test_a_png_named_txt_is_read_as_the_image_it_is(tmp_path):
    path = tmp_path / "ghi-chu.txt"
    path.write_bytes(png(64, 64))
    with pytest.raises(errors.NeedsOcr, match=r"ghi-chu\.txt: ảnh PNG"):
        parse_file(path, ocr=False)


def test_a_docx_named_pdf_is_read_as_the_docx_it_is(tmp_path):
    path = tmp_path / "cong-van.pdf"
    path.write_bytes(write_docx(tmp_path / "real.docx").read_bytes())
    assert parse_file(path).quality.reader == "docx"


# -- through the web ingest ------------------------------------------------------------------


def _upload_and_run(path: Path, name: str):
    from cchc.web.documents.ingest import accept_upload, run_job
    from cchc.web.documents.store import UploadRejected

    def chunks():
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                yield chunk

    try:
        job = accept_upload(chunks(), name)
    except UploadRejected as exc:
        return None, str(exc)
    return run_job(job), None


@pytest.mark.parametrize("name", list(REFUSED))
def test_hostile_upload_fails_with_its_name_and_writes_no_document(deployment, tmp_path, name):
    from cchc.web.documents.models import Document, IngestJob

    make, _error, _words = REFUSED[name]
    path = make(tmp_path / name)
    started = time.perf_counter()
    job, refused = _upload_and_run(path, name)
    assert time.perf_counter() - started < REFUSAL_SECONDS
    if job is None:
        assert refused.startswith(f"{name}: ")
    else:
        assert job.status == IngestJob.Status.FAILED
        assert job.message.startswith(f"{name}: ") and "\n" not in job.message
        assert "Traceback" not in job.message and "lỗi không mong đợi" not in job.message
    assert Document.objects.count() == 0


def test_a_javascript_pdf_uploaded_is_stored_as_a_document(deployment, tmp_path):
    from cchc.web.documents.models import IngestJob

    job, _ = _upload_and_run(javascript_pdf(tmp_path / "js.pdf"), "js.pdf")
    assert job.status == IngestJob.Status.DONE, job.message
    assert job.document.number == EXPECTED["number"]
    assert job.document.content_type == "application/pdf"


def test_html_uploaded_as_pdf_is_refused_at_upload(deployment, tmp_path, media):
    _, refused = _upload_and_run(html_named_pdf(tmp_path / "x.pdf"), "cong-van.pdf")
    assert refused.startswith("cong-van.pdf: định dạng không hỗ trợ") and "HTML" in refused
    assert not any(p.is_file() for p in Path(media).rglob("*"))


# -- names --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("../../../etc/cron.d/x.pdf", "x.pdf"),
        ("..", "tep-khong-ten"),
        ("cong\x00van.pdf\x00.exe", "congvan.pdf.exe"),
        # U+202E (right-to-left override) shows `baocao\u202efdp.exe` as `baocaoexe.pdf`
        ("baocao\u202efdp.exe", "baocaofdp.exe"),
        ("bao\u2066cao\u2069\u200f.pdf", "baocao.pdf"),
        ("cong\u200bvan\ufeff.pdf", "congvan.pdf"),
        # fullwidth letters and solidus imitate an extension and a directory
        ("hoa-don\uff0e\uff50\uff44\uff46", "hoa-don.pdf"),
        ("a\uff0f..\uff0fpasswd", "passwd"),
        ("Kế hoạch\u3000số 12.docx", "Kế hoạch số 12.docx"),
        ("van ban.pdf                       .exe", "van ban.pdf .exe"),
    ],
)
def test_display_names_cannot_spoof_a_path_or_an_extension(given, shown):
    from cchc.web.documents.store import safe_name

    assert safe_name(given) == shown


def test_a_very_long_name_is_cut_and_keeps_its_extension():
    from cchc.web.documents.store import MAX_NAME_CHARS, safe_name

    name = safe_name("Công văn " + "rất dài " * 60 + ".docx")
    assert len(name) <= MAX_NAME_CHARS and name.endswith(".docx")
    assert name.startswith("Công văn rất dài")
    assert safe_name("x" * 400) == "x" * MAX_NAME_CHARS


def test_hostile_names_reach_the_registry_cleaned(deployment, tmp_path):
    from cchc.web.documents.models import IngestJob

    path = write_docx(tmp_path / "412.docx")
    name = "../" * 20 + "\u202e" + "Công văn 412 " * 30 + "\x00.docx"
    job, _ = _upload_and_run(path, name)
    assert job.status == IngestJob.Status.DONE, job.message
    shown = job.document.original_name
    assert len(shown) <= 200 and shown.endswith(".docx")
    assert "/" not in shown and "\x00" not in shown and "\u202e" not in shown
    assert IngestJob.objects.get(pk=job.pk).original_name == shown


def many_big_headers_docx(path: Path, headers: int = 4, header_mib: int = 60) -> Path:
    """A real .docx with `headers` XML parts of `header_mib` MiB each that compress only ~100x:
    each part passes the per-part limits (size, ratio), all together they are a bomb."""
    real = write_docx(path.with_name("real.docx"))
    members = []
    with zipfile.ZipFile(real) as zf:
        for info in zf.infolist():
            data = zf.read(info)
            c = zlib.compressobj(9, zlib.DEFLATED, -15)
            packed = c.compress(data) + c.flush()
            members.append((info.filename, packed, zlib.crc32(data), len(packed), len(data)))
    rng = random.Random(14)
    chunk = b"".join(
        b"<w:t>" + b"%016x" % rng.getrandbits(64) + b"</w:t>" + b" " * 2020
        for _ in range(MIB // 2048)
    )
    for i in range(1, headers + 1):
        head = b'<?xml version="1.0"?><w:hdr xmlns:w="urn:w">'
        stream, crc = _deflate_repeated(head, chunk, header_mib, b"</w:hdr>")
        size = len(head) + len(chunk) * header_mib + 8
        members.append((f"word/header{i}.xml", stream, crc, len(stream), size))
    return _write_zip(path, members)


def test_docx_whose_xml_parts_together_are_too_large_is_refused(tmp_path):
    from click.testing import CliRunner

    from cchc.cli import main
    from cchc.readers import MAX_DOCX_XML_BYTES, MAX_ZIP_RATIO

    path = many_big_headers_docx(tmp_path / "headers.docx")
    with zipfile.ZipFile(path) as zf:
        headers = [i for i in zf.infolist() if i.filename.startswith("word/header")]
    assert all(i.file_size < MAX_DOCX_XML_BYTES for i in headers)
    assert all(i.file_size / i.compress_size < MAX_ZIP_RATIO for i in headers)
    assert path.stat().st_size < 5 * MIB
    with pytest.raises(errors.FileTooLarge, match="phần XML"):
        parse_file(path)
    result = CliRunner().invoke(main, ["parse", str(path)])
    assert result.exit_code == errors.ExitCode.too_large
    assert "headers.docx" in result.stderr and "Traceback" not in result.output
