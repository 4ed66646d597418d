"""Builds a fictional Quyết định .docx whose appendix table is a PAR framework, as provinces
publish them (python-docx), for the import tests and the browser flow. Everything in it is made
up: the province, the number, the criteria and the points."""

from __future__ import annotations

from pathlib import Path

ROWS = [
    ("I", "Công tác chỉ đạo, điều hành cải cách hành chính", "6", "", ""),
    ("1", "Kế hoạch cải cách hành chính năm", "3", "", ""),
    ("1.1", "Ban hành kế hoạch CCHC năm đúng hạn", "1", "", "Kế hoạch CCHC năm của UBND xã"),
    ("", "- Ban hành đúng hạn", "1", "", ""),
    ("", "- Ban hành chậm", "0,5", "", ""),
    ("", "- Không ban hành", "0", "", ""),
    ("1.2", "Tỷ lệ nhiệm vụ trong kế hoạch hoàn thành đúng hạn", "2",
     "trên 90%: 2; 70–90%: 1; dưới 70%: 0", "Báo cáo kết quả thực hiện kế hoạch"),
    ("2", "Báo cáo, kiểm tra cải cách hành chính", "3", "", ""),
    ("2.1", "Báo cáo CCHC quý, 6 tháng, năm đúng hạn", "2",
     "đủ và đúng hạn: 2; đủ nhưng chậm: 1; thiếu: 0", "Các báo cáo đã gửi"),
    ("2.2", "Tổ chức kiểm tra CCHC", "1", "có kiểm tra: 1; không kiểm tra: 0",
     "Kế hoạch, biên bản kiểm tra"),
    ("II", "Sự hài lòng của người dân, tổ chức", "4", "", ""),
    ("1", "Mức độ hài lòng về thủ tục hành chính", "4", "", ""),
    ("1.1", "Hài lòng về tiếp nhận và trả kết quả", "2", "Điều tra xã hội học", ""),
    ("1.2", "Hài lòng về thái độ của công chức", "2", "Điều tra xã hội học", ""),
    ("", "Tổng cộng", "10", "", ""),
]  # fmt: skip

HEADER = ("STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm tối đa", "Cách chấm",
          "Tài liệu kiểm chứng")  # fmt: skip


# The same framework with the columns a fuller decision adds (how each sub-criterion is assessed,
# the cchc rule that computes it), bonus and penalty rows after the total, and the
# classification bands in the text after the table (in points of the total 10).
FULL_HEADER = (*HEADER, "Phương pháp đánh giá", "Quy tắc minh chứng")
FULL_ROWS = [
    ("I", "Công tác chỉ đạo, điều hành cải cách hành chính", "6", "", "", "", ""),
    ("1", "Kế hoạch cải cách hành chính năm", "3", "", "", "", ""),
    ("1.1", "Ban hành kế hoạch CCHC năm đúng hạn", "1",
     "ban hành đúng hạn: 1; ban hành chậm: 0,5; không ban hành: 0", "Kế hoạch CCHC năm",
     "Thẩm định", "plan_on_time"),
    ("1.2", "Tỷ lệ nhiệm vụ trong kế hoạch hoàn thành đúng hạn", "2",
     "trên 90%: 2; 70–90%: 1; dưới 70%: 0", "Báo cáo kết quả", "Thẩm định", "tasks_on_time"),
    ("2", "Báo cáo, kiểm tra cải cách hành chính", "3", "", "", "", ""),
    ("2.1", "Báo cáo CCHC quý, 6 tháng, năm đúng hạn", "2",
     "đủ và đúng hạn: 2; đủ nhưng chậm: 1; thiếu: 0", "Các báo cáo đã gửi", "Thẩm định",
     "reports_on_time"),
    ("2.2", "Tổ chức kiểm tra CCHC", "1", "có kiểm tra: 1; không kiểm tra: 0",
     "Biên bản kiểm tra", "Thẩm định", "inspection_held"),
    ("II", "Sự hài lòng của người dân, tổ chức", "4", "", "", "", ""),
    ("1", "Mức độ hài lòng về thủ tục hành chính", "4", "", "", "", ""),
    ("1.1", "Hài lòng về tiếp nhận và trả kết quả", "2", "Tỷ lệ", "", "Điều tra xã hội học", ""),
    ("1.2", "Hài lòng về thái độ của công chức", "2", "", "", "ĐTXHH", ""),
    ("", "Tổng cộng", "10", "", "", "", ""),
    ("", "Điểm thưởng (tối đa 2 điểm)", "2", "", "", "", ""),
    ("", "- Có sáng kiến cải cách hành chính được công nhận", "1", "", "", "", ""),
    ("", "- Được khen thưởng về cải cách hành chính", "1", "", "", "", ""),
    ("", "Điểm trừ", "3", "", "", "", ""),
    ("", "- Để xảy ra sai phạm trong giải quyết thủ tục hành chính", "1", "", "", "", ""),
]  # fmt: skip
FULL_AFTER = (
    "Xếp loại kết quả Chỉ số cải cách hành chính:",
    "- Xuất sắc: đạt từ 9 điểm trở lên;",
    "- Tốt: từ 8 đến dưới 9 điểm;",
    "- Khá: từ 6,5 đến dưới 8 điểm;",
    "- Trung bình: từ 5 đến dưới 6,5 điểm;",
    "- Yếu: dưới 5 điểm.",
)


def write_decision(path: Path, rows=ROWS, header=HEADER, after=()) -> Path:
    """The decision as a .docx at `path`: its opening lines, the appendix table (`header`,
    `rows`, ruled as decisions print) and the lines `after` it."""
    import docx

    document = docx.Document()
    for line in (
        "ỦY BAN NHÂN DÂN TỈNH HƯ CẤU (văn bản bịa cho kiểm thử)",
        "Số: 99/QĐ-UBND",
        "QUYẾT ĐỊNH Ban hành Bộ tiêu chí xác định Chỉ số cải cách hành chính của UBND các xã, "
        "phường năm 2026",
        "Phụ lục: BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CỦA UBND XÃ, PHƯỜNG NĂM 2026",
    ):
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"  # ruled, as decisions print
    for cell, title in zip(table.rows[0].cells, header, strict=True):
        cell.text = title
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = value
    for line in after:
        document.add_paragraph(line)
    document.add_paragraph("Nơi nhận: như Điều 3.")
    document.save(str(path))
    return path


def as_pdf(docx_path: Path) -> Path:
    """The decision printed to PDF by LibreOffice (text layer, ruled table), beside the .docx;
    the test is skipped when soffice is not installed (Debian libreoffice-writer-nogui)."""
    import shutil

    import pytest

    from cchc.external import docx_to_pdf

    if shutil.which("soffice") is None:
        pytest.skip("soffice (libreoffice-writer-nogui) không có: không in được .docx ra PDF")
    return docx_to_pdf(docx_path, docx_path.parent)
