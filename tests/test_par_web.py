"""The PAR INDEX in the app: frameworks in and out of Excel, self-assessment with evidence,
appraisal, publication, ranking, weak criteria to tasks, commitments, charts, report drafts."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth import get_user_model

from cchc.par.framework import shipped
from cchc.web.accounts.models import Unit
from cchc.web.documents.ingest import ingest_file
from cchc.web.par import services
from cchc.web.par.models import Assessment, Commitment, Framework, Score
from cchc.web.work.models import Task


def user(name: str):
    return get_user_model().objects.get(username=name)


@pytest.fixture
def sample(deployment):
    """The made-up sample framework, for the phường/xã."""
    data = next(f for f in shipped().values() if "minh họa" in f.name)
    data.level = "xa"
    return services.import_framework(data, user("quantri"))


def fill(assessment: Assessment, fraction: float, who: str = "quantri") -> None:
    """Self-assess every leaf at `fraction` of its maximum (entered as the method wants)."""
    entries = {}
    for c in assessment.framework.criteria.filter(is_leaf=True):
        if c.scoring == "yesno":
            value = Decimal(int(fraction >= 0.5))
        elif c.scoring == "ratio":
            value = Decimal(str(fraction))
        elif c.scoring == "scale":
            value = Decimal(round(fraction * c.scale_levels))
        else:
            value = (c.max_points * Decimal(str(fraction))).quantize(Decimal("0.01"))
        entries[c.pk] = (value, "")
    services.save_self_assessment(assessment, entries, user(who))


def published(framework, unit_name: str, year: int, fraction: float) -> Assessment:
    a = services.open_assessment(framework, Unit.objects.get(name=unit_name), year)
    fill(a, fraction)
    for step in ("submit", "appraise", "accept", "lock", "publish"):
        services.advance(a, step, user("lanhdao"))
    return a


def excel_bytes(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_framework_imported_from_excel_is_stored_and_exported_back(login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    sheet = excel_bytes(
        [
            ["BỘ TIÊU CHÍ ĐÁNH GIÁ CẢI CÁCH HÀNH CHÍNH CẤP XÃ"],
            ["STT", "Lĩnh vực/Tiêu chí", "Điểm tối đa", "Ghi chú thêm"],
            ["I", "Công tác chỉ đạo, điều hành", 4, ""],
            [1, "Kế hoạch CCHC năm", 2, "x"],
            [2, "Báo cáo CCHC", 2, ""],
            ["II", "Cải cách thủ tục hành chính", 6, ""],
            [1, "Công khai thủ tục", 6, ""],
            ["", "Tổng cộng", 10, ""],
        ]
    )
    client = login("lanhdao")
    answer = client.post(
        "/chi-so/bo-tieu-chi/nhap/",
        {
            "file": SimpleUploadedFile("tieu-chi.xlsx", sheet),
            "year": "2026",
            "level": "xa",
            "name": "Bộ tiêu chí xã thử",
        },
    )
    stored = Framework.objects.get(name="Bộ tiêu chí xã thử")
    assert answer.status_code == 302 and stored.max_total == 10
    assert list(stored.criteria.values_list("code", flat=True)) == ["I", "I.1", "I.2", "II", "II.1"]
    exported = client.get(f"/chi-so/bo-tieu-chi/{stored.pk}/excel/")
    rows = list(openpyxl.load_workbook(io.BytesIO(exported.content)).active.values)
    assert any("Công khai thủ tục" in [str(c) for c in row] for row in rows)


def test_a_framework_whose_points_do_not_add_up_is_refused_and_nothing_saved(login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    sheet = excel_bytes(
        [
            ["STT", "Tiêu chí", "Điểm tối đa"],
            ["I", "Chỉ đạo điều hành", 5],
            [1, "Kế hoạch", 2],
            [2, "Báo cáo", 2],
        ]
    )
    answer = login("lanhdao").post(
        "/chi-so/bo-tieu-chi/nhap/",
        {"file": SimpleUploadedFile("sai.xlsx", sheet), "level": "xa"},
        follow=True,
    )
    text = answer.content.decode()
    assert "sai.xlsx" in text and "dòng 2 (I)" in text and "khác điểm tối đa 5" in text
    assert not Framework.objects.exists()


@pytest.mark.parametrize(
    "name, content",
    [("bo tieu chi.xlsx", b"not a zip"), ("bo tieu chi.yaml", b"name: [unclosed")],
)
def test_a_framework_import_error_names_the_uploaded_file_not_a_server_path(
    login, tmp_path, name, content
):
    import tempfile

    from django.core.files.uploadedfile import SimpleUploadedFile

    answer = login("lanhdao").post(
        "/chi-so/bo-tieu-chi/nhap/", {"file": SimpleUploadedFile(name, content)}, follow=True
    )
    text = answer.content.decode()
    assert f"{name}: bộ tiêu chí không hợp lệ (1 lỗi)" in text
    assert tempfile.gettempdir() not in text


def test_an_officer_cannot_import_frameworks(login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    sheet = SimpleUploadedFile("x.xlsx", excel_bytes([["STT", "Tiêu chí", "Điểm tối đa"]]))
    assert login("noivu").post("/chi-so/bo-tieu-chi/nhap/", {"file": sheet}).status_code == 403


def test_a_template_without_points_cannot_be_scored(deployment):
    data = next(f for f in shipped().values() if f.total() is None)
    template = services.import_framework(data, user("quantri"))
    with pytest.raises(services.WorkflowError, match="chưa có điểm tối đa"):
        services.open_assessment(template, Unit.objects.get(name="UBND xã Phú Mỹ"), 2025)


def test_a_score_above_the_maximum_is_refused_and_nothing_is_saved(sample, login):
    a = services.open_assessment(sample, Unit.objects.get(name="UBND phường An Lạc"), 2026)
    leaves = list(sample.criteria.filter(is_leaf=True, scoring="points")[:2])
    client = login("anlac")
    client.post(
        f"/chi-so/danh-gia/{a.pk}/",
        {
            "action": "self",
            f"value-{leaves[0].pk}": "1",
            f"value-{leaves[1].pk}": str(leaves[1].max_points + 1),
        },
    )
    assert not Score.objects.filter(assessment=a).exists()


def test_the_form_takes_percents_yes_no_and_points_as_typed(sample, login):
    a = services.open_assessment(sample, Unit.objects.get(name="UBND phường An Lạc"), 2026)
    leaves = sample.criteria.filter(is_leaf=True)
    ratio = leaves.filter(scoring="ratio").first()
    yesno = leaves.filter(scoring="yesno").first()
    scored = leaves.filter(scoring="points", max_points__gte=1).first()
    login("anlac").post(
        f"/chi-so/danh-gia/{a.pk}/",
        {
            "action": "self",
            f"value-{ratio.pk}": "50%",
            f"value-{yesno.pk}": "Đạt",
            f"value-{scored.pk}": "1 điểm",
        },
    )
    got = {s.criterion_id: s.self_points for s in Score.objects.filter(assessment=a)}
    assert got == {ratio.pk: ratio.max_points / 2, yesno.pk: yesno.max_points, scored.pk: 1}


def test_self_assessment_with_evidence_from_the_registry_and_a_file(sample, login, sample_path):
    doc = ingest_file(sample_path("ke-hoach-cchc-2026.md")).document
    a = services.open_assessment(sample, Unit.objects.get(name="UBND phường An Lạc"), 2026)
    leaf = sample.criteria.filter(is_leaf=True, scoring="points").first()
    from django.core.files.uploadedfile import SimpleUploadedFile

    login("anlac").post(
        f"/chi-so/danh-gia/{a.pk}/",
        {
            "action": "self",
            f"value-{leaf.pk}": "1,5",
            f"note-{leaf.pk}": "Đã ban hành kế hoạch",
            f"doc-{leaf.pk}": "18/KH-UBND",
            f"files-{leaf.pk}": SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 x"),
        },
    )
    s = Score.objects.get(assessment=a, criterion=leaf)
    assert s.self_points == Decimal("1.5") and s.explanation == "Đã ban hành kế hoạch"
    assert {e.name for e in s.evidence.all()} == {str(doc), "bien-ban.pdf"}
    assert s.evidence.get(document=doc)
    uploaded = s.evidence.get(name="bien-ban.pdf")
    download = login("xem").get(f"/chi-so/minh-chung/{uploaded.pk}/")
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 x"


def test_another_units_officer_cannot_self_assess(sample, login):
    a = services.open_assessment(sample, Unit.objects.get(name="UBND phường An Lạc"), 2026)
    leaf = sample.criteria.filter(is_leaf=True).first()
    answer = login("noivu").post(
        f"/chi-so/danh-gia/{a.pk}/", {"action": "self", f"value-{leaf.pk}": "1"}
    )
    assert answer.status_code == 403


def test_submitting_needs_every_criterion_scored(sample):
    a = services.open_assessment(sample, Unit.objects.get(name="UBND phường An Lạc"), 2026)
    leaf = sample.criteria.filter(is_leaf=True, scoring="points").first()
    services.save_self_assessment(a, {leaf.pk: (Decimal(1), "")}, user("anlac"))
    with pytest.raises(services.WorkflowError, match=r"Còn \d+ tiêu chí chưa tự chấm"):
        services.advance(a, "submit", user("anlac"))


def test_the_council_adjusts_a_score_only_with_a_reason_then_publishes(sample):
    a = services.open_assessment(sample, Unit.objects.get(name="UBND phường An Lạc"), 2025)
    fill(a, 1.0)
    services.advance(a, "submit", user("anlac"))
    leaf = sample.criteria.filter(is_leaf=True).first()
    with pytest.raises(services.WorkflowError, match="cần ghi lý do"):
        services.save_appraisal(a, {leaf.pk: (Decimal(0), "")}, user("lanhdao"))
    services.save_appraisal(a, {leaf.pk: (Decimal(0), "Không có minh chứng")}, user("lanhdao"))
    for step in ("appraise", "accept", "lock", "publish"):
        services.advance(a, step, user("lanhdao"))
    a.refresh_from_db()
    assert a.status == Assessment.Status.PUBLISHED
    assert a.final_total == a.self_total - leaf.max_points
    assert a.published_by.username == "lanhdao"


def test_officers_cannot_appraise_or_publish(sample, login):
    a = services.open_assessment(sample, Unit.objects.get(name="UBND phường An Lạc"), 2025)
    fill(a, 0.8)
    services.advance(a, "submit", user("anlac"))
    assert (
        login("anlac").post(f"/chi-so/danh-gia/{a.pk}/", {"action": "appraise"}).status_code == 403
    )
    a.refresh_from_db()
    assert a.status == Assessment.Status.SUBMITTED


def test_ranking_orders_units_of_a_year_and_gives_the_change_on_last_year(sample, login):
    published(sample, "UBND phường An Lạc", 2024, 0.9)
    for name, fraction in [
        ("UBND phường An Lạc", 0.6),
        ("UBND xã Phú Mỹ", 0.9),
        ("UBND xã An Bình", 0.75),
    ]:
        published(sample, name, 2025, fraction)
    rows = services.ranking(sample, 2025)
    assert [(r.place, r.count, r.assessment.unit.name) for r in rows] == [
        (1, 3, "UBND xã Phú Mỹ"),
        (2, 3, "UBND xã An Bình"),
        (3, 3, "UBND phường An Lạc"),
    ]
    assert rows[2].change < 0 and rows[0].change is None
    page = login("xem").get(f"/chi-so/?framework={sample.pk}&year=2025").content.decode()
    assert "3/3" in page and "<svg" in page


def test_weak_criteria_become_reviewed_tasks_on_the_board(sample, login):
    published(sample, "UBND xã Phú Mỹ", 2025, 1.0)
    mine = published(sample, "UBND phường An Lạc", 2025, 0.5)
    weak = services.weak_criteria(mine)
    assert weak["best"] and weak["best"][0][1] > 0
    criterion, _lost = weak["best"][0]
    client = login("lanhdao")
    page = client.get(f"/chi-so/danh-gia/{mine.pk}/ke-hoach/")
    assert criterion.code in page.content.decode()
    assert not Task.objects.exists()  # nothing is created before a person confirms
    unit = Unit.objects.get(name="UBND phường An Lạc")
    client.post(
        f"/chi-so/danh-gia/{mine.pk}/ke-hoach/",
        {
            "criterion": [criterion.pk],
            f"unit-{criterion.pk}": unit.pk,
            f"deadline-{criterion.pk}": "30/06/2026",  # typed day first, whatever the browser
            f"action-{criterion.pk}": "Bổ sung minh chứng",
        },
    )
    task = Task.objects.get()
    assert (task.criterion, task.unit, task.deadline) == (criterion, unit, date(2026, 6, 30))
    board = login("anlac").get("/cong-viec/")
    assert "Bổ sung minh chứng" in board.content.decode()


def test_a_commitment_unmet_at_its_deadline_is_listed(sample, login):
    a = published(sample, "UBND phường An Lạc", 2025, 0.5)
    unit = a.unit
    task = Task.objects.create(unit=unit, action="Số hóa hồ sơ", deadline=date(2025, 12, 1))
    commitment = Commitment.objects.create(
        unit=unit,
        year=2025,
        head_name="Phạm Thu Hằng",
        head_title="Chủ tịch UBND phường",
        deadline=date.today() - timedelta(days=1),
    )
    commitment.tasks.add(task)
    commitment.criteria.add(sample.criteria.filter(is_leaf=True).first())
    state = services.commitment_state(commitment)
    assert (state.tasks_done, state.tasks_total, state.fulfilled, state.overdue) == (
        0,
        1,
        False,
        True,
    )
    assert [s.commitment for s in services.unmet_commitments()] == [commitment]
    page = login("lanhdao").get("/chi-so/cam-ket/").content.decode()
    assert "Phạm Thu Hằng" in page and "Quá hạn" in page


def test_charts_download_as_png_and_show_as_svg(sample, login):
    a = published(sample, "UBND phường An Lạc", 2025, 0.7)
    published(sample, "UBND phường An Lạc", 2024, 0.6)
    client = login("xem")
    png = client.get(f"/chi-so/bieu-do/ra-da.png?assessment={a.pk}")
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n" and "attachment" in png["Content-Disposition"]
    ranking = client.get(f"/chi-so/bieu-do/xep-hang.svg?framework={sample.pk}&year=2025")
    assert ranking["Content-Type"] == "image/svg+xml" and b"UBND ph" in ranking.content
    trend = client.get(f"/chi-so/bieu-do/xu-huong.png?unit={a.unit_id}")
    assert trend.content[:4] == b"\x89PNG"


def test_charts_take_a_dollar_in_a_name_and_write_decimal_commas(sample, login):
    unit = Unit.objects.get(name="UBND phường An Lạc")
    unit.name = "UBND phường $An_$ Lạc"  # mathtext would read "$An_$" and fail
    unit.save()
    a = published(sample, unit.name, 2025, 0.7)
    client = login("xem")
    ranking = client.get(f"/chi-so/bieu-do/xep-hang.svg?framework={sample.pk}&year=2025")
    assert ranking.status_code == 200
    svg = ranking.content.decode()
    assert "$An_$ Lạc" in svg
    index = services.ranking(sample, 2025)[0].index
    assert f"{index:.2f}".rstrip("0").rstrip(".").replace(".", ",") in svg
    assert not re.search(r">\s*\d+\.\d+\s*<", svg)  # no "84.38" written as a label
    for kind in ("ra-da", "xu-huong"):
        query = f"assessment={a.pk}" if kind == "ra-da" else f"unit={unit.pk}"
        assert client.get(f"/chi-so/bieu-do/{kind}.png?{query}").status_code == 200


def test_chart_numbers_have_a_decimal_comma_and_a_real_minus_sign():
    from cchc.text import vn_number as number

    assert number(84.375) == "84,38"
    assert number(-1.5) == "\u22121,5"
    assert number(100.0) == "100"


def test_the_quarterly_report_draft_counts_tasks_of_its_data_window(sample, login):
    import docx

    unit = Unit.objects.get(name="Phòng Nội vụ")
    Task.objects.create(unit=unit, action="Rà soát thủ tục", deadline=date(2026, 2, 10))
    Task.objects.create(unit=unit, action="Việc quý sau", deadline=date(2026, 5, 10))
    answer = login("lanhdao").get(
        "/chi-so/bao-cao/", {"report": "dinh-ky", "period": "Q1", "year": "2026"}
    )
    assert answer["Content-Type"].endswith("wordprocessingml.document")
    document = docx.Document(io.BytesIO(answer.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = " ".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "quý I năm 2026" in text and "15/12/2025" in text and "14/03/2026" in text
    assert "Rà soát thủ tục" in cells and "Việc quý sau" not in cells
    assert "ỦY BAN NHÂN DÂN\nTỈNH BÌNH LONG" in cells  # the province of today, not the thị xã


def test_the_index_report_exports_its_tables_to_excel(sample, login):
    published(sample, "UBND phường An Lạc", 2025, 0.7)
    published(sample, "UBND xã Phú Mỹ", 2025, 0.8)
    answer = login("lanhdao").get(
        "/chi-so/bao-cao/",
        {"report": "chi-so", "framework": sample.pk, "year": "2025", "format": "xlsx"},
    )
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    ranking = list(book.worksheets[0].values)
    assert ranking[0][:2] == ("Hạng", "Đơn vị") and ranking[1][:2] == ("1/2", "UBND xã Phú Mỹ")


@pytest.mark.parametrize("username", ["xem", "anlac", "noivu"])
def test_report_drafts_are_for_leaders_only(sample, login, username):
    client = login(username)
    assert client.get("/chi-so/bao-cao/").status_code == 403
    query = {"report": "dinh-ky", "period": "Q1", "year": "2026"}
    assert client.get("/chi-so/bao-cao/", query).status_code == 403
    assert login("lanhdao").get("/chi-so/bao-cao/", query).status_code == 200


@pytest.mark.parametrize(
    "query, message",
    [
        ("xep-hang.svg?framework=abc&year=2025", "Mã không hợp lệ"),
        ("xep-hang.svg?framework={fw}&year=abc", "Năm phải là số"),
        ("xep-hang.svg?framework={fw}&year=99999999999", "Năm phải là số"),
        ("ra-da.svg?assessment=abc", "Mã không hợp lệ"),
        ("xu-huong.png?unit=99999999999999999999", "Mã không hợp lệ"),
    ],
)
def test_a_chart_with_a_bad_parameter_answers_400_with_a_message(sample, login, query, message):
    answer = login("xem").get("/chi-so/bieu-do/" + query.format(fw=sample.pk))
    assert answer.status_code == 400 and message in answer.content.decode()


@pytest.mark.parametrize(
    "url, data, message",
    [
        ("/chi-so/danh-gia/mo/", {"framework": "abc", "year": "2025"}, "Không có bộ tiêu chí"),
        ("/chi-so/danh-gia/mo/", {"year": "99999999999"}, "Năm phải là số"),
        ("/chi-so/danh-gia/mo/", {"units": ["abc"]}, "đơn vị “abc” không hợp lệ"),
        ("/chi-so/cam-ket/", {"year": "99999999999"}, "Năm phải là số"),
        ("/chi-so/cam-ket/", {"criteria": ["abc"]}, "tiêu chí “abc” không hợp lệ"),
        ("/chi-so/cam-ket/", {"tasks": ["abc"]}, "công việc “abc” không hợp lệ"),
        ("/chi-so/cam-ket/", {"deadline": "31/12/2026x"}, "Ngày không hợp lệ"),
        ("/chi-so/cam-ket/", {"deadline": "31/02/2026"}, "không có ngày 31"),
        ("/chi-so/cam-ket/", {"signed_on": "1/1/99999999999999999999"}, "Ngày không hợp lệ"),
    ],
)
def test_a_par_form_with_a_bad_value_answers_400_with_a_message(sample, login, url, data, message):
    unit = Unit.objects.get(name="UBND phường An Lạc")
    defaults = {"framework": sample.pk, "year": "2026", "units": [unit.pk]}
    if "cam-ket" in url:
        defaults = {"unit": unit.pk, "year": "2026", "head_name": "Phạm Văn An"}
        defaults |= {"head_title": "Chủ tịch", "deadline": "2026-12-31"}
    answer = login("lanhdao").post(url, defaults | data)
    assert answer.status_code == 400 and message in answer.content.decode()
    assert not Commitment.objects.exists() and not Assessment.objects.exists()


@pytest.mark.parametrize(
    "query, message",
    [
        ({"year": "99999999999"}, "Năm phải là số"),
        ({"period": "Q9"}, "Không có kỳ báo cáo này"),
        ({"format": "exe"}, "Chỉ lập được báo cáo .docx hoặc .xlsx"),
    ],
)
def test_a_report_with_a_bad_parameter_answers_400_with_a_message(sample, login, query, message):
    answer = login("lanhdao").get(
        "/chi-so/bao-cao/", {"report": "dinh-ky", "period": "Q1", "year": "2026"} | query
    )
    assert answer.status_code == 400 and message in answer.content.decode()


def test_a_unit_without_any_assessment_is_told_so(deployment, login):
    unit = Unit.objects.get(name="Phòng Tư pháp")
    page = login("xem").get(f"/chi-so/don-vi/{unit.pk}/")
    assert page.status_code == 200
    assert "chưa được đánh giá theo bộ tiêu chí nào" in page.content.decode()
