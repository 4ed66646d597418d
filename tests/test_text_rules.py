from cchc.text import canonical, fold, is_upper_line, nfc, same


def test_fold_removes_marks_maps_d_and_lowercases():
    assert fold("Ủy ban nhân dân Đồng Xoài") == "uy ban nhan dan dong xoai"


def test_fold_keeps_one_character_per_character():
    text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM — Độc lập"
    assert len(fold(text)) == len(nfc(text))


def test_fold_accepts_decomposed_input():
    decomposed = "Quye\u0302\u0301t đi\u0323nh"
    assert fold(decomposed) == "quyet dinh"


def test_old_and_new_tone_placement_compare_equal():
    assert same("hoà", "hòa")
    assert same("Uỷ ban", "Ủy ban")
    assert same("thuý", "thúy")
    assert same("khoẻ", "khỏe")


def test_tone_placement_leaves_other_syllables_alone():
    assert canonical("hoàng quý giá thuyết") == "hoàng quý giá thuyết"
    assert not same("hòa", "hóa")


def test_upper_line_detects_header_capitals():
    assert is_upper_line("ỦY BAN NHÂN DÂN")
    assert not is_upper_line("Ủy ban nhân dân")
