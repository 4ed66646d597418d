"""Property tests (hypothesis) on the parser and the decoders: any text, any bytes, never a crash,
never a hang. CI runs a few hundred examples; `bench/fuzz.py` runs the same checks for as long
as asked.

The checks are plain functions so that the long run calls exactly what CI calls."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc import errors, legacy
from cchc.document import Document
from cchc.parse import parse_text
from cchc.parse.markup import to_lines
from cchc.readers import decode_text
from cchc.text import fold, nfc

# One example may take this long; the whole-document budget (PARSE_BUDGET_S) is for megabytes,
# these texts are a few kilobytes.
EXAMPLE_SECONDS = 2.0

# Pieces of real documents, so that random texts reach the header, list, task and reference
# code, not only the "nothing found" paths.
FRAGMENTS = [
    "ỦY BAN NHÂN DÂN\n",
    "THỊ XÃ AN PHÚ\n",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n",
    "Độc lập - Tự do - Hạnh phúc\n",
    "Số: 412/UBND-NV\n",
    "Số:    /QĐ-UBND",
    "S6: 595 /UBND-NC",
    "An Phú, ngày 14 tháng 3 năm 2026\n",
    "ngày ... tháng ... năm 2026",
    "ngày 31/13/2026",
    "QUYẾT ĐỊNH\n",
    "KẾ HOẠCH\n",
    "V/v tăng cường kỷ luật\n",
    "Kính gửi:",
    "Căn cứ Luật Tổ chức chính quyền địa phương số 65/2025/QH15;\n",
    "Căn cứ ",
    "Quyết định số 215/QĐ-UBND ngày 20/02/2026 của UBND tỉnh",
    "383-QĐ/TW",
    "Điều 1. ",
    "Chương I\n",
    "I. ",
    "1. ",
    "a) ",
    "(i) ",
    "- ",
    "+ ",
    "• ",
    "Phòng Nội vụ chủ trì, phối hợp với Sở Tài chính ",
    "Giao Sở Nội vụ ",
    "Đề nghị UBND các phường, xã ",
    "có trách nhiệm:",
    "báo cáo trước ngày 31/3/2026",
    "trong quý I/2026",
    "hằng quý",
    "Báo cáo Quý 1/2021: chốt số liệu từ ngày 15/12/2020 đến ngày 14/3/2021",
    "Nhiệm vụ:",
    "Cơ quan chủ trì:",
    "Nơi nhận:\n",
    "- Như trên;\n",
    "- Lưu: VT, NV.\n",
    "KT. CHỦ TỊCH\n",
    "PHÓ CHỦ TỊCH\n",
    "Trần Thị Thu Hà\n",
    "./.",
    "“",
    "”",
    "|",
    "**",
    "*",
    "\\",
    "-----",
    "____",
    "\n",
    "\n\n",
    "    ",
    "\t",
    "\r\n",
    "\u00a0",
    "\u200b",
    "\ufeff",
    "\u202e",
    "Co^.ng ho`a xa~ ho^.i",
    "Céng hßa x· héi chñ nghÜa",
    "Coäng hoøa xaõ hoäi",
    "Kinh gui",
]

document_like = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=20)), max_size=80
).map("".join)
any_text = st.text(max_size=2000)
# A few pieces repeated thousands of times: where a regex backtracks or a loop rescans, time
# grows with the square of the length.
LONG_CHARS = 20_000
long_repeats = st.tuples(
    st.lists(
        st.tuples(
            st.one_of(
                st.sampled_from(list(" \t\n.-/:|*_(a1Đ")),  # what the regexes' classes hold
                st.sampled_from(FRAGMENTS),
                st.text(min_size=1, max_size=3),
            ),
            st.one_of(st.sampled_from([LONG_CHARS]), st.integers(1, LONG_CHARS)),
        ),
        min_size=1,
        max_size=3,
    ),
    st.text(max_size=5),  # what follows a run: a blank run at the end of a line is cut off
).map(
    lambda t: "".join(p * max(1, min(n, LONG_CHARS // len(p) // len(t[0]))) for p, n in t[0]) + t[1]
)
# 20,000 characters parse in ~0.1 s at linear cost; a quadratic step takes seconds (20,000
# spaces took 10 s before the column-gap fix in header.py).
LONG_SECONDS = 2.0
any_bytes = st.binary(max_size=2000)
legacy_bytes = st.lists(
    st.one_of(
        st.sampled_from(
            [f.encode("utf-8") for f in FRAGMENTS]
            + [f.encode("latin-1", "replace") for f in FRAGMENTS]
            + [b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"\x00", b"\x80", b"\xc3"]
        ),
        st.binary(max_size=10),
    ),
    max_size=60,
).map(b"".join)


def check_parse_text(text: str) -> None:
    started = time.perf_counter()
    doc = parse_text(text, file="fuzz.txt")
    assert isinstance(doc, Document)
    doc.to_dict()  # serialisable as the JSON of the spec
    assert time.perf_counter() - started < EXAMPLE_SECONDS * 5  # a hang, not a slow machine


def check_parse_long(text: str) -> None:
    started = time.perf_counter()
    parse_text(text, file="fuzz.txt")
    took = time.perf_counter() - started
    assert took < LONG_SECONDS, f"{took:.1f} s for {len(text)} characters"


def check_to_lines(text: str) -> None:
    lines = to_lines(text)
    assert all("\n" not in line for line in lines)


def check_fold(text: str) -> None:
    """`fold` keeps one character per character: the parser's offsets depend on it."""
    text = nfc(text)
    assert len(fold(text)) == len(text)


def check_decode_text(data: bytes) -> None:
    try:
        text, encoding, warnings = decode_text(data, "fuzz.txt")
    except (errors.UnsupportedFile, errors.BadEncoding) as exc:
        assert "fuzz.txt" in str(exc)
        return
    assert isinstance(text, str) and encoding and isinstance(warnings, list)


def check_legacy(text: str) -> None:
    found = legacy.detect(text)
    assert found in (None, "tcvn3", "vni", "viqr")
    fixed, encoding = legacy.fix_legacy(text)
    assert isinstance(fixed, str) and encoding == found
    for name in ("tcvn3", "vni", "viqr"):
        assert isinstance(legacy.to_unicode(text, name), str)


CHECKS = {
    "parse_text (document-like)": (check_parse_text, document_like),
    "parse_text (any text)": (check_parse_text, any_text),
    "parse_text (long repeats)": (check_parse_long, long_repeats),
    "to_lines": (check_to_lines, document_like),
    "fold": (check_fold, any_text),
    "decode_text (any bytes)": (check_decode_text, any_bytes),
    "decode_text (legacy-like bytes)": (check_decode_text, legacy_bytes),
    "legacy (document-like)": (check_legacy, document_like),
    "legacy (any text)": (check_legacy, any_text),
}

CI = settings(
    max_examples=150,
    deadline=EXAMPLE_SECONDS * 1000,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,  # the same examples on every run: CI failures reproduce
)


@CI
@given(document_like)
def test_parse_text_never_fails_on_document_like_text(text):
    check_parse_text(text)


@CI
@given(any_text)
def test_parse_text_never_fails_on_any_text(text):
    check_parse_text(text)


@settings(CI, max_examples=25, deadline=None)
@given(long_repeats)
def test_parse_text_of_long_repeated_pieces_stays_linear(text):
    check_parse_long(text)


@CI
@given(document_like)
def test_to_lines_gives_lines(text):
    check_to_lines(text)


@CI
@given(any_text)
def test_fold_keeps_one_character_per_character(text):
    check_fold(text)


@CI
@given(any_bytes)
def test_decode_text_decodes_or_names_the_file(data):
    check_decode_text(data)


@CI
@given(legacy_bytes)
def test_decode_text_of_legacy_like_bytes_decodes_or_names_the_file(data):
    check_decode_text(data)


@CI
@given(st.one_of(document_like, any_text))
def test_legacy_detection_and_conversion_never_fail(text):
    check_legacy(text)
