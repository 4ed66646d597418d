"""Repair of text without marks: diacritic restoration and garbled OCR (seeds 000, 003, 004)."""

import pytest
from click.testing import CliRunner

from cchc.cli import main
from cchc.repair import needs_repair, repair
from cchc.repair.diacritics import restore_diacritics
from cchc.repair.ocr_errors import repair_garbled
from tests.test_parse_seeds import seed


def test_restores_marks_of_administrative_text():
    assert restore_diacritics("cai cach hanh chinh") == "cải cách hành chính"
    assert restore_diacritics("Uy ban nhan dan tinh") == "Ủy ban nhân dân tỉnh"


def test_restoration_keeps_case_numbers_punctuation_and_marked_words():
    text = "UY BAN NHAN DAN; ngày 15/3/2026, Phòng Nội vụ bao cao."
    assert restore_diacritics(text) == "ỦY BAN NHÂN DÂN; ngày 15/3/2026, Phòng Nội vụ báo cáo."


def test_list_item_after_d_is_dd():
    text = "a) mot;\nb) hai;\nc) ba;\nd) bon;\nd) nam;\ne) sau."
    assert restore_diacritics(text).splitlines()[4].startswith("đ) ")


def test_numbers_are_context():
    assert restore_diacritics("tong so 120 ha") == "tổng số 120 ha"


def test_unknown_words_pass_through():
    assert restore_diacritics("Microsoft Xyzq") == "Microsoft Xyzq"


def test_garbled_ocr_digits_and_wrong_marks_are_repaired():
    garbled = "Kinh gui: Phong Noi vu thi x4 va UBND cac x3, phuong béo c4o ket qua"
    assert repair_garbled(garbled) == (
        "Kính gửi: Phòng Nội vụ thị xã và UBND các xã, phường báo cáo kết quả"
    )


def test_typed_text_is_not_touched():
    typed = "Kính gửi: Phòng Nội vụ thị xã. " * 10
    assert not needs_repair(typed)
    assert repair(typed) == typed


@pytest.mark.parametrize(
    ("prefix", "doc_type", "number", "date", "subject"),
    [
        (
            "000",
            "Công văn",
            "595/UBND-NC",
            "2021-05-18",
            "V/v thực hiện cam kết thực hiện nhiệm vụ CCHC và nâng cao Chỉ số cải cách hành "
            "chính (PAR INDEX) năm 2021.",
        ),
        ("003", "Báo cáo", "64/BC-UBND", "2023-03-21", "V/v tổ chức Hội nghị công bố Chỉ số CCHC"),
        ("004", "Công văn", None, None, "V/v triển khai kế hoạch cải cách hành chính năm 2021"),
    ],
)
def test_garbled_seeds_parse_after_repair(seeds_dir, prefix, doc_type, number, date, subject):
    doc = seed(seeds_dir, prefix)
    assert doc.quality.source == "repaired"
    assert (doc.type, doc.number, doc.date) == (doc_type, number, date)
    assert doc.subject.startswith(subject)


def test_seed_000_recipients_read_after_repair(seeds_dir):
    doc = seed(seeds_dir, "000")
    assert doc.recipients[2] == "UBND các xã, phường"
    assert doc.issuer == "ỦY BAN NHÂN DÂN THỊ XÃ PHƯỚC LONG"


def test_repair_command_shows_a_diff(tmp_path):
    path = tmp_path / "garbled.txt"
    path.write_text("Kinh gui: Phong Noi vu thi x4.\n" * 12, encoding="utf-8")
    result = CliRunner().invoke(main, ["repair", str(path), "--diff"])
    assert result.exit_code == 0
    assert "+Kính gửi: Phòng Nội vụ thị xã." in result.output
    assert "-Kinh gui: Phong Noi vu thi x4." in result.output


def test_eng_ocrs_apostrophe_for_the_horn_is_read_as_one_word():
    body = "Can cu Luat to chuc chinh quyen dia phuong ngay 19 thang 6 nam 2015\n" * 5
    text = repair_garbled(body + "KT. TRUONG BAN\nPHO TRU'ONG BAN\nNguyen Van An\n")
    assert "\nPHÓ TRƯỞNG BAN\n" in text


def test_the_name_under_a_signers_title_is_read_from_the_lexicon_wherever_it_stands():
    body = "Can cu Luat to chuc chinh quyen dia phuong ngay 19 thang 6 nam 2015\n" * 4
    after = "Mau so 01\nCac don vi thuc hien bao cao theo mau dinh kem nay\n" * 8
    text = repair_garbled(body + "PHO TRUONG BAN\nNg6é Bong Hai .\n" + after)
    assert "\nNgô Đông Hải" in text


def test_vietnamese_ocr_keeps_the_marks_of_words_it_read_surely():
    """The n-grams of administrative prose would change a sure `thánh` into the commoner
    `thanh`: with OCR's word confidences known, a word read surely changes only where the
    n-grams are overwhelming (`thành phó` → `thành phố`)."""
    text = "thành phó Đà Nẵng bảo đảm an nỉnh trật tự; hệ phái Tin lành “Hội thánh Đức Chúa Trời”"
    blind = repair(text, ocr=True)  # no confidences: every word may be wrong
    assert "thành phố" in blind and "an ninh" in blind and "Hội thanh" in blind
    for unsure in (["phó", "nỉnh"], []):
        gated = repair(text, ocr=True, unsure=unsure)
        assert "thành phố" in gated and "an ninh" in gated and "Hội thánh" in gated
