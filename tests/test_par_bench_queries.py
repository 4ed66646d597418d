"""The fast path of the pre-fill (`evidence.compute_all`, `services.prefill_many`: a few grouped
queries for all units, what bench/par.py times on 3,321 communes) gives what the rules give
one unit at a time, on a small fixture with every case the rules tell apart; on SQLite here,
and on PostgreSQL through a server started for the test."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from random import Random

import pytest
from django.utils import timezone

from cchc.par.framework import load_yaml
from cchc.web.accounts.models import Unit
from cchc.web.documents.models import Document
from cchc.web.par import evidence, services
from cchc.web.par.models import Score, ScoreEvidence
from cchc.web.work.models import Task
from tests.pg import pg_bin, postgres_server

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "par" / "khung-xa.yaml"
ACTIONS = [
    "Kiểm tra công tác cải cách hành chính tại khu phố",
    "Rà soát thủ tục hành chính",
    "Xử lý văn bản đến",
]


def at(day: date):
    return timezone.make_aware(datetime(day.year, day.month, day.day, 23, 30))  # late evening


def varied_work(year: int) -> list[Unit]:
    """Units with plans on time, late, open or only registered; reports all on time, some
    late, some missing; inspections done or only decided; handled documents on time, late,
    not yet due; proposed and discarded tasks that must not count; a unit with nothing."""
    random = Random(5)
    units = list(Unit.objects.filter(kind=Unit.Kind.COMMUNE).order_by("pk"))
    units += list(Unit.objects.filter(kind=Unit.Kind.PROVINCE_BODY).order_by("pk")[:3])
    docs = []
    for n, unit in enumerate(units[:-1]):  # the last unit has no work at all
        for k in range(4):
            deadline = date(year, 1, 1) + timedelta(days=random.randrange(-40, 364))
            handled = Document.objects.create(
                sha256=f"{n:032d}{k:032d}", original=f"x/{n}-{k}", original_name=f"{n}-{k}.txt",
                content_type="text/plain", size=1, number=f"{n}{k}/UBND",
                date=deadline - timedelta(days=10), handling_deadline=deadline,
                subject=random.choice(["Về việc kiểm tra CCHC", "Về việc phối hợp"]),
                type=random.choice(["Kế hoạch", "Công văn", "Quyết định"]),
                unit=random.choice([unit, None]),
            )  # fmt: skip
            docs.append(handled)
        plan = n % 4  # on time, late, not done, no task (a registered plan for some)
        if plan < 3:
            due = date(year, 1, 15)
            done = [due - timedelta(days=2), due + timedelta(days=n % 7 + 1), None][plan]
            Task.objects.create(
                unit=unit, action=f"Ban hành Kế hoạch cải cách hành chính năm {year}",
                deadline=due, status="done" if done else "todo",
                completed_at=at(done) if done else None,
            )  # fmt: skip
        for quarter, month in (("quý I", 3), ("6 tháng", 6)):
            due = date(year, month, 15)
            done = {0: due, 1: due + timedelta(days=3), 2: None}[(n + month) % 3]
            Task.objects.create(
                unit=unit, action=f"Báo cáo kết quả CCHC {quarter}", kind=Task.Kind.REPORT,
                deadline=due, status="done" if done else "todo",
                completed_at=at(done) if done else None,
            )  # fmt: skip
        for _ in range(40):
            deadline = date(year, 1, 1) + timedelta(days=random.randrange(-45, 364))
            status = random.choice(["done", "done", "done", "todo", "doing"])
            completed = None
            if status == "done":
                completed = at(deadline + timedelta(days=random.randrange(-5, 6)))
            Task.objects.create(
                unit=unit,
                action=random.choice(ACTIONS).format(year=year),
                deadline=deadline,
                status=status,
                completed_at=completed,
                state=random.choice([Task.State.CONFIRMED] * 8 + [Task.State.PROPOSED]),
                document=random.choice([None, None, random.choice(docs)]),
            )
    return units


def same(one: evidence.Computed, other: evidence.Computed) -> tuple:
    def facts(c):
        return c.grade, c.percent, c.note, [t.pk for t in c.tasks], [d.pk for d in c.documents]

    return facts(one), facts(other)


@pytest.mark.parametrize("year", [2025, 2026])  # 2026: today is in it, some work not yet due
def test_the_batch_rules_compute_what_the_rules_compute_one_unit_at_a_time(deployment, year):
    units = varied_work(year)
    batch = evidence.compute_all(units, year)
    assert set(batch) == {u.pk for u in units}
    grades = set()
    for unit in units:
        for name, rule in evidence.RULES.items():
            alone, together = same(rule(unit, year), batch[unit.pk][name])
            assert together == alone, (unit.name, name)
            grades.add((name, alone[0], alone[1] is None))
    # the fixture reaches the cases the rules tell apart (or this test would prove little)
    assert {g for n, g, _ in grades if n == "plan_on_time"} >= {"best", "middle", "worst"}
    assert {g for n, g, _ in grades if n == "reports_on_time"} >= {"best", "worst"}
    assert {g for n, g, _ in grades if n == "inspection_held"} == {"best", "worst"}
    assert {n for n, _, no_percent in grades if not no_percent} == {
        "tasks_on_time",
        "documents_on_time",
    }


def test_prefill_many_stores_what_prefill_stores_one_draft_at_a_time(deployment):
    from tests.test_par_web import user

    year = 2026
    units = varied_work(year)
    khung = services.import_framework(load_yaml(FIXTURE), user("quantri"))
    drafts = [services.open_assessment(khung, u, year) for u in units]
    entered = khung.criteria.get(code="I.1.1")  # a person's entry is kept by both paths
    services.save_self_assessment(drafts[0], {entered.pk: ("0", "")}, user("quantri"))

    def stored():
        scores = {
            (s.assessment_id, s.criterion_id): (
                s.computed_value, s.computed_note, s.self_points, s.self_value,
                sorted((e.document_id or 0, e.task_id or 0, e.name) for e in s.evidence.all()),
            )
            for s in Score.objects.filter(assessment__in=drafts).prefetch_related("evidence")
        }  # fmt: skip
        totals = [(a.pk, a.self_total, a.final_total) for a in drafts]
        for a in drafts:
            a.refresh_from_db()
        assert totals == [(a.pk, a.self_total, a.final_total) for a in drafts]
        return scores, totals

    codes = services.prefill_many(drafts, user("quantri"))
    together = stored()
    assert ScoreEvidence.objects.filter(computed=True).exists()
    Score.objects.filter(assessment__in=drafts).exclude(criterion=entered).delete()
    alone = [services.prefill(a, user("quantri")) for a in drafts]
    assert alone == [codes[a.pk] for a in drafts]
    assert stored() == together


@pytest.mark.skipif(pg_bin() is None, reason="PostgreSQL not installed (make test installs it)")
@pytest.mark.skipif("DATABASE_URL" in os.environ, reason="already running on another database")
def test_the_batch_rules_agree_on_postgresql_too():
    with postgres_server() as url:
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-o", "addopts=", "-q", "-p", "no:cacheprovider",
             __file__, "-k", "not postgresql"],
            cwd=ROOT, env={**os.environ, "DATABASE_URL": url},
            capture_output=True, text=True, timeout=900,
        )  # fmt: skip
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    summary = run.stdout.strip().splitlines()[-1]
    assert "4 passed" in summary and "skipped" not in summary, summary


def test_the_index_report_finds_the_largest_losses_as_scoring_does():
    from cchc.par.scoring import Layout, losses
    from cchc.web.par.reports import _largest_losses

    random = Random(3)
    codes = [f"{a}.{n}" for a in "ABCD" for n in range(25)]
    layout = Layout({c: c[0] for c in codes}, dict.fromkeys("ABCD", 25.0), {c: 1.0 for c in codes})
    for _ in range(500):  # many ties: gaps on a grid of 0.25, 0.01 and the 0.005 rounding edge
        grid = random.choice([0.25, 0.01, 0.005])
        values = {c: 1.0 - grid * random.randrange(0, 5) for c in codes if random.random() < 0.9}
        for top in (1, 3, 10):
            assert _largest_losses(layout, values, top) == losses(
                layout, values, layout.leaf_max, top
            )
