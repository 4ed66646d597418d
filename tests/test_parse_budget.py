"""The parser never hangs: pathological text returns within PARSE_BUDGET_S, with a warning for
each limit it reached; past the budget, the stages not started are skipped and said so."""

from __future__ import annotations

import time

import pytest

import cchc
from cchc.budget import Budget
from cchc.extract.tasks import extract_tasks
from cchc.parse import (
    MAX_LINE_CHARS,
    MAX_PARSE_CHARS,
    MAX_PARSE_LINES,
    MAX_TASK_LINES,
    PARSE_BUDGET_S,
    parse_text,
)
from cchc.parse.parts import find_bases
from cchc.parse.references import find_references
from cchc.text import fold
from tests.documents import EXPECTED, plain_text


def _bases(count: int) -> str:
    return "".join(
        f"Căn cứ Nghị định số {i}/2020/NĐ-CP ngày 1/1/2020 của Chính phủ;\n" for i in range(count)
    )


class SpentAfter(Budget):
    """A budget that runs out after `checks` questions, wherever the clock stands."""

    def __init__(self, checks: int):
        super().__init__(PARSE_BUDGET_S)
        self.left = checks

    def spent(self) -> bool:
        self.left -= 1
        return self.left < 0


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


def test_each_basis_cites_the_numbers_it_names_and_no_longer_one():
    """Bases are matched to references by their numbers: `Nghị định số 11/2020/NĐ-CP` does not
    cite `1/2020/NĐ-CP`, and 8,000 bases are read whole within the budget (each clause was
    tested against every reference: 6.6 s)."""
    doc = parse_text(_bases(8000))
    assert len(doc.bases) > 7990 and not any("phân tích quá" in w for w in doc.warnings)
    for basis in doc.bases:
        named = basis.text.split("số ")[1].split()[0]
        assert [r.number for r in basis.references] == [named]


def test_references_stop_where_the_budget_runs_out():
    text = _bases(50)
    assert len(find_references(text)) == 50
    assert len(find_references(text, budget=SpentAfter(10))) == 10


def test_bases_stop_where_the_budget_runs_out():
    lines = _bases(50).split("\n")
    folded = [fold(line) for line in lines]
    assert len(find_bases(lines, folded, 0, len(lines))) == 50
    assert len(find_bases(lines, folded, 0, len(lines), SpentAfter(10))) < 50


def test_tasks_stop_where_the_budget_runs_out():
    body = "".join(f"{i}. Phòng Nội vụ báo cáo việc {i} trước ngày 31/3/2026.\n" for i in range(50))
    lines = body.count("\n")
    assert len(extract_tasks(body, 0, lines)[0]) == 50
    assert len(extract_tasks(body, 0, lines, budget=SpentAfter(10))[0]) == 10
