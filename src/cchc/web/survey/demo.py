"""The demo's survey: one round of citizens' questionnaires about the draft assessment the demo
leaves for a phường (the 2026 commune framework has a criterion assessed by survey), with
codes handed out and some answered (answers invented from a fixed seed, labelled so)."""

from __future__ import annotations

from random import Random

from cchc.web.par.models import Assessment
from cchc.web.survey import services
from cchc.web.survey.models import Group, SurveyRound

CODES = 40
ANSWERED = 15
# how often the invented respondents choose A, B, C, D
SPREAD = (45, 35, 15, 5)


def load_demo(assessment: Assessment, user) -> SurveyRound | None:
    """A round for `assessment`'s unit and year if its framework has survey criteria (None
    otherwise, or when a round exists already): codes, some replies; results not applied."""
    stored = assessment.framework
    if not services.survey_criteria(stored):
        return None
    if SurveyRound.objects.filter(
        framework=stored, unit=assessment.unit, year=assessment.year
    ).exists():
        return None
    survey = services.create_round(stored, assessment.unit, assessment.year, Group.PUBLIC, user)
    codes = services.generate_codes(survey, CODES, user)
    random = Random(2026)
    questions = list(survey.questions.all())
    for code in codes[:ANSWERED]:
        data = {}
        for q in questions:
            if q.is_comment:
                if random.random() < 0.3:
                    data[f"q-{q.pk}"] = "Cán bộ tiếp nhận nhiệt tình (ý kiến minh họa)."
                continue
            keys = [o["key"] for o in q.options]
            data[f"q-{q.pk}"] = random.choices(keys, weights=SPREAD[: len(keys)])[0]
        services.submit(code, data)
    return survey
