"""The parser never hangs: pathological text returns within PARSE_BUDGET_S, with a warning for
each limit it reached; past the budget, the stages not started are skipped and said so."""

from __future__ import annotations

import time

import pytest

import cchc
from cchc.parse import (
    MAX_LINE_CHARS,
    MAX_PARSE_CHARS,
    MAX_PARSE_LINES,
    MAX_TASK_LINES,
    PARSE_BUDGET_S,
    parse_text,
)
from tests.documents import EXPECTED, plain_text

PATHOLOGICAL = {
    "one 10 MB line": lambda: "Căn cứ " + "a" * (10 * 1024 * 1024),
    "one 10 MB line of citations": lambda: "Căn cứ Luật số 59/2020/QH14 " * 400_000,
    "1,000,000 Căn cứ lines": lambda: "Căn cứ\n" * 1_000_000,
    "1,000,000 Căn cứ on one line": lambda: "Căn cứ " * 1_000_000,
    "100,000 numbered headings": lambda: "".join(
        f"{i}. Phòng Nội vụ thực hiện việc {i}.\n" for i in range(100_000)
    ),
    "deeply nested bullets": lambda: "".join(
        "  " * (i % 500) + ("-", "+", "a)", "1.1.1.1.", "(i)")[i % 5] + " Sở Nội vụ báo cáo "
        "trước ngày 31/3/2026;\n"
        for i in range(100_000)
    ),
    "20,000 spaces before a word": lambda: " " * 20_000 + "Số: 1/UBND",
    "200,000 distinct citations": lambda: "".join(
        f"Quyết định số {i}/QĐ-UBND ngày 1/1/2020 của UBND tỉnh; " for i in range(200_000)
    ),
    "a header then 1 MB of stars and pipes": lambda: plain_text() + "*|_" * 350_000,
}


@pytest.mark.parametrize("case", list(PATHOLOGICAL))
def test_pathological_text_returns_within_the_budget(case):
    text = PATHOLOGICAL[case]()
    started = time.perf_counter()
    doc = parse_text(text)
    took = time.perf_counter() - started
    assert took < PARSE_BUDGET_S, f"{case}: {took:.1f} s"
    assert not any("phân tích quá" in w for w in doc.warnings)  # the limits did it, not the clock


def test_each_limit_reached_is_a_warning():
    doc = parse_text("x" * (MAX_PARSE_CHARS + 10))
    assert any("ký tự đầu" in w for w in doc.warnings)
    assert any("ngắt thành nhiều dòng" in w for w in doc.warnings)
    assert max(len(line) for line in doc.text.split("\n")) <= MAX_LINE_CHARS
    doc = parse_text("dòng\n" * (MAX_PARSE_LINES + 10))
    assert any("50.000 dòng đầu" in w for w in doc.warnings)


def test_a_long_body_gives_tasks_from_its_first_lines_only():
    body = "".join(f"{i}. Phòng Nội vụ báo cáo việc {i}.\n" for i in range(MAX_TASK_LINES + 50))
    doc = parse_text(body)
    assert any("tìm công việc trong 20.000 dòng đầu" in w for w in doc.warnings)
    assert 0 < len(doc.tasks) <= MAX_TASK_LINES


def test_a_long_line_is_wrapped_at_a_space_and_loses_no_word():
    words = [f"từ{i}" for i in range(5000)]
    doc = parse_text(" ".join(words))
    assert doc.text.split() == words


def test_past_the_budget_the_header_is_kept_and_the_rest_skipped_with_a_warning():
    doc = parse_text(plain_text(), budget_s=0)
    assert (doc.number, doc.issuer) == (EXPECTED["number"], EXPECTED["issuer"])
    assert doc.tasks == [] and doc.references == []
    assert any("phân tích quá 0 giây" in w for w in doc.warnings)


def test_a_real_document_is_read_whole_without_warnings_of_limits():
    doc = parse_text(plain_text())
    assert doc.tasks and not any("quá" in w for w in doc.warnings)


def test_repair_of_a_long_unmarked_text_stops_at_its_limit(tmp_path, monkeypatch):
    """The diacritic repair reads ~20,000 characters a second: past MAX_REPAIR_CHARS the text
    is kept as it is, with a warning, so that a long unmarked file cannot hold a worker."""
    monkeypatch.setattr(cchc, "MAX_REPAIR_CHARS", 3_000)
    line = "Uy ban nhan dan thi xa de nghi cac phong ban bao cao ket qua thuc hien\n"
    path = tmp_path / "mat-dau.txt"
    path.write_text(line * 200, encoding="utf-8")
    doc = cchc.parse_file(path)
    assert any("khôi phục dấu cho 3.000 ký tự đầu" in w for w in doc.warnings)
    assert "Ủy ban nhân dân" in doc.text.split("\n")[0] or "ban nhân dân" in doc.text[:200]
    assert doc.text.rstrip().endswith(line.strip())  # past the limit: as it was
