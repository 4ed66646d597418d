"""The sociological survey (điều tra xã hội học): questionnaires, one-time codes answered once,
weighted results, and applying them to the criteria assessed by survey."""

from __future__ import annotations

import csv
import io
import threading
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.test import Client

from cchc.par import framework as core
from cchc.web.accounts.models import AuditEntry, Unit
from cchc.web.par import services as par
from cchc.web.par.models import Assessment, Score
from cchc.web.survey import services
from cchc.web.survey.models import AccessCode, Answer, Reply, SurveyRound

UNIT = "UBND phường An Lạc"


def _user(name: str):
    return get_user_model().objects.get(username=name)


def _framework_data(survey: bool = True) -> core.Framework:
    how = "survey" if survey else "appraisal"
    children = [
        core.Criterion("I.1", "Ban hành kế hoạch CCHC năm", Decimal(1)),
        core.Criterion(
            "I.2", "Hài lòng về tiếp nhận hồ sơ", Decimal(2), scoring="ratio", method=how
        ),
        core.Criterion("I.3", "Hài lòng về thái độ công chức", Decimal(2), method=how),
    ]
    area = core.Criterion("I", "Cải cách thủ tục hành chính", Decimal(5), children=children)
    return core.Framework(
        f"Bộ tiêu chí khảo sát (thử{'' if survey else ', không khảo sát'})",
        2026,
        "xa",
        "kiểm thử",
        [area],
    )


@pytest.fixture
def world(deployment):
    admin = _user("quantri")
    stored = par.import_framework(_framework_data(), admin)
    unit = Unit.objects.get(name=UNIT)
    assessment = par.open_assessment(stored, unit, 2026)
    survey = services.create_round(stored, unit, 2026, "nguoi-dan", admin)
    return {
        "admin": admin,
        "framework": stored,
        "unit": unit,
        "assessment": assessment,
        "round": survey,
    }


def _questions(survey: SurveyRound) -> dict[str, int]:
    """Question id by criterion code ("" for the comment)."""
    return {
        (q.criterion.code if q.criterion else ""): q.pk
        for q in survey.questions.select_related("criterion")
    }


def _answer(survey: SurveyRound, code: str, i2: str, i3: str, comment: str = "") -> Reply:
    q = _questions(survey)
    return services.submit(code, {f"q-{q['I.2']}": i2, f"q-{q['I.3']}": i3, f"q-{q['']}": comment})


def _answered(world, pairs: list[tuple[str, str]]) -> list[str]:
    codes = services.generate_codes(world["round"], len(pairs) + 2, world["admin"])
    for code, (i2, i3) in zip(codes, pairs, strict=False):
        _answer(world["round"], code, i2, i3)
    return codes


# --- questionnaire and codes ----------------------------------------------------------------


def test_a_round_asks_one_weighted_question_per_survey_criterion(world):
    questions = list(world["round"].questions.select_related("criterion"))
    assert [q.criterion.code if q.criterion else None for q in questions] == ["I.2", "I.3", None]
    graded = questions[0]
    assert [(o["key"], o["weight"]) for o in graded.options] == [
        ("A", "100"),
        ("B", "60"),
        ("C", "20"),
        ("D", "0"),
    ]
    assert questions[-1].is_comment and not questions[-1].required


def test_a_framework_without_survey_criteria_gets_no_round(deployment):
    stored = par.import_framework(_framework_data(survey=False), _user("quantri"))
    unit = Unit.objects.get(name=UNIT)
    with pytest.raises(services.SurveyError, match="không có tiêu chí nào chấm bằng điều tra"):
        services.create_round(stored, unit, 2026, "nguoi-dan", _user("quantri"))


def test_the_same_round_twice_is_refused(world):
    with pytest.raises(services.SurveyError, match="Đã có đợt khảo sát"):
        services.create_round(world["framework"], world["unit"], 2026, "nguoi-dan", None)


def test_codes_are_unique_printable_and_unambiguous(world):
    codes = services.generate_codes(world["round"], 500, world["admin"])
    assert len(set(codes)) == 500 == AccessCode.objects.filter(round=world["round"]).count()
    for code in codes:
        assert len(code) == 8
        assert not set(code) & set("01IOL")
        assert set(code) <= set(services.ALPHABET)
    assert AuditEntry.objects.filter(action="survey-codes").exists()
    with pytest.raises(services.SurveyError, match="từ 1 đến"):
        services.generate_codes(world["round"], services.MAX_CODES + 1, world["admin"])


def test_a_code_is_read_as_people_type_it(world):
    code = services.generate_codes(world["round"], 1, world["admin"])[0]
    typed = f" {code[:4].lower()}-{code[4:]} "
    assert services.normalize_code(typed) == code
    assert services.find_code(typed).code == code
    assert services.normalize_code("ABC") is None
    assert services.normalize_code("ABCDEFG0") is None  # 0 is never in a code


def test_options_are_typed_as_label_and_weight_lines():
    parsed = services.parse_options("Rất tốt = 100\nTốt = 75%\n\nChưa tốt = 0")
    assert [(o["key"], o["label"], o["weight"]) for o in parsed] == [
        ("A", "Rất tốt", "100"),
        ("B", "Tốt", "75"),
        ("C", "Chưa tốt", "0"),
    ]
    with pytest.raises(services.SurveyError, match="Dòng 2"):
        services.parse_options("Tốt = 100\nKém = 120")
    with pytest.raises(services.SurveyError, match="Dòng 1"):
        services.parse_options("Tốt\nKém = 0")
    with pytest.raises(services.SurveyError, match="từ 2 đến"):
        services.parse_options("Tốt = 100")


def test_questions_change_only_before_the_first_reply(world):
    survey = world["round"]
    question = survey.questions.exclude(criterion=None).first()
    services.update_question(question, "Mức hài lòng?", "Hài lòng = 100\nKhông = 0", None)
    question.refresh_from_db()
    assert [o["weight"] for o in question.options] == ["100", "0"]
    code = services.generate_codes(survey, 1, None)[0]
    q = _questions(survey)
    services.submit(code, {f"q-{q['I.2']}": "A", f"q-{q['I.3']}": "B"})
    with pytest.raises(services.SurveyError, match="đã có phiếu trả lời"):
        services.update_question(question, "Khác", "A = 1\nB = 0", None)


# --- replies ---------------------------------------------------------------------------------


def test_a_code_answers_exactly_once(world):
    code = services.generate_codes(world["round"], 1, world["admin"])[0]
    reply = _answer(world["round"], code, "A", "B", "Tốt")
    assert {(a.option, a.text) for a in reply.answers.all()} == {("A", ""), ("B", ""), ("", "Tốt")}
    assert AccessCode.objects.get(code=code).used_at is not None
    with pytest.raises(services.UsedCode, match="đã được dùng"):
        _answer(world["round"], code, "D", "D")
    assert Reply.objects.count() == 1 and Answer.objects.count() == 3


def test_two_posts_racing_with_one_code_count_once(world, monkeypatch):
    """Both posts read the code as unused before either stores its reply: the conditional
    UPDATE lets only the first through."""
    code = services.generate_codes(world["round"], 1, world["admin"])[0]
    stale = services.find_code(code)  # what the second post read, before the first stored
    _answer(world["round"], code, "A", "A")
    monkeypatch.setattr(services, "find_code", lambda text: stale)
    with pytest.raises(services.UsedCode):
        _answer(world["round"], code, "D", "D")
    assert Reply.objects.filter(code__code=code).count() == 1
    assert set(Answer.objects.values_list("option", flat=True)) == {"A"}


@pytest.mark.django_db(transaction=True)
def test_two_threads_posting_one_code_at_once_store_one_reply(transactional_db, world):
    """Two respondents' posts of the same code at the same moment, each on its own database
    connection: one reply is stored, the other is told the code was used."""
    code = services.generate_codes(world["round"], 1, world["admin"])[0]
    q = _questions(world["round"])
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def post(choice: str) -> None:
        try:
            start.wait(5)
            services.submit(code, {f"q-{q['I.2']}": choice, f"q-{q['I.3']}": choice})
            outcomes.append("stored")
        except services.UsedCode:
            outcomes.append("used")
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(c,)) for c in "AD"]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcomes) == ["stored", "used"]
    assert Reply.objects.filter(code__code=code).count() == 1
    assert len(set(Answer.objects.values_list("option", flat=True))) == 1  # one post's answers


def test_the_database_refuses_a_second_reply_for_a_code(world):
    code = services.generate_codes(world["round"], 1, world["admin"])[0]
    _answer(world["round"], code, "A", "A")
    stored = AccessCode.objects.get(code=code)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reply.objects.create(round=world["round"], code=stored)


def test_an_unknown_code_is_refused(world):
    with pytest.raises(services.UnknownCode, match="không đúng"):
        services.submit("ABCDEFGH", {})
    with pytest.raises(services.UnknownCode):
        services.submit("<script>", {})


def test_answers_are_checked_and_nothing_is_stored_when_one_is_wrong(world):
    code = services.generate_codes(world["round"], 1, world["admin"])[0]
    q = _questions(world["round"])
    cases = [
        ({f"q-{q['I.2']}": "E", f"q-{q['I.3']}": "A"}, q["I.2"], "không có trong phiếu"),
        ({f"q-{q['I.2']}": "A"}, q["I.3"], "xin chọn một phương án"),
        (
            {f"q-{q['I.2']}": "A", f"q-{q['I.3']}": "A", f"q-{q['']}": "x" * 1001},
            q[""],
            "dài quá 1000",
        ),
    ]
    for data, wrong, words in cases:
        with pytest.raises(services.AnswerErrors) as caught:
            services.submit(code, data)
        assert list(caught.value.by_question) == [wrong]
        assert words in caught.value.by_question[wrong]
    assert Reply.objects.count() == 0 and AccessCode.objects.get(code=code).used_at is None


def test_a_closed_round_takes_no_replies(world):
    code = services.generate_codes(world["round"], 1, world["admin"])[0]
    services.set_status(world["round"], "closed", world["admin"])
    with pytest.raises(services.ClosedRound, match="đã kết thúc"):
        _answer(world["round"], code, "A", "A")


# --- results ---------------------------------------------------------------------------------


def test_weights_give_the_distribution_mean_and_points(world):
    # I.2 (ratio, max 2): A, B, D = 100, 60, 0 → 53.33 % → 2 × 53.33 % = 1.0666 → 1.07
    # I.3 (points, max 2): A, A, C = 100, 100, 20 → 73.33 % → 1.4666 → 1.47
    _answered(world, [("A", "A"), ("B", "A"), ("D", "C")])
    by_code = {
        r.criterion.code: r
        for r in services.criterion_results(world["framework"], world["unit"], 2026)
    }
    assert by_code["I.2"].weighted == Decimal("53.33") and by_code["I.2"].points == Decimal("1.07")
    assert by_code["I.3"].weighted == Decimal("73.33") and by_code["I.3"].points == Decimal("1.47")
    assert by_code["I.2"].replies == 3 and by_code["I.2"].answers == 3
    first = services.round_results(world["round"])[0]
    assert [(o["key"], n) for o, n in first.counts] == [("A", 1), ("B", 1), ("C", 0), ("D", 1)]
    assert first.weighted == Decimal("53.33") and first.answered == 3


def test_results_count_every_group_of_the_unit_and_year(world):
    _answered(world, [("A", "A")])
    staff = services.create_round(world["framework"], world["unit"], 2026, "cong-chuc", None)
    code = services.generate_codes(staff, 1, None)[0]
    _answer(staff, code, "C", "C")
    by_code = {
        r.criterion.code: r
        for r in services.criterion_results(world["framework"], world["unit"], 2026)
    }
    assert by_code["I.2"].weighted == Decimal(60) and by_code["I.2"].replies == 2  # (100+20)/2


# --- applying results ------------------------------------------------------------------------


def test_applying_results_moves_the_survey_scores_and_the_totals(world):
    assessment = world["assessment"]
    leaf = assessment.framework.criteria.get(code="I.1")
    par.save_self_assessment(assessment, {leaf.pk: (Decimal(1), "")}, world["admin"])
    _answered(world, [("A", "A"), ("B", "A"), ("D", "C")])
    services.apply_results(world["round"], world["admin"])
    assessment.refresh_from_db()
    scores = {s.criterion.code: s for s in assessment.scores.select_related("criterion")}
    assert scores["I.2"].self_points == Decimal("1.07")
    assert scores["I.2"].computed_value == Decimal("53.33")  # a ratio kept as its percent
    assert "Từ 3 phiếu khảo sát" in scores["I.2"].computed_note
    assert scores["I.3"].self_points == Decimal("1.47")
    assert scores["I.2"].appraised_points is None  # a draft: the council has not appraised
    assert assessment.self_total == Decimal("3.54")  # 1 + 1.07 + 1.47
    entry = AuditEntry.objects.get(action="survey-apply")
    assert "I.2: 1.07 điểm" in entry.summary


def test_applying_after_submission_sets_the_appraised_points(world):
    assessment = world["assessment"]
    _answered(world, [("A", "B")])
    par.advance(assessment, "submit", world["admin"], confirm_incomplete=True)
    services.apply_results(world["round"], world["admin"])
    assessment.refresh_from_db()
    score = assessment.scores.get(criterion__code="I.3")
    assert score.appraised_points == Decimal("1.2") == score.self_points
    assert score.round1_points == Decimal("1.2")  # the round-1 decision the unit is sent
    assert assessment.final_total == Decimal("3.2")  # 2 + 1.2


@pytest.mark.parametrize("status", ["round1", "explained", "locked", "published"])
def test_applying_is_refused_once_round_1_went_to_the_unit(world, status):
    _answered(world, [("A", "A")])
    Assessment.objects.filter(pk=world["assessment"].pk).update(status=status)
    with pytest.raises(services.SurveyError, match="không ghi kết quả khảo sát vào được"):
        services.apply_results(world["round"], world["admin"])
    assert not Score.objects.filter(assessment=world["assessment"]).exists()


def test_applying_needs_an_assessment_and_answers(world):
    with pytest.raises(services.SurveyError, match="Chưa có phiếu trả lời"):
        services.apply_results(world["round"], world["admin"])
    other = Unit.objects.get(name="Sở Nội vụ")
    lone = services.create_round(world["framework"], other, 2026, "lanh-dao", None)
    with pytest.raises(services.SurveyError, match="Chưa mở bản đánh giá"):
        services.apply_results(lone, world["admin"])


# --- pages -----------------------------------------------------------------------------------


def _csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


def _post_form(client: Client, url: str, data: dict):
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url, {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})


def test_anyone_answers_with_a_code_and_no_account(world):
    code = services.generate_codes(world["round"], 1, world["admin"])[0]
    client = _csrf_client()
    start = client.get("/khao-sat/")
    assert start.status_code == 200 and "Nhập mã" in start.content.decode()
    assert client.get(f"/khao-sat/?ma={code.lower()}")["Location"] == f"/khao-sat/{code}/"
    q = _questions(world["round"])
    page = client.get(f"/khao-sat/{code}/").content.decode()
    assert UNIT in page and f'name="q-{q["I.2"]}"' in page
    answer = _post_form(client, f"/khao-sat/{code}/", {f"q-{q['I.2']}": "A", f"q-{q['I.3']}": "B"})
    assert answer.status_code == 302 and answer["Location"] == "/khao-sat/"
    assert "Phiếu đã được ghi nhận" in client.get("/khao-sat/").content.decode()
    again = client.get(f"/khao-sat/{code}/")
    assert again.status_code == 409 and "đã được dùng" in again.content.decode()
    assert Reply.objects.count() == 1


def test_the_second_of_two_posts_with_one_code_is_told_it_was_used(world):
    code = services.generate_codes(world["round"], 1, world["admin"])[0]
    q = _questions(world["round"])
    data = {f"q-{q['I.2']}": "A", f"q-{q['I.3']}": "A"}
    first, second = Client(), Client()
    assert first.get(f"/khao-sat/{code}/").status_code == 200
    assert second.get(f"/khao-sat/{code}/").status_code == 200  # both hold the form
    assert first.post(f"/khao-sat/{code}/", data).status_code == 302
    late = second.post(f"/khao-sat/{code}/", {**data, f"q-{q['I.2']}": "D"})
    assert late.status_code == 409 and "đã được dùng" in late.content.decode()
    assert list(Answer.objects.values_list("option", flat=True)) == ["A", "A"]


def test_a_post_without_the_csrf_token_is_refused(world):
    code = services.generate_codes(world["round"], 1, world["admin"])[0]
    q = _questions(world["round"])
    answer = _csrf_client().post(f"/khao-sat/{code}/", {f"q-{q['I.2']}": "A", f"q-{q['I.3']}": "A"})
    assert answer.status_code == 403 and not Reply.objects.exists()


def test_wrong_answers_are_marked_and_the_others_kept(world):
    code = services.generate_codes(world["round"], 1, world["admin"])[0]
    q = _questions(world["round"])
    answer = Client().post(f"/khao-sat/{code}/", {f"q-{q['I.2']}": "B", f"q-{q['I.3']}": "Z"})
    page = answer.content.decode()
    assert answer.status_code == 400 and "không có trong phiếu" in page
    assert 'value="B" checked' in page  # the valid answer stays chosen
    assert not Reply.objects.exists()


def test_unknown_and_oversized_input_is_refused(world):
    code = services.generate_codes(world["round"], 1, world["admin"])[0]
    client = Client()
    unknown = client.get("/khao-sat/ABCDEFGH/")
    assert unknown.status_code == 404 and "không đúng" in unknown.content.decode()
    assert client.get("/khao-sat/abc/").status_code == 404
    q = _questions(world["round"])
    huge = client.post(f"/khao-sat/{code}/", {f"q-{q['']}": "x" * (services.MAX_POST_BYTES + 10)})
    assert huge.status_code == 413
    strange = client.post(f"/khao-sat/{code}/", {f"x{n}": "1" for n in range(20)})
    assert strange.status_code == 400
    assert not Reply.objects.exists() and AccessCode.objects.get(code=code).used_at is None


@pytest.mark.parametrize("username", ["anlac", "noivu", "truongnv", "vanthu", "xem"])
def test_only_the_council_runs_surveys(world, login, username):
    client = login(username)
    survey = world["round"]
    for url in (
        "/chi-so/khao-sat/",
        f"/chi-so/khao-sat/{survey.pk}/",
        f"/chi-so/khao-sat/{survey.pk}/ma/",
    ):
        assert client.get(url).status_code == 403, url
    before = AccessCode.objects.count()
    assert (
        client.post(f"/chi-so/khao-sat/{survey.pk}/", {"action": "codes", "count": "3"}).status_code
        == 403
    )
    assert AccessCode.objects.count() == before


def test_anonymous_is_sent_to_log_in_for_council_pages(world):
    answer = Client().get(f"/chi-so/khao-sat/{world['round'].pk}/")
    assert answer.status_code == 302 and answer["Location"].startswith("/dang-nhap/")


def test_the_council_makes_codes_downloads_them_and_applies_results(world, login):
    client = login("lanhdao")
    survey = world["round"]
    made = client.post(f"/chi-so/khao-sat/{survey.pk}/", {"action": "codes", "count": "4"})
    assert made.status_code == 302
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"/chi-so/khao-sat/{survey.pk}/ma/?dinh-dang=csv").content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert rows[0] == ["ma", "da_dung", "duong_dan"] and len(rows) == 5
    codes = [r[0] for r in rows[1:]]
    assert set(codes) == set(AccessCode.objects.values_list("code", flat=True))
    printed = client.get(f"/chi-so/khao-sat/{survey.pk}/ma/?chua-dung=1").content.decode()
    assert all(c in printed for c in codes)
    _answer(survey, codes[0], "A", "A")
    page = client.get(f"/chi-so/khao-sat/{survey.pk}/").content.decode()
    assert "Áp dụng kết quả khảo sát" in page and codes[0] not in page
    applied = client.post(f"/chi-so/khao-sat/{survey.pk}/", {"action": "apply"}, follow=True)
    assert "Đã áp dụng kết quả khảo sát" in applied.content.decode()
    assert world["assessment"].scores.get(criterion__code="I.2").self_points == Decimal(2)
    Assessment.objects.filter(pk=world["assessment"].pk).update(status="published")
    refused = client.post(f"/chi-so/khao-sat/{survey.pk}/", {"action": "apply"}, follow=True)
    assert "không ghi kết quả khảo sát vào được" in refused.content.decode()


def test_the_council_opens_a_round_from_the_page(world, login):
    client = login("quantri")
    answer = client.post(
        "/chi-so/khao-sat/",
        {
            "framework": world["framework"].pk,
            "unit": world["unit"].pk,
            "year": "2026",
            "group": "lanh-dao",
        },
    )
    made = SurveyRound.objects.get(group="lanh-dao")
    assert answer["Location"] == f"/chi-so/khao-sat/{made.pk}/"
    assert client.post("/chi-so/khao-sat/", {"framework": "x²"}).status_code == 400


# --- demo ------------------------------------------------------------------------------------


def test_the_demo_survey_answers_some_codes_of_the_commune_framework(deployment):
    from cchc.par.framework import shipped
    from cchc.web.survey.demo import ANSWERED, CODES, load_demo

    stored = par.import_framework(shipped()["minh-hoa-xa-2026"], _user("quantri"))
    draft = par.open_assessment(stored, Unit.objects.get(name=UNIT), 2026)
    survey = load_demo(draft, _user("quantri"))
    assert survey.codes.count() == CODES and survey.replies.count() == ANSWERED
    assert load_demo(draft, _user("quantri")) is None  # once
    results = services.criterion_results(stored, draft.unit, 2026)
    assert [r.criterion.code for r in results] == ["II.1.3"] and results[0].replies == ANSWERED


def test_a_criterion_scored_by_bands_takes_the_band_of_the_mean():
    from cchc.web.par.models import Criterion

    _kind, items = core.parse_rule("trên 90%: 2; từ 70% đến 90%: 1; dưới 70%: 0")
    row = Criterion(
        code="X",
        name="Hài lòng",
        max_points=Decimal(2),
        scoring="bands",
        rule=[par._rule_json(i) for i in items],
    )
    assert services.criterion_points(row, Decimal("80")) == 1
    assert services.criterion_points(row, Decimal("95")) == 2
    assert services.criterion_points(row, Decimal("100") / 3) == 0


def test_the_council_edits_a_question_and_its_weights_on_the_page(world, login):
    client = login("lanhdao")
    survey = world["round"]
    question = survey.questions.exclude(criterion=None).first()
    url = f"/chi-so/khao-sat/{survey.pk}/"
    client.post(
        url,
        {
            "action": "question",
            "question": question.pk,
            "text": "Ông/bà hài lòng không?",
            "options": "Hài lòng = 100\nBình thường = 50\nKhông = 0",
        },
    )
    question.refresh_from_db()
    assert question.text == "Ông/bà hài lòng không?"
    assert [o["weight"] for o in question.options] == ["100", "50", "0"]
    bad = client.post(
        url,
        {
            "action": "question",
            "question": question.pk,
            "text": "x",
            "options": "Tốt = 200\nKém = 0",
        },
        follow=True,
    )
    assert "trọng số phải là số từ 0 đến 100" in bad.content.decode()
    assert client.post(url, {"action": "question", "question": "abc"}).status_code == 400


# --- the self-assessment leaves survey criteria to the survey --------------------------------


def test_a_unit_cannot_score_a_survey_criterion_through_the_form(world, login):
    assessment, framework = world["assessment"], world["framework"]
    survey_row = framework.criteria.get(code="I.2")
    client = login("lanhdao")
    answer = client.post(
        f"/chi-so/danh-gia/{assessment.pk}/",
        {"action": "self", f"value-{survey_row.pk}": "90", f"note-{survey_row.pk}": ""},
    )
    assert answer.status_code == 302
    assert not assessment.scores.filter(criterion=survey_row, self_points__isnull=False).exists()


def test_the_self_assessment_form_shows_survey_points_without_an_input(world, login):
    _answered(world, [("A", "B")])
    services.apply_results(world["round"], world["admin"])
    survey_row = world["framework"].criteria.get(code="I.2")
    page = login("lanhdao").get(f"/chi-so/danh-gia/{world['assessment'].pk}/").content.decode()
    assert f'name="value-{survey_row.pk}"' not in page
    assert "điểm lấy từ kết quả khảo sát" in page and "Từ 1 phiếu khảo sát" in page
