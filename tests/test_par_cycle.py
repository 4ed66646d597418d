"""The assessment as a unit and the council live it: what the form keeps on an error, what it
asks before sending an incomplete assessment, and what counts as a result (rankings, trends,
"sau thẩm định") — only appraised or published assessments."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.par.framework import shipped
from cchc.web.accounts.models import Unit
from cchc.web.par import services, views
from cchc.web.par.models import Assessment, Score
from tests.test_par_web import fill, published, user


@pytest.fixture
def sample(deployment):
    data = next(f for f in shipped().values() if "minh họa" in f.name)
    data.level = "xa"
    return services.import_framework(data, user("quantri"))


def anlac(framework, year=2026) -> Assessment:
    return services.open_assessment(framework, Unit.objects.get(name="UBND phường An Lạc"), year)


def test_a_year_not_assessed_or_still_a_draft_is_absent_from_the_trend_not_zero(sample):
    published(sample, "UBND phường An Lạc", 2023, 0.8)
    published(sample, "UBND phường An Lạc", 2025, 0.9)
    draft = anlac(sample, 2026)  # opened, nothing scored: its total is 0
    assert draft.final_total == 0
    years, series = views._trend_series(Unit.objects.get(name="UBND phường An Lạc"))
    assert years == [2023, 2025]
    values = series["UBND phường An Lạc"]
    assert None not in values and 0 not in values and len(values) == 2


def test_a_draft_is_not_ranked_and_the_overview_says_it_waits(sample, login):
    a = anlac(sample)
    fill(a, 0.0)
    assert services.ranking(sample, 2026) == []
    page = login("lanhdao").get(f"/chi-so/?framework={sample.pk}&year=2026").content.decode()
    assert "1/1" not in page and "0,0%" not in page
    assert 'id="pending"' in page and "UBND phường An Lạc" in page
    assessment_page = login("anlac").get(f"/chi-so/danh-gia/{a.pk}/").content.decode()
    assert 'id="rank"' not in assessment_page


def test_sau_tham_dinh_is_shown_only_after_an_appraisal(sample, login):
    a = anlac(sample)
    fill(a, 0.5)
    page = login("anlac").get(f"/chi-so/danh-gia/{a.pk}/").content.decode()
    assert "sau thẩm định" not in page and "chưa thẩm định" in page
    services.advance(a, "submit", user("anlac"))
    services.advance(a, "appraise", user("lanhdao"))
    page = login("anlac").get(f"/chi-so/danh-gia/{a.pk}/").content.decode()
    assert "sau thẩm định" in page


def test_120_percent_on_a_ratio_criterion_is_refused_not_stored_as_a_tiny_score(sample, login):
    a = anlac(sample)
    ratio = sample.criteria.filter(is_leaf=True, scoring="ratio").first()
    client = login("anlac")
    answer = client.post(
        f"/chi-so/danh-gia/{a.pk}/", {"action": "self", f"value-{ratio.pk}": "120%"}
    )
    assert answer.status_code == 400
    assert "vượt quá 100%" in answer.content.decode()
    assert not Score.objects.filter(assessment=a).exists()
    client.post(f"/chi-so/danh-gia/{a.pk}/", {"action": "self", f"value-{ratio.pk}": "85"})
    s = Score.objects.get(assessment=a, criterion=ratio)
    assert s.self_value == 85 and s.self_points == (ratio.max_points * Decimal("0.85")).quantize(
        Decimal("0.01")
    )


def test_one_score_over_its_maximum_keeps_every_entry_and_the_file_and_marks_the_field(
    sample, login
):
    a = anlac(sample)
    good, bad = list(sample.criteria.filter(is_leaf=True, scoring="points", max_points__gte=2)[:2])
    client = login("anlac")
    answer = client.post(
        f"/chi-so/danh-gia/{a.pk}/",
        {
            "action": "self",
            f"value-{good.pk}": "1,5",
            f"note-{good.pk}": "Đã ban hành đúng hạn",
            f"files-{good.pk}": SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 x"),
            f"value-{bad.pk}": str(bad.max_points + 5),
        },
    )
    text = answer.content.decode()
    assert answer.status_code == 400
    assert not Score.objects.filter(assessment=a).exists()
    assert 'value="1,5"' in text and "Đã ban hành đúng hạn" in text
    assert f'id="error-{bad.pk}"' in text and f'id="error-{good.pk}"' not in text
    assert "giữ lại: bien-ban.pdf" in text
    token = re.search(rf'name="kept-{good.pk}" value="([^"]+)"', text).group(1)
    client.post(
        f"/chi-so/danh-gia/{a.pk}/",
        {
            "action": "self",
            f"value-{good.pk}": "1,5",
            f"kept-{good.pk}": token,
            f"value-{bad.pk}": "1",
        },
    )
    s = Score.objects.get(assessment=a, criterion=good)
    assert s.self_points == Decimal("1.5")
    assert [e.name for e in s.evidence.all()] == ["bien-ban.pdf"]


def test_a_forged_kept_file_reference_is_ignored(sample, login):
    a = anlac(sample)
    leaf = sample.criteria.filter(is_leaf=True, scoring="points").first()
    login("anlac").post(
        f"/chi-so/danh-gia/{a.pk}/",
        {"action": "self", f"value-{leaf.pk}": "1", f"kept-{leaf.pk}": "../../etc/passwd"},
    )
    assert not Score.objects.get(assessment=a, criterion=leaf).evidence.exists()


def test_an_incomplete_submission_lists_what_is_missing_and_asks_first(sample, login):
    other = services.open_assessment(sample, Unit.objects.get(name="UBND xã Phú Mỹ"), 2026)
    fill(other, 1.0)  # another unit scored everything: must not hide this unit's gaps
    a = anlac(sample)
    leaves = list(sample.criteria.filter(is_leaf=True, scoring="points")[:5])
    services.save_self_assessment(a, {c.pk: (Decimal(1), "") for c in leaves}, user("anlac"))
    client = login("anlac")
    answer = client.post(f"/chi-so/danh-gia/{a.pk}/", {"action": "submit"})
    text = answer.content.decode()
    a.refresh_from_db()
    assert a.status == Assessment.Status.DRAFT
    total = sample.criteria.filter(is_leaf=True).count()
    assert f"Còn <strong>{total - 5}</strong> tiêu chí chưa tự chấm" in text
    assert 'name="confirm" value="1"' in text
    client.post(f"/chi-so/danh-gia/{a.pk}/", {"action": "submit", "confirm": "1"})
    a.refresh_from_db()
    assert a.status == Assessment.Status.SUBMITTED


def test_a_unit_withdraws_its_submission_before_appraisal(sample, login):
    a = anlac(sample)
    fill(a, 1.0)
    services.advance(a, "submit", user("anlac"))
    login("anlac").post(f"/chi-so/danh-gia/{a.pk}/", {"action": "withdraw"})
    a.refresh_from_db()
    assert a.status == Assessment.Status.DRAFT
    services.advance(a, "submit", user("anlac"))
    services.advance(a, "appraise", user("lanhdao"))
    with pytest.raises(services.WorkflowError):
        services.advance(a, "withdraw", user("anlac"))
