"""Frameworks as provinces write them: rules as data (graded options, bands of a percent),
"không áp dụng" re-scaling, bonus and penalty caps, classification bands, rankings per group
of units."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest

from cchc.par.framework import (
    Criterion,
    Framework,
    FrameworkError,
    load_yaml,
    parse_rule,
    points,
    validate,
)
from cchc.par.scoring import Layout, adjusted, score
from cchc.web.accounts.models import Unit
from cchc.web.par import services
from cchc.web.par.models import Assessment, Score
from tests.test_par_web import user

FIXTURE = Path(__file__).parent / "fixtures" / "par" / "khung-xa.yaml"


def test_graded_options_are_read_from_the_words_of_the_decision():
    kind, items = parse_rule("Ban hành đúng hạn: 1 điểm; chậm: 0,5; không ban hành: 0")
    assert kind == "options"
    assert [(i.label, i.points) for i in items] == [
        ("Ban hành đúng hạn", 1), ("chậm", Decimal("0.5")), ("không ban hành", 0),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "trên 90%: 2; 70–90%: 1; dưới 70%: 0",
        "Từ 90% trở lên: 2; từ 70% đến dưới 90%: 1; dưới 70%: 0",
    ],
)
def test_bands_of_a_percent_give_the_points_of_the_band(text):
    kind, items = parse_rule(text)
    c = Criterion("I.2", "Tỷ lệ", Decimal(2), scoring=kind, rule=items)
    assert kind == "bands"
    assert points(c, "95%") == 2 and points(c, "75%") == 1 and points(c, "10%") == 0
    edge = points(c, "90%")
    assert edge == (1 if text.startswith("trên") else 2)  # "trên 90%" leaves 90% to 70–90%
    with pytest.raises(ValueError, match="vượt quá 100%"):
        points(c, "120%")


def test_an_option_that_is_not_in_the_rule_is_refused_naming_the_options():
    _, items = parse_rule("đúng hạn: 1; chậm: 0,5; không: 0")
    c = Criterion("I.1.1", "Kế hoạch", Decimal(1), scoring="options", rule=items)
    assert points(c, "0,5") == Decimal("0.5")
    with pytest.raises(ValueError, match=r"I\.1\.1: “0\.7” không phải một mức.*chậm: 0,5"):
        points(c, "0.7")


def test_a_rule_whose_best_option_is_not_the_maximum_or_whose_bands_overlap_is_refused():
    _, options = parse_rule("đúng hạn: 1; chậm: 0,5")
    _, bands = parse_rule("từ 70%: 1; từ 50% đến 80%: 0,5")
    area = Criterion(
        "I", "Chỉ đạo", Decimal(4),
        children=[
            Criterion("I.1", "Kế hoạch", Decimal(2), scoring="options", rule=options),
            Criterion("I.2", "Tỷ lệ", Decimal(1), scoring="bands", rule=bands),
            Criterion("I.3", "Khác", Decimal(1), evidence_rule="khong_co"),
        ],
    )  # fmt: skip
    problems = validate(Framework("Thử", 2026, "xa", None, [area]))
    assert "I.1: mức cao nhất 1 điểm khác điểm tối đa 2" in problems
    assert any(
        p.startswith("I.2: các mức “từ 70%” và “từ 50% đến 80%” chồng lên nhau") for p in problems
    )
    assert any(p.startswith("I.3: quy tắc minh chứng 'khong_co' không có") for p in problems)


def test_a_rule_that_cannot_be_read_names_the_line_in_yaml(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text(
        "name: X\nlevel: xa\nareas:\n  - name: A\n    max_points: 1\n    children:\n"
        "      - name: B\n        max_points: 1\n        rule: 'đúng hạn một điểm'\n",
        encoding="utf-8",
    )
    with pytest.raises(FrameworkError, match=r"dòng 7 \(I\.1\): cách chấm: không đọc được mức"):
        load_yaml(path)


def test_not_applicable_rescales_the_maximum_and_the_index():
    data = load_yaml(FIXTURE)
    layout = Layout.of(data)
    result = score(layout, "x", {"I.1.1": 1, "I.1.2": 1, "I.2.1": 2, "I.2.2": 1, "II.1.2": 2})
    full = adjusted(layout, result)
    assert (full.points, full.maximum, full.index) == (7, 10, 70)
    rescaled = adjusted(layout, result, ["II.1.1", "I.2.3"])  # 3 points do not apply
    assert (rescaled.points, rescaled.maximum, rescaled.index) == (7, 7, 100)
    counted = adjusted(layout, result, ["II.1.1"], policy="full")
    assert (counted.points, counted.maximum) == (9, 10)


def test_bonus_and_penalty_are_capped_and_the_index_stays_within_100():
    data = load_yaml(FIXTURE)
    layout = Layout.of(data)
    result = score(layout, "x", {"I.1.1": 1, "I.2.1": 2, "II.1.2": 2})  # 5 of 10
    got = adjusted(layout, result, bonus=5, penalty=1, bonus_max=2, penalty_max=3)
    assert (got.points, got.index) == (6, 60)  # 5 + 2 (capped) − 1
    assert adjusted(layout, result, penalty=9, penalty_max=3).points == 2
    top = score(layout, "y", dict(layout.leaf_max))
    assert adjusted(layout, top, bonus=2, bonus_max=2).index == 100


def test_the_framework_names_its_classes():
    data = load_yaml(FIXTURE)
    assert [data.classify(i) for i in (95, 85, 72, 55, 10)] == [
        "Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu",
    ]  # fmt: skip


# --- in the app ---------------------------------------------------------------------------


@pytest.fixture
def khung(deployment):
    return services.import_framework(load_yaml(FIXTURE), user("quantri"))


def leaf(framework, code):
    return framework.criteria.get(code=code)


def scored(framework, unit: Unit, year: int, values: dict[str, str], na=()) -> Assessment:
    a = services.open_assessment(framework, unit, year)
    entries = {leaf(framework, code).pk: (value, "") for code, value in values.items()}
    for code in na:
        entries[leaf(framework, code).pk] = (None, "Xã không có dịch vụ này")
    services.save_self_assessment(
        a, entries, user("quantri"), not_applicable={leaf(framework, c).pk for c in na}
    )
    services.advance(a, "submit", user("quantri"), confirm_incomplete=True)
    return a


def final(a: Assessment) -> None:
    """Round 1 finished, accepted by the unit, locked: a result that ranks."""
    for step in ("appraise", "accept", "lock"):
        services.advance(a, step, user("lanhdao"))


ALL = {"I.1.1": "1", "I.1.2": "95%", "I.2.1": "2", "I.2.2": "1", "I.2.3": "95%",
       "II.1.1": "100%", "II.1.2": "2"}  # fmt: skip


def test_the_entry_form_offers_the_rules_options_not_a_free_number(khung, login):
    a = services.open_assessment(khung, Unit.objects.get(name="UBND phường An Lạc"), 2026)
    page = login("anlac").get(f"/chi-so/danh-gia/{a.pk}/").content.decode()
    plan = leaf(khung, "I.1.1")
    assert f'<select class="score" name="value-{plan.pk}"' in page
    assert '<option value="0,5" >ban hành chậm (0,5)</option>' in page
    answer = login("anlac").post(
        f"/chi-so/danh-gia/{a.pk}/", {"action": "self", f"value-{plan.pk}": "0,7"}
    )
    assert answer.status_code == 400 and "không phải một mức" in answer.content.decode()
    login("anlac").post(f"/chi-so/danh-gia/{a.pk}/", {"action": "self", f"value-{plan.pk}": "0,5"})
    assert Score.objects.get(assessment=a, criterion=plan).self_points == Decimal("0.5")


def test_not_applicable_needs_a_reason_and_rescales_the_units_index(khung, login):
    a = services.open_assessment(khung, Unit.objects.get(name="UBND phường An Lạc"), 2026)
    online = leaf(khung, "II.1.2")
    client = login("anlac")
    answer = client.post(f"/chi-so/danh-gia/{a.pk}/", {"action": "self", f"na-{online.pk}": "on"})
    assert answer.status_code == 400 and "lý do không áp dụng" in answer.content.decode()
    values = {k: v for k, v in ALL.items() if k != "II.1.2"}
    done = scored(khung, Unit.objects.get(name="UBND xã Phú Mỹ"), 2026, values, na=["II.1.2"])
    final(done)
    row = services.ranking(khung, 2026)[0]
    assert (row.points, row.maximum, row.index, row.classification) == (8, 8, 100, "Xuất sắc")
    assert services.missing_criteria(done) == []


def test_bonus_and_penalty_above_their_caps_are_refused_and_need_reasons(khung):
    a = scored(khung, Unit.objects.get(name="UBND phường An Lạc"), 2026, ALL)
    with pytest.raises(services.WorkflowError, match="vượt mức tối đa 2"):
        services.save_adjustments(a, Decimal(3), "Sáng kiến", Decimal(0), "", user("lanhdao"))
    with pytest.raises(services.WorkflowError, match="Điểm trừ: cần ghi lý do"):
        services.save_adjustments(a, Decimal(0), "", Decimal(1), "", user("lanhdao"))
    services.save_adjustments(a, Decimal(0), "", Decimal(2), "Để xảy ra sai phạm", user("lanhdao"))
    final(a)
    row = services.ranking(khung, 2026)[0]
    assert (row.points, row.index, row.classification) == (8, 80, "Tốt")


def test_units_are_ranked_within_their_group_by_kind(khung, login):
    units = {
        "UBND phường An Lạc": "0,5",
        "UBND xã Phú Mỹ": "1",
        "Phòng Nội vụ": "0",
    }
    for name, plan in units.items():
        a = scored(khung, Unit.objects.get(name=name), 2026, {**ALL, "I.1.1": plan})
        final(a)
    rows = services.ranking(khung, 2026)
    groups = dict(services.by_group(rows))
    kinds = {Unit.objects.get(name=n).kind for n in units}
    assert len(groups) == len(kinds) == 2
    communes = groups[Unit.Kind.COMMUNE.label]
    assert [(r.place, r.count, r.assessment.unit.name) for r in communes] == [
        (1, 2, "UBND xã Phú Mỹ"), (2, 2, "UBND phường An Lạc"),
    ]  # fmt: skip
    page = login("lanhdao").get(f"/chi-so/?framework={khung.pk}&year=2026").content.decode()
    assert "Xếp hạng riêng" in page and "Xuất sắc" in page


def test_the_ranking_page_shows_one_group_or_all_units_a_page_at_a_time(khung, login, monkeypatch):
    from cchc.web.par import views

    for name, plan in (
        ("UBND phường An Lạc", "0,5"),
        ("UBND xã Phú Mỹ", "1"),
        ("Phòng Nội vụ", "0"),
    ):
        final(scored(khung, Unit.objects.get(name=name), 2026, {**ALL, "I.1.1": plan}))
    monkeypatch.setattr(views, "RANKING_PAGE", 2)
    client, url = login("lanhdao"), f"/chi-so/?framework={khung.pk}&year=2026"

    def table(query: str = "") -> str:
        page = client.get(url + query).content.decode()
        return page[page.index('id="ranking"') : page.index("</table>", page.index('id="ranking"'))]

    first, second = table(), table("&trang=2")
    assert "1/3" in first and "UBND xã Phú Mỹ" in first and "Phòng Nội vụ" not in first
    assert "3/3" in second and "Phòng Nội vụ" in second  # the third unit, on page 2
    communes = table("&nhom=" + quote(Unit.Kind.COMMUNE.label))
    assert "1/2" in communes and "2/2" in communes and "Phòng Nội vụ" not in communes
    assert client.get(url + "&nhom=kh%C3%B4ng-c%C3%B3").status_code == 400
