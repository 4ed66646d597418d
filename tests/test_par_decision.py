"""A framework imported from the Quyết định itself: the appendix table of a .docx read with
cchc's readers into the framework model, checked, with errors naming the table row."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.par.framework import FrameworkError, load_decision
from cchc.web.par.models import Framework
from tests.par_decision import FULL_AFTER, FULL_HEADER, FULL_ROWS, ROWS, write_decision


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


# ---------------------------------------------------------------- the fuller decision's columns


def _refused(path) -> list[str]:
    with pytest.raises(FrameworkError) as caught:
        load_decision(path)
    return caught.value.problems


def _full(tmp_path, change=None, after=FULL_AFTER):
    rows = list(FULL_ROWS)
    for index, row in (change or {}).items():
        rows[index] = row
    return write_decision(tmp_path / "qd-day-du.docx", rows, FULL_HEADER, after)


def test_bonus_and_penalty_rows_after_the_total_become_the_framework_caps(tmp_path):
    data = load_decision(_full(tmp_path))
    assert (data.bonus_max, data.penalty_max) == (2, 3)
    assert data.total() == 10  # the bonus block is not an area
    assert [a.code for a in data.areas] == ["I", "II"]


def test_a_bonus_item_above_its_cap_is_refused_naming_the_row(tmp_path):
    problems = _refused(_full(tmp_path, {13: ("", "- Sáng kiến", "2,5", "", "", "", "")}))
    assert "dòng 15 của bảng: 2,5 điểm vượt mức tối đa 2 của điểm thưởng" in problems


def test_the_assessment_method_and_the_evidence_rule_are_read_per_sub_criterion(tmp_path):
    leaves = {c.code: c for c in load_decision(_full(tmp_path)).leaves()}
    assert [leaves[k].evidence_rule for k in ("I.1.1", "I.1.2", "I.2.1", "I.2.2")] == [
        "plan_on_time", "tasks_on_time", "reports_on_time", "inspection_held",
    ]  # fmt: skip
    assert leaves["I.1.1"].method == "appraisal"
    assert (leaves["II.1.1"].method, leaves["II.1.1"].scoring) == ("survey", "ratio")
    assert leaves["II.1.2"].method == "survey"  # "ĐTXHH"


def test_an_unknown_evidence_rule_is_refused_naming_the_row(tmp_path):
    row = list(FULL_ROWS[5])
    row[6] = "bao_cao_dung_han"
    problems = _refused(_full(tmp_path, {5: tuple(row)}))
    assert any(
        p.startswith("dòng 7 của bảng (I.2.1): quy tắc minh chứng 'bao_cao_dung_han' không có")
        for p in problems
    )


def test_an_evidence_rule_on_a_criterion_with_children_is_refused(tmp_path):
    row = ("1", "Kế hoạch cải cách hành chính năm", "3", "", "", "", "plan_on_time")
    problems = _refused(_full(tmp_path, {1: row}))
    assert any(p.startswith("dòng 3 của bảng (I.1): chỉ tiêu chí thành phần") for p in problems)


def test_an_unclear_assessment_method_is_refused_naming_the_row(tmp_path):
    row = list(FULL_ROWS[9])
    row[5] = "bốc thăm"
    problems = _refused(_full(tmp_path, {9: tuple(row)}))
    assert "dòng 11 của bảng: phương pháp đánh giá 'bốc thăm' không rõ" in problems[0]


def test_classification_bands_in_points_become_percents_of_the_total(tmp_path):
    data = load_decision(_full(tmp_path))
    assert [(b.name, b.minimum) for b in data.classes] == [
        ("Xuất sắc", 90), ("Tốt", 80), ("Khá", 65), ("Trung bình", 50), ("Yếu", 0),
    ]  # fmt: skip
    assert data.classify(85.0) == "Tốt"


def test_classification_bands_on_one_line_in_percent(tmp_path):
    after = ("Xếp loại: Tốt: Chỉ số từ 80% trở lên; Đạt: từ 50% đến dưới 80%; Chưa đạt: dưới 50%",)
    data = load_decision(_full(tmp_path, after=after))
    assert [(b.name, b.minimum) for b in data.classes] == [
        ("Tốt", 80), ("Đạt", 50), ("Chưa đạt", 0),
    ]  # fmt: skip


def test_a_decision_without_bands_or_bonus_has_none(tmp_path):
    data = load_decision(write_decision(tmp_path / "qd-99.docx"))
    assert data.classes == [] and data.bonus_max is None and data.penalty_max is None


def test_the_core_knows_the_evidence_rules_the_app_computes():
    from cchc.par.framework import EVIDENCE_RULES
    from cchc.web.par.evidence import RULES

    assert set(EVIDENCE_RULES) == set(RULES)


def test_an_exported_sheet_imports_back_in_the_app_with_all_its_columns(
    deployment, login, tmp_path
):
    client = login("lanhdao")
    path = _full(tmp_path)
    client.post(
        "/chi-so/bo-tieu-chi/nhap/",
        {"file": SimpleUploadedFile("qd.docx", path.read_bytes()), "year": "2026"},
    )
    first = Framework.objects.get()
    sheet = client.get(f"/chi-so/bo-tieu-chi/{first.pk}/excel/").content
    first.delete()  # the same name, year and level cannot be imported twice
    answer = client.post(
        "/chi-so/bo-tieu-chi/nhap/",
        {"file": SimpleUploadedFile("bo-tieu-chi.xlsx", sheet), "year": "2026"},
    )
    assert answer.status_code == 302
    again = Framework.objects.get()
    assert (again.bonus_max, again.penalty_max, again.max_total) == (2, 3, 10)
    assert [c["min"] for c in again.classes] == [90, 80, 65, 50, 0]
    plan = again.criteria.get(code="I.1.1")
    assert plan.evidence_rule == "plan_on_time" and plan.scoring == "options"
    assert len(plan.rule) == 3
    assert again.criteria.get(code="II.1.2").method == "survey"


def test_the_framework_page_shows_caps_bands_methods_and_evidence_rules(
    deployment, login, tmp_path
):
    client = login("lanhdao")
    path = _full(tmp_path)
    client.post(
        "/chi-so/bo-tieu-chi/nhap/", {"file": SimpleUploadedFile("qd.docx", path.read_bytes())}
    )
    page = client.get(f"/chi-so/bo-tieu-chi/{Framework.objects.get().pk}/").content.decode()
    assert "điểm thưởng tối đa 2" in page and "điểm trừ tối đa 3" in page
    assert "Xếp loại: Xuất sắc từ 90%; Tốt từ 80%" in page
    assert "tính từ công việc: plan_on_time" in page and "điều tra xã hội học" in page.lower()
    assert "ban hành chậm: 0,5" in page


def test_a_sentence_about_classification_without_bands_gives_none(tmp_path):
    after = (
        "Điều 2. Kết quả Chỉ số là căn cứ để xếp loại, khen thưởng.",
        "Thời gian gửi báo cáo: từ 15 ngày trước kỳ họp.",
        "Nơi nhận: từ 5 đơn vị.",
    )
    data = load_decision(write_decision(tmp_path / "qd.docx", after=after))
    assert data.classes == []


def test_a_classification_line_in_prose_without_thresholds_does_not_block_the_import(tmp_path):
    after = ("Xếp loại: theo quy định tại Điều 5 Quyết định này.",)
    data = load_decision(write_decision(tmp_path / "qd.docx", after=after))
    assert data.classes == [] and data.total() == 10
