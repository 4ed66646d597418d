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


def write_decision(path: Path, rows=ROWS) -> Path:
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
    table = document.add_table(rows=1, cols=len(HEADER))
    table.style = "Table Grid"  # ruled, as decisions print
    for cell, title in zip(table.rows[0].cells, HEADER, strict=True):
        cell.text = title
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = value
    document.add_paragraph("Nơi nhận: như Điều 3.")
    document.save(str(path))
    return path
