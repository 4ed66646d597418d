"""Click's own words are Vietnamese: help, usage and errors of the `cchc` command; and the README's
Python example runs on a document without a signature block."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

import cchc
from cchc.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str):
    return CliRunner().invoke(main, list(args), prog_name="cchc")


def test_help_is_vietnamese():
    output = run("--help").output
    assert "Cách dùng: cchc [TÙY_CHỌN] LỆNH [ĐỐI_SỐ]..." in output
    assert "Tùy chọn:" in output and "Lệnh:" in output
    assert "Hiện hướng dẫn này rồi thoát." in output
    for english in ("Usage:", "Options:", "Commands:", "Show this message and exit."):
        assert english not in output


def test_a_missing_argument_is_reported_in_vietnamese():
    answer = run("parse")
    assert answer.exit_code == 2
    assert "Lỗi: Thiếu đối số 'FILES...'." in answer.output
    assert "Gõ 'cchc parse --help' để xem hướng dẫn." in answer.output
    assert "Cách dùng: cchc parse [TÙY_CHỌN] FILES..." in answer.output


def test_a_bad_value_and_an_unknown_command_are_reported_in_vietnamese():
    assert "'abc' không phải là một số hợp lệ." in run("calendar", "abc").output
    wrong_choice = run("calendar", "2026", "--frequency", "x").output
    assert "Lỗi: Giá trị không hợp lệ cho '--frequency'" in wrong_choice
    assert "Lỗi: Không có lệnh 'pars'." in run("pars").output


def test_the_readme_python_example_runs_on_a_document_without_a_signer(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```python\n(.*?)```", readme, re.S)[1]
    unsigned = tmp_path / "595-UBND-NC.docx"
    from docx import Document as Docx

    page = Docx()
    page.add_paragraph("ỦY BAN NHÂN DÂN THỊ XÃ AN PHÚ")
    page.add_paragraph("Số: 595/UBND-NC")
    page.add_paragraph("V/v báo cáo kết quả cải cách hành chính")
    page.save(unsigned)
    assert cchc.parse_file(unsigned).signer is None
    import os

    os.chdir(tmp_path)
    exec(compile(example, "README.md", "exec"), {"__name__": "readme"}, {})
