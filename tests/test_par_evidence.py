"""Evidence from tracked work: the five rules over known tasks and documents, the pre-filled
self-assessment with its evidence links, and a person's override with a reason (audited)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from cchc.par.framework import load_yaml
from cchc.web.accounts.models import AuditEntry, Unit
from cchc.web.documents.models import Document
from cchc.web.par import evidence, services
from cchc.web.par.models import Score
from cchc.web.work.models import Task
from tests.test_par_web import user

FIXTURE = Path(__file__).parent / "fixtures" / "par" / "khung-xa.yaml"
YEAR = 2025


def at(day: date):
    return timezone.make_aware(datetime(day.year, day.month, day.day, 9))


def task(unit, action, deadline, done=None, kind=Task.Kind.TASK, state=Task.State.CONFIRMED,
         document=None):  # fmt: skip
    return Task.objects.create(
        unit=unit, action=action, deadline=deadline, kind=kind, state=state, document=document,
        status=Task.Status.DONE if done else Task.Status.TODO,
        completed_at=at(done) if done else None,
    )  # fmt: skip


def document(n, deadline):
    return Document.objects.create(
        sha256=f"{n:064d}", original=f"x/{n}", original_name=f"vb-{n}.txt",
        content_type="text/plain", size=1, handling_deadline=deadline, number=f"{n}/UBND",
        subject=f"Văn bản {n}",
    )  # fmt: skip


@pytest.fixture
def tracked(deployment):
    unit = Unit.objects.get(name="UBND phường An Lạc")
    late_plan = task(unit, "Ban hành Kế hoạch cải cách hành chính năm 2025",
                     date(YEAR, 1, 15), done=date(YEAR, 1, 20))  # fmt: skip
    for quarter, due in (("quý I", date(YEAR, 3, 15)), ("6 tháng", date(YEAR, 6, 15))):
        task(unit, f"Báo cáo CCHC {quarter}", due, done=due, kind=Task.Kind.REPORT)
    task(unit, "Kiểm tra công tác cải cách hành chính tại các khu phố", date(YEAR, 9, 30),
         done=date(YEAR, 9, 20))  # fmt: skip
    task(unit, "Rà soát thủ tục hành chính", date(YEAR, 2, 1))  # overdue, not done
    task(unit, "Đề xuất chưa giao", date(YEAR, 2, 1), state=Task.State.PROPOSED)  # not work
    on_time, late = document(1, date(YEAR, 5, 10)), document(2, date(YEAR, 5, 10))
    task(unit, "Xử lý văn bản 1", date(YEAR, 5, 10), done=date(YEAR, 5, 9), document=on_time)
    task(unit, "Xử lý văn bản 2", date(YEAR, 5, 10), done=date(YEAR, 5, 20), document=late)
    return unit, late_plan


def test_each_rule_computes_its_fact_from_confirmed_tasks_and_documents(tracked):
    unit, late_plan = tracked
    plan = evidence.plan_on_time(unit, YEAR)
    assert plan.grade == "middle" and "chậm 5 ngày" in plan.note and plan.tasks == [late_plan]
    reports = evidence.reports_on_time(unit, YEAR)
    assert reports.grade == "best" and reports.note.startswith("2 báo cáo đúng hạn")
    rate = evidence.tasks_on_time(unit, YEAR)
    # due: plan (late), 2 reports, inspection, overdue review, 2 handling tasks (1 late) = 7
    assert rate.percent == Decimal("57.1") and rate.note.startswith("4/7")
    assert evidence.inspection_held(unit, YEAR).grade == "best"
    docs = evidence.documents_on_time(unit, YEAR)
    assert docs.percent == 50 and [d.number for d in docs.documents] == ["2/UBND"]
    other = Unit.objects.get(name="UBND xã Phú Mỹ")
    assert evidence.inspection_held(other, YEAR).grade == "worst"
    assert evidence.tasks_on_time(other, YEAR).percent is None


def test_prefill_fills_the_self_assessment_with_values_and_evidence_links(tracked, login):
    unit, late_plan = tracked
    khung = services.import_framework(load_yaml(FIXTURE), user("quantri"))
    a = services.open_assessment(khung, unit, YEAR)
    codes = services.prefill(a, user("anlac"))
    assert codes == ["I.1.1", "I.1.2", "I.2.1", "I.2.2", "I.2.3"]
    got = {s.criterion.code: s.self_points for s in Score.objects.filter(assessment=a)}
    # plan late → "ban hành chậm" 0,5; 57,1% → "dưới 70%" 0; reports all on time → 2;
    # inspection → 1; documents 50% → "dưới 70%" 0
    assert got == {"I.1.1": Decimal("0.5"), "I.1.2": 0, "I.2.1": 2, "I.2.2": 1, "I.2.3": 0}
    plan_score = Score.objects.get(assessment=a, criterion__code="I.1.1")
    assert plan_score.evidence.get(computed=True).task == late_plan
    page = login("anlac").get(f"/chi-so/danh-gia/{a.pk}/").content.decode()
    assert f'href="/cong-viec/{late_plan.pk}/"' in page and "kế hoạch ban hành chậm 5 ngày" in page


def test_a_person_overrides_a_computed_value_only_with_a_reason_and_it_is_audited(tracked):
    unit, _ = tracked
    khung = services.import_framework(load_yaml(FIXTURE), user("quantri"))
    a = services.open_assessment(khung, unit, YEAR)
    services.prefill(a, user("anlac"))
    plan = khung.criteria.get(code="I.1.1")
    with pytest.raises(services.EntryErrors, match="khác kết quả tính"):
        services.save_self_assessment(a, {plan.pk: ("1", "")}, user("anlac"))
    services.save_self_assessment(
        a, {plan.pk: ("1", "")}, user("anlac"),
        overrides={plan.pk: "Kế hoạch ban hành đúng hạn theo văn bản giấy, hệ thống ghi trễ"},
    )  # fmt: skip
    s = Score.objects.get(assessment=a, criterion=plan)
    assert s.self_points == 1 and s.computed_value == Decimal("0.5")
    assert AuditEntry.objects.filter(action="par-override", summary__contains="I.1.1").exists()


def test_prefill_never_overwrites_what_a_person_entered(tracked):
    unit, _ = tracked
    khung = services.import_framework(load_yaml(FIXTURE), user("quantri"))
    a = services.open_assessment(khung, unit, YEAR)
    plan = khung.criteria.get(code="I.1.1")
    services.save_self_assessment(a, {plan.pk: ("0", "")}, user("anlac"))
    services.prefill(a, user("anlac"))
    s = Score.objects.get(assessment=a, criterion=plan)
    assert s.self_points == 0 and s.computed_value == Decimal("0.5")


def test_the_demo_prefills_the_2026_commune_assessment_from_its_work(deployment):
    from cchc.web.demo import create_par
    from cchc.web.par.models import Assessment

    create_par()
    draft = Assessment.objects.get(framework__year=2026, unit__name="UBND phường An Lạc")
    assert draft.status == Assessment.Status.DRAFT
    computed = draft.scores.exclude(computed_note="")
    assert computed.count() == 5
    assert Assessment.objects.filter(status=Assessment.Status.PUBLISHED, year=2025).exists()
