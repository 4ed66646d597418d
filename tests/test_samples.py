"""The fictional sample documents shipped in `cchc/samples`, parsed end to end.

Every expected value below was written by hand from the sample text, not copied from parser output.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import as_file, files

import pytest

import cchc
from cchc.document import Document

SAMPLES = files("cchc") / "samples"
AN_PHU = "ỦY BAN NHÂN DÂN THỊ XÃ AN PHÚ"


@cache
def sample(name: str) -> Document:
    with as_file(SAMPLES / name) as path:
        return cchc.parse_file(path)


def header(doc: Document) -> dict:
    return {
        "type": doc.type,
        "number": doc.number,
        "symbol": doc.symbol,
        "issuer": doc.issuer,
        "parent_issuer": doc.parent_issuer,
        "place": doc.place,
        "date": doc.date,
    }


def signer(doc: Document) -> tuple | None:
    return doc.signer and (doc.signer.name, doc.signer.title, doc.signer.authority)


def first_reference(doc: Document, basis: int | None = None) -> tuple | None:
    refs = doc.references if basis is None else doc.bases[basis].references
    return refs and (refs[0].type, refs[0].number, refs[0].date)


CONG_VAN = "cong-van-tang-cuong-cchc.txt"
KE_HOACH = "ke-hoach-cchc-2026.md"
QUYET_DINH = "quyet-dinh-kiem-tra-cchc.txt"
BAO_CAO = "bao-cao-quy-1-2026.txt"
THONG_BAO = "thong-bao-ket-luan.txt"
ALL = [CONG_VAN, KE_HOACH, QUYET_DINH, BAO_CAO, THONG_BAO]


# -- the package ships them ------------------------------------------------------------------


def test_samples_folder_ships_five_documents_and_a_readme():
    names = {entry.name for entry in SAMPLES.iterdir()}
    assert names >= {*ALL, "README.md"}


@pytest.mark.parametrize("name", ALL)
def test_clean_samples_parse_without_warnings(name):
    doc = sample(name)
    assert doc.warnings == []
    assert doc.quality.confidence >= 0.9


# -- Công văn 412/UBND-NV (PDF-extracted text, header columns one after the other) -----------


def test_cong_van_sample_header_from_pdf_extracted_columns():
    assert header(sample(CONG_VAN)) == {
        "type": "Công văn",
        "number": "412/UBND-NV",
        "symbol": "UBND-NV",
        "issuer": AN_PHU,
        "parent_issuer": None,
        "place": "An Phú",
        "date": "2026-03-14",
    }


def test_cong_van_sample_has_vv_subject_and_three_recipients():
    doc = sample(CONG_VAN)
    assert doc.subject == (
        "V/v tăng cường thực hiện nhiệm vụ cải cách hành chính và nâng cao Chỉ số CCHC năm 2026"
    )
    assert doc.recipients == [
        "Phòng Nội vụ",
        "Văn phòng HĐND và UBND thị xã",
        "UBND các phường, xã",
    ]


def test_cong_van_sample_is_signed_by_vice_chair_on_behalf_of_chair():
    assert signer(sample(CONG_VAN)) == ("Trần Thị Thu Hà", "PHÓ CHỦ TỊCH", "KT. CHỦ TỊCH")


def test_cong_van_sample_distribution_ends_with_archive_line():
    assert sample(CONG_VAN).distribution == [
        "Như trên",
        "Sở Nội vụ tỉnh Bình Long (b/c)",
        "TT. Thị ủy, TT. HĐND thị xã (b/c)",
        "CT, các PCT UBND thị xã",
        "LĐVP, CV NC",
        "Lưu: VT, NV",
    ]


def test_cong_van_sample_body_has_three_numbered_points():
    sections = sample(CONG_VAN).sections
    assert [s.number for s in sections] == ["1", "2", "3"]
    assert sections[0].heading == "Phòng Nội vụ"
    assert "trước ngày 31/3/2026" in sections[0].text
    assert "hằng quý" in sections[2].text


def test_cong_van_sample_cites_one_provincial_decision_as_its_basis():
    doc = sample(CONG_VAN)
    assert len(doc.bases) == 1
    assert first_reference(doc, 0) == ("Quyết định", "215/QĐ-UBND", "2026-02-20")


# -- Kế hoạch 18/KH-UBND (crawled Markdown) ---------------------------------------------------


def test_ke_hoach_sample_header_from_markdown_table():
    assert header(sample(KE_HOACH)) == {
        "type": "Kế hoạch",
        "number": "18/KH-UBND",
        "symbol": "KH-UBND",
        "issuer": AN_PHU,
        "parent_issuer": None,
        "place": "An Phú",
        "date": "2026-01-08",
    }


def test_ke_hoach_sample_subject_joins_the_capitalised_title_lines():
    doc = sample(KE_HOACH)
    assert doc.subject == "CẢI CÁCH HÀNH CHÍNH NHÀ NƯỚC NĂM 2026 TRÊN ĐỊA BÀN THỊ XÃ AN PHÚ"
    assert doc.recipients == []


def test_ke_hoach_sample_is_signed_by_chair_for_the_committee():
    assert signer(sample(KE_HOACH)) == ("Nguyễn Văn Bình", "CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN")


def test_ke_hoach_sample_distribution_has_nine_units():
    distribution = sample(KE_HOACH).distribution
    assert len(distribution) == 9
    assert distribution[0] == "Sở Nội vụ tỉnh Bình Long"
    assert distribution[-1] == "Lưu: VT, NV"


def test_ke_hoach_sample_has_three_roman_sections():
    sections = sample(KE_HOACH).sections
    assert [(s.number, s.heading) for s in sections] == [
        ("I", "MỤC ĐÍCH, YÊU CẦU"),
        ("II", "NHIỆM VỤ"),
        ("III", "TỔ CHỨC THỰC HIỆN"),
    ]
    assert "trước ngày 15 của tháng cuối quý" in sections[2].text


def test_ke_hoach_sample_italic_bases_cite_government_resolution_first():
    doc = sample(KE_HOACH)
    assert len(doc.bases) == 3
    assert first_reference(doc, 0) == ("Nghị quyết", "76/NQ-CP", "2021-07-15")
    assert doc.bases[0].references[0].issuer == "Chính phủ"
    assert first_reference(doc, 1) == ("Quyết định", "2870/QĐ-UBND", "2025-12-26")
    assert first_reference(doc, 2) == ("Kế hoạch", "145/KH-UBND", "2021-10-15")
    assert doc.bases[2].references[0].issuer == "UBND thị xã An Phú"


# -- Quyết định 95/QĐ-UBND ----------------------------------------------------------------------


def test_quyet_dinh_sample_header():
    assert header(sample(QUYET_DINH)) == {
        "type": "Quyết định",
        "number": "95/QĐ-UBND",
        "symbol": "QĐ-UBND",
        "issuer": AN_PHU,
        "parent_issuer": None,
        "place": "An Phú",
        "date": "2026-03-23",
    }


def test_quyet_dinh_sample_subject_is_the_wrapped_ve_viec_line():
    doc = sample(QUYET_DINH)
    assert doc.subject == "Về việc thành lập Đoàn kiểm tra công tác cải cách hành chính năm 2026"
    assert doc.recipients == []


def test_quyet_dinh_sample_chair_title_printed_on_the_noi_nhan_line():
    assert signer(sample(QUYET_DINH)) == ("Nguyễn Văn Bình", "CHỦ TỊCH", None)


def test_quyet_dinh_sample_distribution_starts_with_nhu_dieu_3():
    distribution = sample(QUYET_DINH).distribution
    assert len(distribution) == 5
    assert distribution[0] == "Như Điều 3"
    assert distribution[-1] == "Lưu: VT, NV"


def test_quyet_dinh_sample_sections_are_its_three_articles():
    sections = sample(QUYET_DINH).sections
    assert [s.number for s in sections] == ["Điều 1", "Điều 2", "Điều 3"]
    assert "Trần Thị Thu Hà" in sections[0].text


def test_quyet_dinh_sample_has_three_bases_starting_with_the_local_government_law():
    doc = sample(QUYET_DINH)
    assert len(doc.bases) == 3
    assert first_reference(doc, 0) == ("Luật", "77/2015/QH13", "2015-06-19")
    assert first_reference(doc, 2) == ("Kế hoạch", "18/KH-UBND", "2026-01-08")


# -- Báo cáo 76/BC-UBND (pdftotext -layout: columns side by side) -------------------------------


def test_bao_cao_sample_header_with_columns_on_one_line():
    assert header(sample(BAO_CAO)) == {
        "type": "Báo cáo",
        "number": "76/BC-UBND",
        "symbol": "BC-UBND",
        "issuer": AN_PHU,
        "parent_issuer": None,
        "place": "An Phú",
        "date": "2026-03-13",
    }


def test_bao_cao_sample_subject_and_single_recipient_on_one_line():
    doc = sample(BAO_CAO)
    assert doc.subject == "Kết quả thực hiện công tác cải cách hành chính quý I năm 2026"
    assert doc.recipients == ["Sở Nội vụ tỉnh Bình Long"]


def test_bao_cao_sample_signer_block_beside_the_distribution_list():
    doc = sample(BAO_CAO)
    assert signer(doc) == (
        "Trần Thị Thu Hà",
        "PHÓ CHỦ TỊCH",
        "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH",
    )


def test_bao_cao_sample_distribution_items_exclude_the_signer_column():
    assert sample(BAO_CAO).distribution == [
        "Như trên",
        "TT. Thị ủy, TT. HĐND thị xã (b/c)",
        "CT, các PCT UBND thị xã",
        "Phòng Nội vụ",
        "Lưu: VT, NV",
    ]


def test_bao_cao_sample_has_three_roman_sections():
    sections = sample(BAO_CAO).sections
    assert [s.number for s in sections] == ["I", "II", "III"]
    assert sections[1].heading == "TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN"


def test_bao_cao_sample_has_no_can_cu_but_cites_the_department_request_first():
    doc = sample(BAO_CAO)
    assert doc.bases == []
    assert first_reference(doc) == ("Công văn", "128/SNV-CCHC", "2026-02-25")


# -- Thông báo 33/TB-SNV (Sở Nội vụ, parent body above) -------------------------------------------


def test_thong_bao_sample_header_with_parent_issuer():
    assert header(sample(THONG_BAO)) == {
        "type": "Thông báo",
        "number": "33/TB-SNV",
        "symbol": "TB-SNV",
        "issuer": "SỞ NỘI VỤ",
        "parent_issuer": "UBND TỈNH BÌNH LONG",
        "place": "Bình Long",
        "date": "2026-03-27",
    }


def test_thong_bao_sample_subject_joins_two_title_lines_and_has_no_recipients():
    doc = sample(THONG_BAO)
    assert doc.subject == (
        "Kết luận của Giám đốc Sở Nội vụ tại cuộc họp làm việc với UBND thị xã An Phú"
        " về công tác cải cách hành chính quý I năm 2026"
    )
    assert doc.recipients == []


def test_thong_bao_sample_is_signed_by_office_chief_for_the_director():
    assert signer(sample(THONG_BAO)) == ("Phạm Quốc Hưng", "CHÁNH VĂN PHÒNG", "TL. GIÁM ĐỐC")


def test_thong_bao_sample_distribution_ends_with_archive_line():
    distribution = sample(THONG_BAO).distribution
    assert len(distribution) == 6
    assert distribution[0] == "UBND tỉnh (b/c)"
    assert distribution[-1] == "Lưu: VT, CCHC"


def test_thong_bao_sample_has_three_roman_sections():
    sections = sample(THONG_BAO).sections
    assert [(s.number, s.heading) for s in sections] == [
        ("I", "ĐÁNH GIÁ CHUNG"),
        ("II", "ĐỐI VỚI UBND THỊ XÃ AN PHÚ"),
        ("III", "ĐỐI VỚI CÁC PHÒNG, ĐƠN VỊ THUỘC SỞ"),
    ]


def test_thong_bao_sample_cites_the_town_report_first():
    doc = sample(THONG_BAO)
    assert doc.bases == []
    assert first_reference(doc) == ("Báo cáo", "76/BC-UBND", "2026-03-13")
