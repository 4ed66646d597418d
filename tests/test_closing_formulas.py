"""The closing sentence of a công văn is no duty, whatever units it names between its opening
and its formula; a sentence that opens the same way and asks for something is one."""

from __future__ import annotations

import pytest

from cchc.extract.closing import is_closing_formula


@pytest.mark.parametrize(
    "text",
    [
        "Nhận được công văn này, yêu cầu Thủ trưởng các cơ quan, đơn vị nghiêm túc triển khai, "
        "thực hiện",
        "Nhan duoc cong van nay, yeu cau Thu truong cac co quan, don vi nghiem tuc trien khai, "
        "thuc hien./.",  # garbled OCR, as in seed 004
        "Nhận được Kế hoạch này, đề nghị UBND các xã, phường khẩn trương triển khai thực hiện",
    ],
)
def test_a_closing_sentence_naming_units_is_a_formula(text):
    assert is_closing_formula(text)


@pytest.mark.parametrize(
    "text",
    [
        "Nhận được công văn này, đề nghị Phòng Nội vụ báo cáo kết quả trước ngày 10/4/2026",
        "Nhận được công văn này, đề nghị các đơn vị tổ chức thực hiện việc rà soát thủ tục",
        "Yêu cầu Phòng Nội vụ nghiêm túc thực hiện",  # no closing opening: left to the extractor
    ],
)
def test_a_sentence_that_asks_for_something_is_kept(text):
    assert not is_closing_formula(text)
