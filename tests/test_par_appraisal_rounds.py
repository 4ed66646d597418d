"""The appraisal cycle after submission: round 1, the unit's giải trình with new evidence,
round 2 on what was explained, chốt điểm (locked), mở lại only with a reason, công bố; each step
for its role and state only, audited; round 1's decision kept after round 2; only locked and
published results ranked."""

from __future__ import annotations

import importlib
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.par.framework import shipped
from cchc.web.accounts.models import AuditEntry, Unit
from cchc.web.par import services, views
from cchc.web.par.models import Assessment, Score, ScoreEvidence
from cchc.web.work.models import Notification
from tests.test_par_web import fill, user

S = Assessment.Status


@pytest.fixture
def sample(deployment):
    data = next(f for f in shipped().values() if "minh họa" in f.name)
    data.level = "xa"
    return services.import_framework(data, user("quantri"))


def points_leaves(framework, n=2):
    return list(
        framework.criteria.filter(is_leaf=True, scoring="points", max_points__gte=2).order_by(
            "order"
        )[:n]
    )


def submitted(framework, unit="UBND phường An Lạc", year=2026) -> Assessment:
    a = services.open_assessment(framework, Unit.objects.get(name=unit), year)
    fill(a, 1.0)  # claims every maximum
    services.advance(a, "submit", user("anlac") if "An Lạc" in unit else user("lanhdao"))
    return a


def round_one(framework, cut=2) -> tuple[Assessment, list]:
    """Submitted, round 1 finished with `cut` criteria reduced to 1 point."""
    a = submitted(framework)
    leaves = points_leaves(framework, cut)
    services.save_appraisal(
        a, {c.pk: (Decimal(1), "Thiếu biên bản kiểm tra") for c in leaves}, user("lanhdao")
    )
    services.advance(a, "appraise", user("lanhdao"))
    return a, leaves


def explained(framework) -> tuple[Assessment, list]:
    """Round 1 cut two criteria; the unit explained the first and sent its giải trình."""
    a, leaves = round_one(framework)
    services.save_explanations(
        a, {leaves[0].pk: "Biên bản kiểm tra số 12/BB ngày 10/10 đã có, gửi bổ sung"}, user("anlac")
    )
    services.advance(a, "explain", user("anlac"))
    return a, leaves


def actions(a: Assessment) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type="assessment", object_id=str(a.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_the_full_cycle_keeps_round_one_after_round_two_and_audits_every_step(sample):
    a, (disputed, accepted) = explained(sample)
    assert a.status == S.EXPLAINED and not a.accepted_round1
    services.save_appraisal(
        a, {disputed.pk: (Decimal(2), "Đã có biên bản, chấp nhận giải trình")}, user("lanhdao")
    )
    services.advance(a, "lock", user("lanhdao"))
    services.advance(a, "publish", user("lanhdao"))
    a.refresh_from_db()
    assert a.status == S.PUBLISHED and a.locked_by.username == "lanhdao"
    first = Score.objects.get(assessment=a, criterion=disputed)
    assert (first.round1_points, first.round1_reason) == (1, "Thiếu biên bản kiểm tra")
    assert (first.round2_points, first.appraised_points) == (2, 2)
    assert first.appraisal_reason == "Đã có biên bản, chấp nhận giải trình"
    second = Score.objects.get(assessment=a, criterion=accepted)  # not explained: round 1 stays
    assert (second.round1_points, second.round2_points, second.appraised_points) == (1, None, 1)
    assert a.final_total == a.self_total - (disputed.max_points - 2) - (accepted.max_points - 1)
    assert actions(a) == [
        "par-self",
        "par-submit",
        "par-appraise-1",
        "par-appraise",
        "par-explain-save",
        "par-explain",
        "par-appraise-2",
        "par-lock",
        "par-publish",
    ]


def test_finishing_round_one_sends_the_result_to_the_unit_and_giai_trinh_to_the_appraiser(
    sample,
):
    a, _ = round_one(sample)
    to_unit = Notification.objects.get(user=user("anlac"), kind="par-appraise")
    assert "vòng 1" in to_unit.text and to_unit.url.endswith(f"/danh-gia/{a.pk}/")
    services.save_explanations(a, {points_leaves(sample)[0].pk: "Có minh chứng"}, user("anlac"))
    services.advance(a, "explain", user("anlac"))
    assert Notification.objects.filter(user=user("lanhdao"), kind="par-explain").exists()


def test_the_unit_may_accept_round_one_and_the_council_locks_it_without_round_two(sample):
    a, leaves = round_one(sample)
    services.advance(a, "accept", user("anlac"))
    services.advance(a, "lock", user("lanhdao"))
    a.refresh_from_db()
    assert a.status == S.LOCKED and a.accepted_round1
    assert Score.objects.get(assessment=a, criterion=leaves[0]).appraised_points == 1


STATE_OF = {
    "submit": S.DRAFT,
    "withdraw": S.SUBMITTED,
    "reopen": S.SUBMITTED,
    "appraise": S.SUBMITTED,
    "explain": S.ROUND1,
    "accept": S.ROUND1,
    "lock": S.EXPLAINED,
    "unlock": S.LOCKED,
    "publish": S.LOCKED,
}


def test_the_steps_table_is_the_cycle_the_issue_names():
    assert {name: step.source for name, step in services.STEPS.items()} == STATE_OF
    assert services.RESULT_STATES == (S.LOCKED, S.PUBLISHED)


@pytest.mark.parametrize("action", sorted(STATE_OF))
def test_every_step_is_refused_in_any_other_state_with_a_message(sample, action):
    step = services.STEPS[action]
    who = user("lanhdao")  # a leader may take both the unit's and the council's steps
    a = services.open_assessment(sample, Unit.objects.get(name="UBND phường An Lạc"), 2026)
    for status in S.values:
        if status == step.source:
            continue
        Assessment.objects.filter(pk=a.pk).update(status=status)
        a.refresh_from_db()
        with pytest.raises(services.WorkflowError, match=r"Không thể .* khi bản đánh giá đang"):
            services.advance(a, action, who, confirm_incomplete=True, reason="lý do")
        assert Assessment.objects.get(pk=a.pk).status == status


@pytest.mark.parametrize(
    "action, refused",
    [
        ("submit", ["noivu", "xem"]),  # another unit's officer, a viewer
        ("withdraw", ["noivu", "xem"]),
        ("explain", ["noivu", "xem"]),
        ("accept", ["noivu", "xem"]),
        ("reopen", ["anlac", "noivu"]),  # the unit itself is not the council
        ("appraise", ["anlac", "truongnv"]),
        ("lock", ["anlac", "truongnv"]),
        ("unlock", ["anlac", "truongnv"]),
        ("publish", ["anlac", "truongnv"]),
    ],
)
def test_every_step_is_refused_to_the_wrong_role(sample, action, refused):
    a = services.open_assessment(sample, Unit.objects.get(name="UBND phường An Lạc"), 2026)
    Assessment.objects.filter(pk=a.pk).update(status=services.STEPS[action].source)
    a.refresh_from_db()
    for name in refused:
        with pytest.raises(services.NotAllowed, match="Chỉ "):
            services.advance(a, action, user(name), confirm_incomplete=True, reason="lý do")
    assert Assessment.objects.get(pk=a.pk).status == services.STEPS[action].source


def test_entries_are_refused_to_the_wrong_role(sample):
    a = submitted(sample)
    leaf = points_leaves(sample, 1)[0]
    with pytest.raises(services.NotAllowed):
        services.save_appraisal(a, {leaf.pk: (Decimal(0), "tự hạ")}, user("anlac"))
    with pytest.raises(services.NotAllowed):
        services.save_adjustments(a, Decimal(0), "", Decimal(0), "", user("anlac"))
    services.save_appraisal(a, {leaf.pk: (Decimal(1), "Thiếu minh chứng")}, user("lanhdao"))
    services.advance(a, "appraise", user("lanhdao"))
    with pytest.raises(services.NotAllowed):
        services.save_explanations(a, {leaf.pk: "giải trình hộ"}, user("noivu"))
    with pytest.raises(services.NotAllowed):
        services.add_evidence(a, leaf, user("xem"), path="a", name="a.pdf")
    assert Score.objects.get(assessment=a, criterion=leaf).dispute_note == ""


def test_round_two_needs_a_reason_and_nothing_is_saved_when_one_entry_is_wrong(sample):
    a, (disputed, _) = explained(sample)
    with pytest.raises(services.EntryErrors) as refused:
        services.save_appraisal(a, {disputed.pk: (Decimal(2), "  ")}, user("lanhdao"))
    assert disputed.pk in refused.value.by_criterion
    assert "vòng 2 cần ghi lý do" in str(refused.value)
    s = Score.objects.get(assessment=a, criterion=disputed)
    assert (s.round2_points, s.appraised_points) == (None, 1)


def test_round_two_keeps_round_one_on_criteria_the_unit_did_not_explain(sample):
    a, (disputed, accepted) = explained(sample)
    with pytest.raises(services.EntryErrors, match="không giải trình tiêu chí này"):
        services.save_appraisal(
            a,
            {
                disputed.pk: (Decimal(2), "Chấp nhận"),
                accepted.pk: (Decimal(2), "Nâng luôn"),
            },
            user("lanhdao"),
        )
    assert Score.objects.get(assessment=a, criterion=disputed).round2_points is None
    # the same points as round 1 (the form sends every field back) are not a change
    services.save_appraisal(
        a,
        {disputed.pk: (Decimal(2), "Chấp nhận"), accepted.pk: (Decimal(1), "")},
        user("lanhdao"),
    )
    assert Score.objects.get(assessment=a, criterion=accepted).round2_points is None


def test_only_criteria_round_one_cut_can_be_explained(sample):
    a, (disputed, _) = round_one(sample)
    untouched = sample.criteria.filter(is_leaf=True).exclude(
        pk__in=[c.pk for c in points_leaves(sample)]
    )[0]
    with pytest.raises(services.EntryErrors, match="vòng 1 không giảm điểm"):
        services.save_explanations(
            a, {disputed.pk: "Có minh chứng", untouched.pk: "Cũng xin xem lại"}, user("anlac")
        )
    assert Score.objects.get(assessment=a, criterion=disputed).dispute_note == ""
    with pytest.raises(services.WorkflowError, match="không bổ sung minh chứng"):
        services.add_evidence(a, untouched, user("anlac"), path="x/y.pdf", name="y.pdf")


def test_sending_giai_trinh_without_any_explanation_is_refused_and_accept_with_one_too(sample):
    a, (disputed, _) = round_one(sample)
    with pytest.raises(services.WorkflowError, match="Chưa giải trình tiêu chí nào"):
        services.advance(a, "explain", user("anlac"))
    services.save_explanations(a, {disputed.pk: "Có biên bản"}, user("anlac"))
    with pytest.raises(services.WorkflowError, match=f"Đã có giải trình cho {disputed.code}"):
        services.advance(a, "accept", user("anlac"))
    assert Assessment.objects.get(pk=a.pk).status == S.ROUND1


def test_lock_waits_for_round_two_on_every_explained_criterion(sample):
    a, (disputed, _) = explained(sample)
    with pytest.raises(services.WorkflowError, match=f"Chưa thẩm định vòng 2 .*{disputed.code}"):
        services.advance(a, "lock", user("lanhdao"))
    services.save_appraisal(
        a, {disputed.pk: (Decimal(1), "Biên bản không đúng kỳ")}, user("lanhdao")
    )
    services.advance(a, "lock", user("lanhdao"))
    assert Assessment.objects.get(pk=a.pk).status == S.LOCKED


def locked(framework) -> tuple[Assessment, list]:
    a, leaves = round_one(framework)
    services.advance(a, "accept", user("anlac"))
    services.advance(a, "lock", user("lanhdao"))
    return a, leaves


def test_locked_points_refuse_every_edit_by_anyone(sample):
    a, leaves = locked(sample)
    leaf = leaves[0]
    before = list(Score.objects.filter(assessment=a).values_list("self_points", "appraised_points"))
    for who in ("anlac", "lanhdao", "quantri"):
        with pytest.raises(services.WorkflowError, match="Đã chốt điểm"):
            services.save_self_assessment(a, {leaf.pk: (Decimal(0), "")}, user(who))
        with pytest.raises(services.WorkflowError, match="Đã chốt điểm"):
            services.add_evidence(a, leaf, user(who), path="x/y.pdf", name="y.pdf")
        with pytest.raises(services.WorkflowError):
            services.prefill(a, user(who))
    for who in ("lanhdao", "quantri"):
        with pytest.raises(services.WorkflowError, match="Đã chốt điểm"):
            services.save_appraisal(a, {leaf.pk: (Decimal(2), "sửa sau chốt")}, user(who))
        with pytest.raises(services.WorkflowError, match="Đã chốt điểm"):
            services.save_adjustments(a, Decimal(0), "", Decimal(1), "sai phạm", user(who))
    with pytest.raises(services.WorkflowError, match="Đã chốt điểm"):
        services.save_explanations(a, {leaf.pk: "xin xem lại"}, user("anlac"))
    assert (
        list(Score.objects.filter(assessment=a).values_list("self_points", "appraised_points"))
        == before
    )
    assert not ScoreEvidence.objects.filter(score__assessment=a).exists()


def test_reopening_a_locked_result_needs_a_reason_is_audited_and_returns_to_round_two(sample):
    a, _ = locked(sample)
    with pytest.raises(services.WorkflowError, match="cần ghi lý do"):
        services.advance(a, "unlock", user("lanhdao"), reason="   ")
    assert Assessment.objects.get(pk=a.pk).status == S.LOCKED
    services.advance(a, "unlock", user("lanhdao"), reason="Đơn vị phát hiện nhầm số liệu")
    a.refresh_from_db()
    assert a.status == S.EXPLAINED and a.reopen_reason == "Đơn vị phát hiện nhầm số liệu"
    assert a.locked_at is None
    entry = AuditEntry.objects.get(action="par-unlock", object_id=str(a.pk))
    assert "Đơn vị phát hiện nhầm số liệu" in entry.summary and entry.user.username == "lanhdao"
    assert Notification.objects.filter(user=user("anlac"), kind="par-unlock").exists()
    assert services.ranking(sample, 2026) == []  # reopened: no longer a result


def test_rankings_trends_and_the_overview_count_only_locked_and_published(sample, login):
    units = ["UBND phường An Lạc", "UBND xã Phú Mỹ"]
    a = submitted(sample, units[0])
    b = submitted(sample, units[1])
    for x in (a, b):
        services.advance(x, "appraise", user("lanhdao"))
    assert services.ranking(sample, 2026) == []  # round 1 done: not final
    services.advance(a, "accept", user("anlac"))
    assert services.ranking(sample, 2026) == []  # waiting for round 2
    services.advance(a, "lock", user("lanhdao"))
    assert [r.assessment.pk for r in services.ranking(sample, 2026)] == [a.pk]
    years, _ = views._trend_series(Unit.objects.get(name=units[1]))
    assert years == []
    services.advance(b, "accept", user("lanhdao"))
    services.advance(b, "lock", user("lanhdao"))
    services.advance(b, "publish", user("lanhdao"))
    assert {r.assessment.pk for r in services.ranking(sample, 2026)} == {a.pk, b.pk}
    assert [r.assessment.pk for r in services.ranking(sample, 2026, published_only=True)] == [b.pk]


def test_results_appraised_before_the_two_rounds_become_locked_and_keep_ranking(sample):
    """The data migration: the old final state 'appraised' is 'locked' now, and what the
    council decided is round 1's decision in the history."""
    migration = importlib.import_module("cchc.web.par.migrations.0003_appraisal_rounds")
    a = submitted(sample)
    leaf = points_leaves(sample, 1)[0]
    Score.objects.filter(assessment=a, criterion=leaf).update(
        appraised_points=Decimal(1), appraisal_reason="Thiếu minh chứng"
    )
    Assessment.objects.filter(pk=a.pk).update(status="appraised")
    migration.appraised_to_locked(apps, None)
    a.refresh_from_db()
    assert a.status == S.LOCKED
    s = Score.objects.get(assessment=a, criterion=leaf)
    assert (s.round1_points, s.round1_reason) == (1, "Thiếu minh chứng")
    assert [r.assessment.pk for r in services.ranking(sample, 2026)] == [a.pk]


# --- the page -------------------------------------------------------------------------------


def test_the_page_shows_round_one_beside_the_explanation_and_round_two(sample, login):
    a, (disputed, accepted) = explained(sample)
    page = login("lanhdao").get(f"/chi-so/danh-gia/{a.pk}/").content.decode()
    assert "sau thẩm định vòng 1" in page and 'id="rank"' not in page
    assert "Thiếu biên bản kiểm tra" in page and "Biên bản kiểm tra số 12/BB" in page
    assert f'name="appraised-{disputed.pk}"' in page  # round 2 only on what was explained
    assert f'name="appraised-{accepted.pk}"' not in page
    assert 'value="lock"' in page


def test_a_wrong_role_gets_403_from_the_page(sample, login):
    a, _ = round_one(sample)
    assert login("noivu").post(f"/chi-so/danh-gia/{a.pk}/", {"action": "accept"}).status_code == 403
    services.advance(a, "accept", user("anlac"))
    client = login("anlac")
    assert client.post(f"/chi-so/danh-gia/{a.pk}/", {"action": "lock"}).status_code == 403
    assert Assessment.objects.get(pk=a.pk).status == S.EXPLAINED


def test_a_round_two_error_keeps_everything_typed_and_marks_the_field(sample, login):
    a, (disputed, _) = explained(sample)
    answer = login("lanhdao").post(
        f"/chi-so/danh-gia/{a.pk}/",
        {
            "action": "appraise-scores",
            f"appraised-{disputed.pk}": "2",
            f"reason-{disputed.pk}": "",
            "bonus": "0",
            "penalty": "0,5",
            "penalty_reason": "Chậm báo cáo quý",
        },
    )
    text = answer.content.decode()
    assert answer.status_code == 400
    assert f'id="error-{disputed.pk}"' in text and "vòng 2 cần ghi lý do" in text
    assert re.search(rf'name="appraised-{disputed.pk}" value="2"', text)
    assert 'value="Chậm báo cáo quý"' in text and 'value="0,5"' in text
    a.refresh_from_db()
    assert a.penalty == 0  # nothing half-saved


def test_giai_trinh_with_a_file_is_kept_on_error_and_saved_then(sample, login):
    a, (disputed, accepted) = round_one(sample)
    untouched = sample.criteria.filter(is_leaf=True, scoring="points").exclude(
        pk__in=[disputed.pk, accepted.pk]
    )[0]
    client = login("anlac")
    page = client.get(f"/chi-so/danh-gia/{a.pk}/").content.decode()
    assert f'name="dispute-{disputed.pk}"' in page and f'name="dispute-{untouched.pk}"' not in page
    answer = client.post(
        f"/chi-so/danh-gia/{a.pk}/",
        {
            "action": "explain",
            f"dispute-{disputed.pk}": "Biên bản đã có, gửi kèm",
            f"disputefiles-{disputed.pk}": SimpleUploadedFile("bien-ban-12.pdf", b"%PDF-1.4 x"),
            f"dispute-{untouched.pk}": "forged field",  # not cut by round 1: refused
        },
    )
    text = answer.content.decode()
    assert answer.status_code == 400 and "vòng 1 không giảm điểm" in text
    assert "Biên bản đã có, gửi kèm" in text and "giữ lại: bien-ban-12.pdf" in text
    assert Assessment.objects.get(pk=a.pk).status == S.ROUND1
    assert not ScoreEvidence.objects.filter(score__assessment=a).exists()
    token = re.search(rf'name="disputekept-{disputed.pk}" value="([^"]+)"', text).group(1)
    client.post(
        f"/chi-so/danh-gia/{a.pk}/",
        {
            "action": "explain",
            f"dispute-{disputed.pk}": "Biên bản đã có, gửi kèm",
            f"disputekept-{disputed.pk}": token,
        },
    )
    a.refresh_from_db()
    assert a.status == S.EXPLAINED
    evidence = ScoreEvidence.objects.get(score__assessment=a)
    assert (evidence.name, evidence.stage) == ("bien-ban-12.pdf", "dispute")


def test_unlock_without_a_reason_on_the_page_says_so(sample, login):
    a, _ = locked(sample)
    client = login("lanhdao")
    answer = client.post(f"/chi-so/danh-gia/{a.pk}/", {"action": "unlock"}, follow=True)
    assert "cần ghi lý do" in answer.content.decode()
    assert Assessment.objects.get(pk=a.pk).status == S.LOCKED
    answer = client.post(f"/chi-so/danh-gia/{a.pk}/", {"action": "lock"}, follow=True)
    assert "Không thể “chốt điểm”" in answer.content.decode()
