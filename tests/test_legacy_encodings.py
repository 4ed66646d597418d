"""Pre-Unicode Vietnamese text (TCVN3, VNI, VIQR) and decomposed (macOS) text become NFC Unicode."""

import unicodedata

from cchc import parse_file
from cchc.legacy import detect, fix_legacy
from cchc.readers import read_file

# The same header as typed with each legacy font, written out by hand.
TCVN3 = (
    "Uû ban nh©n d©n\nThÞ x· An Phó\nSè: 412/UBND-NV\n"
    "Céng hßa x· héi chñ nghÜa ViÖt Nam\n§éc lËp - Tù do - H¹nh phóc\n"
    "An Phó, ngµy 14 th¸ng 3 n¨m 2026\nKÝnh göi: Phßng Néi vô.\n"
)
# Headings typed in .VnTimeH, the capitals-only font: accented capitals are stored with the
# lower-case codes (`HßA` is drawn HÒA), plain capitals as A-Z.
TCVN3_HEADINGS = (
    "UBND THÞ X· AN PHó\nSè: 412/KH-UBND\n"
    "CéNG HßA X· HéI CHñ NGHÜA VIÖT NAM\n§éc lËp - Tù do - H¹nh phóc\n"
    "An Phó, ngµy 14 th¸ng 3 n¨m 2026\n\nKÕ HO¹CH\nC¶i c¸ch hµnh chÝnh n¨m 2026\n\n"
    "C¸c phßng, ban triÓn khai thùc hiÖn kÕ ho¹ch nµy.\n\n"
    "N¬i nhËn:\n- Phßng Néi vô;\n- L­u: VT.\nKT. CHñ TÞCH\nPHã CHñ TÞCH\n\nNguyÔn V¨n An\n"
)
VNI = (
    "UÛy ban nhaân daân\nThò xaõ An Phuù\nSoá: 412/UBND-NV\n"
    "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam\nÑoäc laäp - Töï do - Haïnh phuùc\n"
    "An Phuù, ngaøy 14 thaùng 3 naêm 2026\nKính göûi: Phoøng Noäi vuï.\n"
)
VIQR = "Co^.ng ho`a xa~ ho^.i chu+o+ng Vie^.t Nam. DDo^.c la^.p - Tu+. do - Ha.nh phu'c."
UNICODE = "Cộng hòa xã hội chủ nghĩa Việt Nam"


def test_tcvn3_mojibake_is_converted():
    text, found = fix_legacy(TCVN3)
    assert found == "tcvn3"
    assert "Cộng hòa xã hội chủ nghĩa Việt Nam" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "An Phú, ngày 14 tháng 3 năm 2026" in text


def test_tcvn3_headings_typed_in_vntimeh_keep_their_capitals(tmp_path):
    text, found = fix_legacy(TCVN3_HEADINGS)
    assert found == "tcvn3"
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "UBND THỊ XÃ AN PHÚ" in text and "\nKẾ HOẠCH\n" in text
    assert "Số: 412/KH-UBND" in text and "An Phú, ngày 14 tháng 3 năm 2026" in text
    path = tmp_path / "vntimeh.txt"
    path.write_bytes(TCVN3_HEADINGS.encode("latin-1"))
    doc = parse_file(path)
    assert doc.type == "Kế hoạch" and doc.number == "412/KH-UBND"
    assert (doc.signer.authority, doc.signer.title) == ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    assert doc.signer.name == "Nguyễn Văn An"


def test_vni_mojibake_is_converted():
    text, found = fix_legacy(VNI)
    assert found == "vni"
    assert "Cộng hòa xã hội chủ nghĩa Việt Nam" in text
    assert "Kính gửi: Phòng Nội vụ." in text


def test_viqr_is_converted():
    text, found = fix_legacy(VIQR)
    assert found == "viqr"
    assert text.startswith("Cộng hòa xã hội")
    assert "Việt Nam. Độc lập - Tự do - Hạnh phúc." in text


def test_unicode_and_english_are_left_alone():
    assert detect(UNICODE * 20) is None
    assert detect("The quick brown fox jumps over the lazy dog. " * 20) is None


def test_tcvn3_file_in_latin1_bytes_parses(tmp_path):
    path = tmp_path / "tcvn3.txt"
    path.write_bytes(TCVN3.encode("latin-1"))
    doc = parse_file(path)
    assert doc.quality.encoding == "tcvn3"
    assert (doc.number, doc.date, doc.place) == ("412/UBND-NV", "2026-03-14", "An Phú")
    assert any("TCVN3" in w for w in doc.warnings)


def test_vni_text_inside_a_utf8_file_parses(tmp_path):
    path = tmp_path / "vni.txt"
    path.write_text(VNI, encoding="utf-8")
    doc = parse_file(path)
    assert (doc.number, doc.date, doc.recipients) == ("412/UBND-NV", "2026-03-14", ["Phòng Nội vụ"])


def test_decomposed_macos_text_is_recomposed(tmp_path):
    path = tmp_path / "nfd.txt"
    path.write_text(unicodedata.normalize("NFD", UNICODE), encoding="utf-8")
    assert read_file(path).text == UNICODE
