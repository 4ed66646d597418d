"""A framework imported from the Quyết định as a PDF: the appendix table printed from Word (ruled,
with a text layer) reads into the same framework as the .docx, with the same checks and errors
naming the table row; a PDF without the table, or a scan, is refused with a message naming the
file.

The PDFs are printed from the .docx fixtures by LibreOffice inside the tests (`as_pdf`), so
they always match `tests/par_decision.py`; the tests are skipped where soffice is missing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.par.framework import FrameworkError, load_decision
from cchc.web.par.models import Framework
from tests.par_decision import (
    FULL_AFTER,
    FULL_HEADER,
    FULL_ROWS,
    HEADER,
    ROWS,
    as_pdf,
    write_decision,
)


def _shape(framework) -> list[tuple]:
    return [
        (c.code, c.name, c.max_points, c.scoring, [(i.label, i.points) for i in c.rule], c.method)
        for c, _, _ in framework.walk()
    ]


def test_a_pdf_decision_imports_to_the_same_framework_as_its_docx(tmp_path):
    docx = write_decision(tmp_path / "qd-99.docx")
    from_pdf, from_docx = load_decision(as_pdf(docx)), load_decision(docx)
    assert _shape(from_pdf) == _shape(from_docx)
    assert len(from_pdf.leaves()) == 6 and from_pdf.total() == 10
    # the name, year, level and number come from the decision's opening lines, which the PDF
    # wraps ("… của" / "UBND các xã, phường năm 2026"): joined back into one title
    assert from_pdf.name == from_docx.name
    assert (from_pdf.year, from_pdf.level, from_pdf.source) == (
        2026, "xa", "Quyết định số 99/QĐ-UBND",
    )  # fmt: skip
    assert from_pdf == from_docx


def test_a_row_the_page_break_splits_is_one_criterion_again(tmp_path):
    """The fixture's table runs onto a second page and LibreOffice splits the row of area II
    there: its name is whole again, not cut into an area and a line of text."""
    from cchc.par.pdftable import ruled_table

    pdf = as_pdf(write_decision(tmp_path / "qd-99.docx"))
    grid = ruled_table(pdf).grid
    names = [row[1] for row in grid]
    assert "Sự hài lòng của người dân, tổ chức" in names
    assert len(grid) == len(ROWS) + 1  # the header and every row, none doubled or lost


def test_a_pdf_with_bonus_penalty_methods_rules_and_classes_reads_them_all(tmp_path):
    docx = write_decision(tmp_path / "qd-day-du.docx", FULL_ROWS, FULL_HEADER, FULL_AFTER)
    from_pdf = load_decision(as_pdf(docx))
    assert from_pdf == load_decision(docx)
    assert (from_pdf.bonus_max, from_pdf.penalty_max) == (2, 3)
    assert [(b.name, b.minimum) for b in from_pdf.classes] == [
        ("Xuất sắc", 90), ("Tốt", 80), ("Khá", 65), ("Trung bình", 50), ("Yếu", 0),
    ]  # fmt: skip
    leaves = {c.code: c for c in from_pdf.leaves()}
    assert leaves["I.1.1"].evidence_rule == "plan_on_time"  # "plan_on_" / "time" in its cell
    assert leaves["II.1.2"].method == "survey"


def test_a_pdf_whose_points_do_not_add_up_names_the_table_row(tmp_path):
    rows = list(ROWS)
    rows[6] = ("1.2", "Tỷ lệ nhiệm vụ đúng hạn", "3", "trên 90%: 3; dưới 90%: 0", "")
    with pytest.raises(FrameworkError) as caught:
        load_decision(as_pdf(write_decision(tmp_path / "sai.docx", rows)))
    assert any(
        p.startswith("dòng 3 của bảng (I.1): tổng điểm các tiêu chí con là 4, khác điểm tối đa 3")
        for p in caught.value.problems
    )
    assert "sai.pdf" in str(caught.value)


def test_a_pdf_without_the_table_is_refused_naming_the_file(tmp_path):
    import docx as python_docx

    document = python_docx.Document()
    document.add_paragraph("QUYẾT ĐỊNH về việc ban hành Bộ tiêu chí xác định Chỉ số CCHC")
    document.add_paragraph(
        "Điều 1. Ban hành kèm theo Quyết định này Bộ tiêu chí (phụ lục gửi sau)."
    )
    document.save(str(tmp_path / "khong-bang.docx"))
    with pytest.raises(FrameworkError) as caught:
        load_decision(as_pdf(tmp_path / "khong-bang.docx"))
    message = str(caught.value)
    assert "khong-bang.pdf" in message and "không thấy bảng tiêu chí có kẻ ô" in message


def test_a_scanned_pdf_is_refused_naming_the_file_and_the_fix(tmp_path):
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    image = Image.new("L", (600, 300), 255)
    draw = ImageDraw.Draw(image)
    for y in range(20, 300, 40):  # a table's lines, as an image: no text layer
        draw.line((20, y, 580, y), fill=0, width=2)
    image.save(tmp_path / "bang.png")
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.image(str(tmp_path / "bang.png"), x=10, y=10, w=190)
    pdf.output(str(tmp_path / "ban-quet.pdf"))
    with pytest.raises(FrameworkError) as caught:
        load_decision(tmp_path / "ban-quet.pdf")
    message = str(caught.value)
    assert "ban-quet.pdf" in message and "bản quét" in message and ".docx" in message


def test_a_damaged_pdf_is_refused_without_a_crash(tmp_path):
    path = tmp_path / "hong.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj <<>> endobj\n" + b"\x00" * 100)
    with pytest.raises(FrameworkError) as caught:
        load_decision(path)
    assert "hong.pdf" in str(caught.value)


def test_the_council_imports_a_pdf_decision_in_the_app(deployment, login, tmp_path):
    pdf = as_pdf(write_decision(tmp_path / "qd-99.docx", FULL_ROWS, FULL_HEADER, FULL_AFTER))
    answer = login("lanhdao").post(
        "/chi-so/bo-tieu-chi/nhap/",
        {"file": SimpleUploadedFile("qd-99.pdf", pdf.read_bytes()), "year": "2026"},
    )
    assert answer.status_code == 302
    stored = Framework.objects.get()
    assert stored.max_total == 10 and stored.bonus_max == 2 and stored.penalty_max == 3
    assert [c["name"] for c in stored.classes][:2] == ["Xuất sắc", "Tốt"]
    assert stored.criteria.get(code="I.1.1").evidence_rule == "plan_on_time"
    assert stored.criteria.get(code="II.1.2").method == "survey"


def test_a_scanned_pdf_in_the_app_says_what_to_do_and_stores_nothing(deployment, login, tmp_path):
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.rect(20, 20, 100, 50, style="F")
    pdf.output(str(tmp_path / "scan.pdf"))
    answer = login("lanhdao").post(
        "/chi-so/bo-tieu-chi/nhap/",
        {"file": SimpleUploadedFile("quet.pdf", (tmp_path / "scan.pdf").read_bytes())},
        follow=True,
    )
    text = answer.content.decode()
    assert "quet.pdf: " in text and "PDF là bản quét" in text
    assert not Framework.objects.exists()


def _fpdf():
    from fpdf import FPDF

    from tests.documents import FONT

    if not FONT.is_file():
        pytest.skip(f"thiếu phông {FONT} (Debian fonts-dejavu-core)")
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=9)
    pdf.add_page()
    for line in (
        "ỦY BAN NHÂN DÂN TỈNH HƯ CẤU (văn bản bịa cho kiểm thử)",
        "Số: 99/QĐ-UBND",
        "Phụ lục: BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CỦA UBND XÃ, PHƯỜNG NĂM 2026",
    ):
        pdf.multi_cell(190, 6, line, new_x="LMARGIN", new_y="NEXT")
    return pdf


def test_a_table_drawn_one_rectangle_per_cell_reads_the_same(tmp_path):
    """Another producer (fpdf2) draws each cell as its own rectangle, where LibreOffice draws
    lines: the same rows and columns come out."""
    from_pdf = load_decision(_fpdf_decision(tmp_path / "fpdf.pdf"))
    assert _shape(from_pdf) == _shape(load_decision(write_decision(tmp_path / "qd-99.docx")))
    assert from_pdf.level == "xa" and from_pdf.source == "Quyết định số 99/QĐ-UBND"


def _fpdf_decision(path):
    pdf = _fpdf()
    with pdf.table(col_widths=(12, 70, 18, 50, 40), first_row_as_headings=False) as table:
        for values in (HEADER, *ROWS):
            row = table.row()
            for value in values:
                row.cell(value)
    pdf.output(str(path))
    return path


def test_a_page_of_too_many_drawn_lines_is_not_walked(tmp_path, monkeypatch):
    from cchc.par import pdftable

    path = _fpdf_decision(tmp_path / "ve.pdf")
    monkeypatch.setattr(pdftable, "MAX_SEGMENTS", 50)  # the table's cells draw 400
    with pytest.raises(FrameworkError, match="không thấy bảng tiêu chí có kẻ ô"):
        load_decision(path)


def test_a_decision_whose_appendix_pages_are_scanned_names_those_pages(tmp_path):
    pdf = _fpdf()
    pdf.multi_cell(190, 6, "Điều 1. Ban hành kèm theo Quyết định này Bộ tiêu chí (Phụ lục).")
    pdf.add_page()
    pdf.rect(20, 20, 170, 200, style="F")  # the appendix, scanned: an image, no text
    pdf.output(str(tmp_path / "phu-luc-quet.pdf"))
    with pytest.raises(FrameworkError) as caught:
        load_decision(tmp_path / "phu-luc-quet.pdf")
    message = str(caught.value)
    assert "phu-luc-quet.pdf" in message and "trang 2 của PDF là ảnh quét" in message


def test_a_pdf_uploaded_under_another_name_is_read_as_a_decision(deployment, login, tmp_path):
    pdf = as_pdf(write_decision(tmp_path / "qd-99.docx"))
    answer = login("lanhdao").post(
        "/chi-so/bo-tieu-chi/nhap/",
        {"file": SimpleUploadedFile("quyet-dinh-tai-ve", pdf.read_bytes()), "year": "2026"},
    )
    assert answer.status_code == 302 and Framework.objects.get().max_total == 10
