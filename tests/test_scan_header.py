"""The header of scanned and OCR'd pages: the number line, a subject over several lines, a
garbled type title, and numbers that do not look like their issuer's notation. Short OCR-like
texts written for these tests (no corpus document)."""

from cchc.document import Document, Quality
from cchc.ocr import mark_uncertain, put_number
from cchc.parse import parse_text
from cchc.parse.header import _near_title
from cchc.repair.notation import initials, notation_doubt

HEAD = (
    "ỦY BAN NHÂN DÂN\nTỈNH AN HÀ\n{number}\n{subject}\n\n"
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    "An Hà, ngày 02 tháng 03 năm 2024\n"
    "Kính gửi: Các sở, ban, ngành tỉnh.\n\n"
    "Đề nghị các cơ quan, đơn vị thực hiện./.\n"
)


def _doc(number: str, subject: str = "V/v rà soát thủ tục hành chính"):
    return parse_text(HEAD.format(number=number, subject=subject), tasks=False)


# -- the number line -----------------------------------------------------------------------


def test_a_doubled_slash_in_the_number_is_a_speck_not_a_symbol():
    assert _doc("Số: 991 //UBND-VP").number == "991/UBND-VP"


def test_a_blank_number_over_the_subject_is_no_number_and_not_the_v_v():
    doc = _doc("Số:\nV/v đôn đốc hoàn thành các nhiệm vụ được giao")
    assert doc.number is None
    assert doc.subject.startswith("V/v đôn đốc")


def test_a_number_without_digits_is_not_read_as_one():
    assert _doc("Số: Thông/báo").number is None


def test_a_reread_number_replaces_the_marks_up_to_the_symbols_slash():
    text, found = put_number("UBND\nSố: Z/¿22/SNV-VP\nV/v abc", "3020")
    assert found and "Số: 3020 /SNV-VP\nV/v abc" in text


def test_a_reread_number_never_goes_into_the_line_below():
    text, found = put_number("UBND\nSố:\nV/v abc", "1894")
    assert not found and text == "UBND\nSố:\nV/v abc"


# -- the subject ---------------------------------------------------------------------------


def test_a_v_v_subject_runs_on_over_a_date_inside_it():
    doc = _doc(
        "Số: 74/UBND-VP",
        "V/v thực hiện Thông báo số 496-TB/TU\nngày 17/8/2023 về Kết luận của Thường\n"
        "trực Thành ủy tại Hội nghị tổng kết",
    )
    assert doc.subject == (
        "V/v thực hiện Thông báo số 496-TB/TU ngày 17/8/2023 về Kết luận của Thường "
        "trực Thành ủy tại Hội nghị tổng kết"
    )


def test_a_v_v_subject_runs_on_over_a_line_that_starts_with_a_name():
    doc = _doc("Số: 14/UBND-VP", "V/v thông báo hoạt động của tà đạo\nHội thánh Đức Chúa trời")
    assert doc.subject == "V/v thông báo hoạt động của tà đạo Hội thánh Đức Chúa trời"


def test_a_v_v_subject_stops_at_the_date_line():
    doc = _doc("Số: 14/UBND-VP", "V/v rà soát thủ tục\nAn Hà, ngày 02 tháng 03 năm 2024")
    assert doc.subject == "V/v rà soát thủ tục"


# -- the type title ------------------------------------------------------------------------


def test_a_garbled_type_title_is_the_nearest_type_of_the_closed_list():
    assert _near_title("quyet binh") == "quyet dinh"
    assert _near_title("ke hoacii") == "ke hoach"
    assert _near_title("thong bau") == "thong bao"


def test_a_signers_title_or_a_heading_is_no_type():
    assert _near_title("chu nich") is None  # CHỦ TỊCH misread, not CHỈ THỊ
    assert _near_title("chuong i") is None
    assert _near_title("ket qua") is None


def test_a_document_with_a_garbled_title_gets_its_type():
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH AN HÀ\nSố: 12/UBND\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "An Hà, ngày 02 tháng 03 năm 2024\n\nKE HOACII\nTriển khai công tác cải cách hành chính\n"
        "\nI. MỤC ĐÍCH\n1. Thực hiện tốt công tác./.\n"
    )
    assert parse_text(text, tasks=False).type == "Kế hoạch"


# -- notation ------------------------------------------------------------------------------


def test_initials_of_an_issuer_are_its_notation():
    assert "SGDĐT" in initials("SỞ GIÁO DỤC VÀ ĐÀO TẠO")
    assert "UBND" in initials("ỦY BAN NHÂN DÂN\nTỈNH AN HÀ")


def test_a_number_in_its_issuers_notation_is_not_doubted():
    assert notation_doubt("595/UBND-NC", "Số: 595/UBND-NC\n", "ỦY BAN NHÂN DÂN") is None
    assert notation_doubt("12/SNV-XYZ", "", "SỞ NỘI VỤ") is None


def test_a_number_cut_short_by_a_speck_is_doubted():
    assert "cắt" in notation_doubt("1415/CV-PA", "Số: 1415/CV-PA§3\n", "PHÒNG AN NINH")


def test_a_symbol_in_small_letters_or_unknown_is_doubted():
    assert notation_doubt("1894/v", "", "ỦY BAN NHÂN DÂN")
    assert notation_doubt("77/XQZW-KPQ", "", "SỞ NỘI VỤ")


def _scanned(number, text):
    doc = Document(file="x.pdf", number=number, issuer="SỞ NỘI VỤ", text=text)
    doc.quality = Quality(source="ocr", confidence=0.9, reader="ocr")
    return doc


def test_a_blank_number_on_a_scan_is_uncertain():
    doc = _scanned(None, "SỞ NỘI VỤ\nSố: /SNV-VP\nV/v abc\n")
    mark_uncertain(doc, ["ï"])
    assert "number" in doc.quality.uncertain


def test_a_number_off_its_issuers_notation_on_a_scan_is_uncertain():
    doc = _scanned("1894/v", "SỞ NỘI VỤ\nSố: 1894/v đôn đốc\n")
    mark_uncertain(doc, ["ï"])
    assert "number" in doc.quality.uncertain


def test_a_number_in_notation_read_surely_stays_sure():
    doc = _scanned("1894/SNV-VP", "SỞ NỘI VỤ\nSố: 1894/SNV-VP\n")
    mark_uncertain(doc, ["ï"])
    assert "number" not in doc.quality.uncertain


def test_a_signers_title_without_a_name_on_a_scan_is_an_uncertain_signer():
    doc = _scanned("12/SNV-VP", "Số: 12/SNV-VP\nNơi nhận:\n- Như trên;\n\nGIÁM ĐỐC\n")
    mark_uncertain(doc, ["ï"])
    assert "signer" in doc.quality.uncertain


def test_a_scan_without_a_signers_block_has_no_uncertain_signer():
    doc = _scanned("12/SNV-VP", "Số: 12/SNV-VP\nĐề nghị các đơn vị thực hiện./.\n")
    mark_uncertain(doc, ["ï"])
    assert "signer" not in doc.quality.uncertain


def test_a_v_v_read_as_v_slash_still_opens_the_subject():
    doc = _doc("Số: 14/UBND-VP", "V/ triển khai thực hiện cải cách hành chính\nnăm 2020")
    assert doc.subject == "V/v triển khai thực hiện cải cách hành chính năm 2020"


def test_a_symbol_line_that_lost_its_so_on_a_scan_is_an_uncertain_number():
    doc = _scanned(None, "SỞ NỘI VỤ\n22 /SNV-VP\nV/v abc\n")
    mark_uncertain(doc, ["ï"])
    assert "number" in doc.quality.uncertain
