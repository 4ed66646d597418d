"""A framework imported from the Quyết định itself: the appendix table of a .docx read with
cchc's readers into the framework model, checked, with errors naming the table row."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.par.framework import FrameworkError, load_decision
from cchc.web.par.models import Framework
from tests.par_decision import ROWS, write_decision


def test_the_appendix_table_becomes_a_framework_with_rules_methods_and_evidence(tmp_path):
    data = load_decision(write_decision(tmp_path / "qd-99.docx"))
    assert data.level == "xa" and data.year == 2026 and data.total() == 10
    assert "CHỈ SỐ CẢI CÁCH HÀNH CHÍNH" in data.name.upper()
    assert data.source == "Quyết định số 99/QĐ-UBND"
    leaves = {c.code: c for c in data.leaves()}
    assert list(leaves) == ["I.1.1", "I.1.2", "I.2.1", "I.2.2", "II.1.1", "II.1.2"]
    plan = leaves["I.1.1"]
    assert plan.scoring == "options"
    assert [(i.label, i.points) for i in plan.rule] == [
        ("Ban hành đúng hạn", 1), ("Ban hành chậm", Decimal("0.5")), ("Không ban hành", 0),
    ]  # fmt: skip
    assert plan.evidence == "Kế hoạch CCHC năm của UBND xã"
    assert leaves["I.1.2"].scoring == "bands" and leaves["I.2.1"].scoring == "options"
    assert leaves["II.1.1"].method == "survey" and leaves["I.1.1"].method == "appraisal"


def test_a_decision_whose_points_do_not_add_up_is_refused_naming_the_table_row(tmp_path):
    rows = list(ROWS)
    rows[6] = ("1.2", "Tỷ lệ nhiệm vụ đúng hạn", "3", "trên 90%: 3; dưới 90%: 0", "")
    rows[4] = ("", "- Ban hành chậm", "1,5", "", "")
    with pytest.raises(FrameworkError) as caught:
        load_decision(write_decision(tmp_path / "sai.docx", rows))
    problems = caught.value.problems
    assert any(
        p.startswith("dòng 3 của bảng (I.1): tổng điểm các tiêu chí con là 4") for p in problems
    )
    assert any("mức “Ban hành chậm” 1,5 điểm vượt điểm tối đa 1" in p for p in problems)
    assert any(p.startswith("dòng 4 của bảng (I.1.1): mức cao nhất 1,5 điểm") for p in problems)


def test_a_document_without_the_table_is_refused(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Quyết định không có phụ lục")
    document.save(str(tmp_path / "khong-bang.docx"))
    with pytest.raises(FrameworkError, match="không thấy bảng tiêu chí"):
        load_decision(tmp_path / "khong-bang.docx")


def test_the_council_imports_the_decision_in_the_app(deployment, login, tmp_path):
    path = write_decision(tmp_path / "qd-99.docx")
    answer = login("lanhdao").post(
        "/chi-so/bo-tieu-chi/nhap/",
        {"file": SimpleUploadedFile("qd-99.docx", path.read_bytes()), "year": "2026"},
    )
    stored = Framework.objects.get()
    assert answer.status_code == 302 and stored.max_total == 10 and stored.level == "xa"
    plan = stored.criteria.get(code="I.1.1")
    assert plan.scoring == "options" and len(plan.rule) == 3
    assert stored.criteria.get(code="II.1.1").method == "survey"
