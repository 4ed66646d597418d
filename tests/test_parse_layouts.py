"""Each layout rule of the header and the parts around the body, on small hand-written texts."""

import pytest

from cchc import parse_text

HEADER = """ỦY BAN NHÂN DÂN
THỊ XÃ AN PHÚ
Số: {number}
V/v kiểm tra công tác
cải cách hành chính năm 2026
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
An Phú, {date}
Kính gửi: Phòng Nội vụ thị xã.
Nội dung văn bản./.
"""


@pytest.mark.parametrize(
    ("printed", "number", "symbol"),
    [
        ("595 /UBND-NC", "595/UBND-NC", "UBND-NC"),
        ("012/CT-UBND", "012/CT-UBND", "CT-UBND"),
        ("4085/UBND-ĐT", "4085/UBND-ĐT", "UBND-ĐT"),
        ("52/2025/QĐ-CTUBND", "52/2025/QĐ-CTUBND", "QĐ-CTUBND"),
        ("        /UBND-NC", None, "UBND-NC"),
        ("\n—-127/2025/TT-UBND", "127/2025/TT-UBND", "TT-UBND"),
    ],
    ids=[
        "space-before-slash",
        "leading-zero",
        "d-bar",
        "with-year",
        "blank-draft",
        "next-line-after-scan-dashes",
    ],
)
def test_number_and_symbol_as_printed(printed, number, symbol):
    doc = parse_text(HEADER.format(number=printed, date="ngày 26 tháng 11 năm 2025"))
    assert doc.number == number
    assert doc.symbol == symbol


def test_symbol_without_type_code_is_a_cong_van():
    doc = parse_text(HEADER.format(number="595/UBND-NC", date="ngày 26 tháng 11 năm 2025"))
    assert doc.type == "Công văn"
    assert doc.subject == "V/v kiểm tra công tác cải cách hành chính năm 2026"


def test_date_written_in_words():
    doc = parse_text(HEADER.format(number="1/UBND", date="ngày 26 tháng 11 năm 2025"))
    assert (doc.place, doc.date) == ("An Phú", "2025-11-26")


def test_date_split_across_lines():
    doc = parse_text(HEADER.format(number="1/UBND", date="ngày 05\ntháng 3 năm 2026"))
    assert doc.date == "2026-03-05"


def test_blank_date_is_null_with_a_warning():
    doc = parse_text(HEADER.format(number="1/UBND", date="ngày     tháng     năm 2026"))
    assert doc.date is None
    assert "ngày ban hành để trống" in doc.warnings


def test_impossible_date_is_null_with_a_warning():
    doc = parse_text(HEADER.format(number="1/UBND", date="ngày 31 tháng 02 năm 2026"))
    assert doc.date is None
    assert any("không hợp lệ" in w for w in doc.warnings)


def test_header_columns_on_one_line_in_either_order():
    text = (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM ỦY BAN NHÂN DÂN\n"
        "Độc lập - Tự do - Hạnh phúc THỊ XÃ AN PHÚ\n"
        "Số: 7/KH-UBND An Phú, ngày 02 tháng 01 năm 2026\n"
        "KẾ HOẠCH\nTổ chức hội nghị\n"
    )
    doc = parse_text(text)
    assert doc.issuer == "ỦY BAN NHÂN DÂN THỊ XÃ AN PHÚ"
    assert (doc.number, doc.date, doc.place) == ("7/KH-UBND", "2026-01-02", "An Phú")
    assert doc.type == "Kế hoạch"


def test_parent_issuer_above_the_issuer():
    text = "UBND TỈNH BÌNH LONG\nSỞ NỘI VỤ\nSố: 33/TB-SNV\nBình Long, ngày 1 tháng 2 năm 2026\n"
    doc = parse_text(text)
    assert (doc.parent_issuer, doc.issuer) == ("UBND TỈNH BÌNH LONG", "SỞ NỘI VỤ")
    assert doc.type == "Thông báo"


def test_markdown_header_table_with_wrapped_bold_lines():
    text = (
        "|\n**ỦY BAN NHÂN\nDÂN**\n**TỈNH BÌNH LONG**\n--------\n|\n**CỘNG HÒA XÃ\n"
        "HỘI CHỦ NGHĨA VIỆT NAM**\nĐộc lập - Tự do - Hạnh phúc\n---------------\n|\n|\n"
        "Số: 471/QĐ-UBND\n|\n*Bình Long, ngày 28\ntháng 11 năm 2025*\n|\n**QUYẾT ĐỊNH**\n"
        "VỀ VIỆC PHÊ DUYỆT DANH MỤC\nNĂM 2026\n**ỦY BAN NHÂN DÂN TỈNH BÌNH LONG**\n"
        "*Căn cứ Nghị định số\n81/2018/NĐ-CP ngày 22/5/2018 của Chính phủ;*\n"
    )
    doc = parse_text(text)
    assert doc.issuer == "ỦY BAN NHÂN DÂN TỈNH BÌNH LONG"
    assert (doc.type, doc.number, doc.date) == ("Quyết định", "471/QĐ-UBND", "2025-11-28")
    assert doc.subject == "VỀ VIỆC PHÊ DUYỆT DANH MỤC NĂM 2026"
    assert doc.bases[0].references[0].number == "81/2018/NĐ-CP"
    assert doc.bases[0].references[0].date == "2018-05-22"
    assert doc.bases[0].references[0].issuer == "Chính phủ"


def test_recipients_as_a_list_before_the_body():
    text = (
        "Kính gửi:\n- Phòng Nội vụ;\n- Phòng Tài chính - Kế hoạch;\n- UBND các phường.\n\nNội dung."
    )
    assert parse_text(text).recipients == [
        "Phòng Nội vụ",
        "Phòng Tài chính - Kế hoạch",
        "UBND các phường",
    ]


def test_recipients_after_the_body_and_on_one_line():
    text = (
        "Nội dung văn bản./.\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n"
        "Kính gửi: Sở Nội vụ tỉnh Bình Long."
    )
    doc = parse_text(text)
    assert doc.recipients == ["Sở Nội vụ tỉnh Bình Long"]
    assert doc.distribution == ["Như trên", "Lưu: VT"]


@pytest.mark.parametrize(
    ("block", "authority", "title"),
    [
        ("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
        ("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
        ("TL. CHỦ TỊCH\nCHÁNH VĂN PHÒNG", "TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"),
        ("TUQ. CHỦ TỊCH\nGIÁM ĐỐC SỞ NỘI VỤ", "TUQ. CHỦ TỊCH", "GIÁM ĐỐC SỞ NỘI VỤ"),
        (
            "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
            "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH",
            "PHÓ CHỦ TỊCH",
        ),
    ],
    ids=["TM", "KT", "TL", "TUQ", "TM+KT"],
)
def test_signer_block_keeps_authority_lines(block, authority, title):
    text = f"Nội dung./.\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n{block}\n(Đã ký)\nTrần Thị Thu Hà\n"
    signer = parse_text(text).signer
    assert (signer.authority, signer.title, signer.name) == (authority, title, "Trần Thị Thu Hà")


def test_title_on_the_noi_nhan_line_from_pdf_columns():
    text = "Nội dung./.\nNơi nhận:   CHỦ TỊCH\n- Sở Nội vụ;\n- Lưu: VT.\n\nNguyễn Văn Bình\n"
    signer = parse_text(text).signer
    assert (signer.title, signer.name) == ("CHỦ TỊCH", "Nguyễn Văn Bình")


def test_every_cited_document_is_a_reference():
    text = (
        "Thực hiện Kế hoạch số 24/KH-UBND ngày 27/01/2021 của UBND thị xã về việc thực hiện;"
        " Công văn số 364/SNV-CCHC ngày 03/3/2023 của Sở Nội vụ về việc sử dụng kết quả."
    )
    refs = parse_text(text).references
    assert [(r.type, r.number, r.date, r.issuer) for r in refs] == [
        ("Kế hoạch", "24/KH-UBND", "2021-01-27", "UBND thị xã"),
        ("Công văn", "364/SNV-CCHC", "2023-03-03", "Sở Nội vụ"),
    ]


def test_text_without_a_header_gives_nulls_not_guesses():
    doc = parse_text("Công tác cải cách hành chính trong thời gian qua luôn được quan tâm.\n")
    assert (doc.number, doc.date, doc.issuer, doc.type, doc.signer) == (
        None,
        None,
        None,
        None,
        None,
    )
    assert doc.tasks == []
