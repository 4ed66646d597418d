"""Scans through Tesseract's Vietnamese model: images, multi-page TIFF, scanned and mixed PDFs."""

import pytest

from cchc import errors, parse_file
from cchc.ocr import ocr_image
from tests.documents import EXPECTED, page_lines, render_page, write_pdf


def _scan_pdf(path, pages):
    pages[0].save(path, save_all=True, append_images=pages[1:], resolution=300)
    return path


def test_scanned_png_parses_like_the_typed_document(tmp_path):
    path = tmp_path / "cong-van.png"
    render_page(page_lines()).save(path, dpi=(300, 300))
    doc = parse_file(path)
    assert doc.quality.source == "ocr"
    assert 0.5 < doc.quality.confidence <= 1
    assert (doc.number, doc.date, doc.type) == (EXPECTED["number"], EXPECTED["date"], "Công văn")
    assert doc.issuer == EXPECTED["issuer"]


def test_degraded_scan_still_gives_number_and_date(tmp_path):
    path = tmp_path / "degraded.png"
    render_page(page_lines(), degrade=True).save(path, dpi=(300, 300))
    doc = parse_file(path)
    assert (doc.number, doc.date) == (EXPECTED["number"], EXPECTED["date"])


def test_ocr_tells_which_words_it_read_unsurely(tmp_path):
    """The marks' repair of Vietnamese OCR is allowed only on the words Tesseract doubted:
    the reader passes them on, as letters in lower case."""
    from cchc.layout import Word, unsure_words
    from cchc.readers import read_file

    words = [
        Word(text, 0, 0, 10, 10, conf, (1, 1, 1))
        for text, conf in (
            ("Hội", 96.0),
            ("thánh", 95.0),
            ("nỉnh,", 82.0),
            ("2026", 40.0),
            ("PHÓ", 89.9),
        )
    ]
    assert unsure_words(words, 90.0) == ["nỉnh", "phó"]
    path = tmp_path / "degraded.png"
    render_page(page_lines(), degrade=True).save(path, dpi=(300, 300))
    source = read_file(path)
    assert source.unsure is not None
    letters = "".join(c for c in source.text.lower() if c.isalpha())
    assert all(w.isalpha() and w == w.lower() and w in letters for w in source.unsure)


def test_every_page_of_a_multipage_tiff_is_read(tmp_path):
    path = tmp_path / "two-pages.tiff"
    first = render_page(page_lines()[:8], dpi=200)
    second = render_page(["Trang hai: Phòng Nội vụ báo cáo trước ngày 31/3/2026."], dpi=200)
    first.save(path, save_all=True, append_images=[second], dpi=(200, 200))
    result = ocr_image(path)
    assert result.pages == 2
    assert "412/UBND-NV" in result.text
    assert "Trang hai" in result.text


def test_scanned_pdf_is_read_at_its_image_resolution(tmp_path):
    path = _scan_pdf(tmp_path / "scan.pdf", [render_page(page_lines())])
    doc = parse_file(path)
    assert doc.quality.source == "ocr"
    assert (doc.number, doc.date) == (EXPECTED["number"], EXPECTED["date"])


def test_mixed_pdf_keeps_text_pages_and_ocrs_scanned_ones(tmp_path):
    from pypdf import PdfReader, PdfWriter

    typed = write_pdf(tmp_path / "typed.pdf")
    scanned = _scan_pdf(
        tmp_path / "scanned.pdf",
        [render_page(["Phụ lục: danh sách đơn vị được kiểm tra năm 2026."])],
    )
    writer = PdfWriter()
    for source in (typed, scanned):
        for page in PdfReader(source).pages:
            writer.add_page(page)
    path = tmp_path / "mixed.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    doc = parse_file(path)
    assert doc.quality.source == "ocr"
    assert doc.number == EXPECTED["number"]
    assert "danh sách đơn vị" in doc.text


def test_blank_scan_is_an_empty_document_not_a_crash(tmp_path):
    from PIL import Image

    path = tmp_path / "blank.png"
    Image.new("L", (1654, 2339), 255).save(path, dpi=(200, 200))
    with pytest.raises(errors.EmptyFile, match=r"blank\.png"):
        parse_file(path)


def test_corrupt_image_is_reported(tmp_path):
    path = tmp_path / "broken.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    with pytest.raises(errors.DamagedFile, match=r"broken\.png"):
        parse_file(path)


def test_missing_tesseract_says_what_to_install(tmp_path, monkeypatch):
    path = tmp_path / "scan.png"
    render_page(["Số: 1/UBND"], dpi=100).save(path)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(errors.CchcError, match="tesseract-ocr-vie"):
        parse_file(path)


def test_ocr_command_writes_a_searchable_pdfa_copy(tmp_path):
    from click.testing import CliRunner

    from cchc.cli import main
    from cchc.readers import read_file

    scan = _scan_pdf(tmp_path / "scan.pdf", [render_page(page_lines())])
    copy = tmp_path / "scan-pdfa.pdf"
    result = CliRunner().invoke(main, ["ocr", str(scan), "--pdfa", str(copy)])
    assert result.exit_code == 0, result.output
    assert "412/UBND-NV" in result.stdout
    layer = read_file(copy, ocr=False).text
    assert "412/UBND-NV" in layer
    assert not list(tmp_path.glob(".*.part"))


def _fake_tesseract(folder, script: str) -> None:
    exe = folder / "tesseract"
    exe.write_text(f"#!/bin/sh\n{script}\n")
    exe.chmod(0o755)


@pytest.mark.parametrize(
    "script",
    [
        "exit 139",  # crashes at once, even listing its languages
        'if [ "$1" = --list-langs ]; then printf "List of languages\\nvie\\n"; exit 0; fi\n'
        "exit 139",
    ],
    ids=["crash-listing-languages", "crash-reading-the-page"],
)
def test_crashing_tesseract_is_a_program_error_not_a_damaged_file(tmp_path, monkeypatch, script):
    from click.testing import CliRunner

    from cchc.cli import main

    path = tmp_path / "scan.png"
    render_page(["Số: 1/UBND"], dpi=100).save(path)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _fake_tesseract(bin_dir, script)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    with pytest.raises(errors.ProgramFailed, match="không phải do tệp") as caught:
        parse_file(path)
    assert not isinstance(caught.value, errors.DamagedFile)
    result = CliRunner().invoke(main, ["parse", str(path)])
    assert result.exit_code == errors.ExitCode.child_process_error == 13
    assert "tesseract" in result.stderr and "Traceback" not in result.output


def _blank_pdf(path, pages: int):
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    for _ in range(pages):
        pdf.add_page()
    pdf.output(str(path))
    return path


def test_a_pdf_of_blank_pages_skips_them_without_ocr(tmp_path):
    from cchc.ocr import ocr_pdf

    path = _blank_pdf(tmp_path / "trang-trang.pdf", 500)
    assert path.stat().st_size < 200_000
    result = ocr_pdf(path, [""] * 500, list(range(500)))
    assert result.ocr_pages == 0 and result.pages == 500
    assert result.warnings == ["bỏ qua 500 trang quét để trắng"]
    with pytest.raises(errors.EmptyFile):
        parse_file(path)


def test_blank_pages_are_told_from_pages_with_a_little_text(tmp_path):
    from PIL import Image

    from cchc.ocr import blank_pages

    white = Image.new("L", render_page([]).size, 255)
    path = _scan_pdf(tmp_path / "scan.pdf", [white, render_page(["Trang này để trắng."]), white])
    assert blank_pages(path, [0, 1, 2]) == {0, 2}


def test_ocr_reads_at_most_the_page_cap_and_says_what_was_left(tmp_path, monkeypatch):
    from cchc import ocr

    monkeypatch.setattr(ocr, "MAX_OCR_PAGES", 1)
    pages = [render_page(["Trang một: kế hoạch."]), render_page(["Trang hai: phụ lục."])]
    path = _scan_pdf(tmp_path / "hai-trang.pdf", pages)
    result = ocr.ocr_pdf(path, ["", ""], [0, 1])
    assert result.ocr_pages == 1 and "kế hoạch" in result.text and "phụ lục" not in result.text
    assert result.warnings == [
        "chỉ nhận dạng chữ 1 trang quét đầu; 1 trang sau (từ trang 2) chưa được đọc"
    ]
    doc = parse_file(path)
    assert any("chưa được đọc" in w for w in doc.warnings)
