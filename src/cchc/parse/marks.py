"""The marks a văn thư reads first above the header: độ khẩn (KHẨN, THƯỢNG KHẨN, HỎA TỐC) and
độ mật (MẬT, TỐI MẬT, TUYỆT MẬT), stamped as a line of their own near the top (Nghị định
30/2020, Phụ lục I). Read on folded text, so "HOA TOC" from bad OCR counts as well."""

from __future__ import annotations

import re

from cchc.text import fold

# Only the top of the document: the same words inside the body ("thực hiện khẩn trương") are not
# marks. Longest first, so "thuong khan" is not read as "khan".
_TOP_LINES = 12
_URGENCY = (("hoa toc", "hoa-toc"), ("thuong khan", "thuong-khan"), ("khan", "khan"))
_SECRECY = (("tuyet mat", "tuyet-mat"), ("toi mat", "toi-mat"), ("mat", "mat"))


def _mark(text: str, marks: tuple[tuple[str, str], ...]) -> str:
    for line in text.splitlines()[:_TOP_LINES]:
        folded = re.sub(r"[^a-z ]+", " ", fold(line)).split()
        words = " ".join(folded)
        for word, code in marks:
            if words == word:
                return code
    return ""


def urgency(text: str) -> str:
    """ "hoa-toc", "thuong-khan", "khan", or "" when the document bears no mark."""
    return _mark(text, _URGENCY)


def secrecy(text: str) -> str:
    """ "tuyet-mat", "toi-mat", "mat", or "" when the document bears no mark."""
    return _mark(text, _SECRECY)
