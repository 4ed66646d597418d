"""The PAR INDEX figures of issues 7 and 17, printed as one table:

    PYTHONPATH=src:. .venv/bin/python bench/par.py --data DIR [--runs 5]        # SQLite parts
    PYTHONPATH=src:. .venv/bin/python bench/par.py --data DIR --postgres        # and PostgreSQL
    PYTHONPATH=src:. .venv/bin/python bench/par.py --data DIR --only-postgres   # PostgreSQL only

(a) scoring and ranking every commune × 100 sub-criteria in ≤ 2 s: `services.ranking(framework,
    year)` as the ranking page and the index report call it (every score loaded, each unit
    scored with "không áp dụng", bonus/penalty caps and classification bands, ranked, compared
    with last year; only appraised or published assessments count, the bench builds published
    ones): 3,300 communes on SQLite, 3,321 (2,636 xã, 672 phường, 13 đặc khu) on PostgreSQL;
(b) report generation ≤ 3 s per report: building a draft from the database and writing it as the
    download view does (`reports.periodic_report` / `reports.index_report` + `reports.to_bytes`),
    for the quarterly report and the index report of the demo deployment (with extra tasks), and
    the index report of the 3,300 communes (SQLite);
(c) pre-fill from tracked work: on SQLite, the five evidence rules (`services.prefill`) of the
    made-up 2026 commune framework for one phường of the demo, over the demo's tasks; on
    PostgreSQL, for the 3,321 communes over 1,000,000 tasks: the five rules for all of them at
    once (`evidence.compute_all`, a few grouped queries per rule) and one unit at a time
    (`evidence.RULES`, on `--sample` units, extrapolated), then the whole pre-fill written
    (`services.prefill_many`: scores, evidence links, totals, audit) and `services.prefill` one
    draft at a time on `--sample` drafts;
(d) the ranking page (`/chi-so/?framework=…&year=…`, 3,321 rows) on PostgreSQL: the app under
    gunicorn on loopback (2 workers × 2 threads), logged in through the login form as a leader
    (the council), `--requests` GETs one after another (after one to warm up); p50, p95, max of
    the time until the whole page has arrived.

Measured on 2026-12-03 on the shared 2-core machine (`--data DIR --postgres --runs 3 --sample 50
--requests 50`, databases already built; while other sessions ran tests, figures came out up to
3× slower, so treat them as ±50%):
    SQLite, 3,300 communes: ranking median 0.69 s; the index report 1.67 s .xlsx and 2.35 s .docx
    (main's code on the same database and load: 1.9 s / 3.2 s, and 6.2–9.3 s / 5–19.5 s under
    heavy load; now 0.96 s / 1.63 s in that A/B: the writers emit the big tables as XML text and
    the report rounds only the losses that can reach its top 3); demo reports 0.02–0.13 s;
    pre-fill of one phường from 298 tasks 0.021 s.
    PostgreSQL, 3,321 communes, 1,000,000 tasks (built once in ~5 min: 1.5 min for the 664,200
    scores, 3.3 min for the tasks by COPY): ranking median 0.78 s; the five rules for every
    commune at once 7.1 s median (2.1 ms a unit) against 36 ms a unit one by one (≈ 2 min for
    all); the whole pre-fill with `prefill_many` 14.8 s (4.5 ms a unit: 16,605 scores, their
    evidence links, totals, audit) against 71 ms a unit with `prefill` (≈ 4 min); the ranking
    page p50 2.55 s, p95 3.73 s, max 3.76 s over 50 requests (1.4 MB of HTML: 0.8 s is the
    ranking, most of the rest the template's 3,321 rows; before its chart was cut to the 30
    leading units, p50 8.8 s and p95 15.6 s under load, matplotlib drawing 3,321 bars).
NOT measured: pre-fill from tasks of several years at once; concurrent users on the ranking page
(requests are sequential); the documents register at this scale.

Each part runs in a child process with its own data folder (Django is configured once per
process): `DIR/scale` holds a framework of 8 areas → criteria → 100 sub-criteria (points adding
up to 100, five of them bound to the evidence rules, stored through `services.import_framework`)
and 3,300 communes with an assessment for two years and a score on every sub-criterion (built
with bulk_create); `DIR/demo` the demo deployment (`cchc.web.demo.load()`) plus tasks of the
first quarter, done on time, late or not done, with evidence. `DIR/pg` is a PostgreSQL cluster
(`tests.pg.postgres_server(keep=...)`) holding the same framework and 3,321 communes, plus, for
2026, each commune's CCHC plan (a task and for half the registered plan), four quarterly report
tasks, an inspection (a task and for half the decision), three incoming documents with a handling
deadline and their tasks, and ordinary work up to 1,000,000 tasks (done on time, late or open;
2% proposed and 1% discarded, which the rules skip), with a draft assessment of 2026 per commune;
`DIR/pg-app` is that part's data folder. Without `--data` everything lives in a temporary folder;
with it, a built database is reused by the next run. Times are the best and the median of
`--runs` runs.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from pathlib import Path
from random import Random

RANKING_TARGET_S, REPORT_TARGET_S = 2.0, 3.0
YEAR = 2025
FRAMEWORK_NAME = "Bộ tiêu chí đo đạc (dựng cho bench/par.py, không phải văn bản chính thức)"
# The area-level points of QĐ 2948/QĐ-BNV (total 100) and how many sub-criteria each area gets.
AREAS = [
    ("Công tác chỉ đạo, điều hành CCHC", "10", 12),
    ("Xây dựng và tổ chức thực hiện văn bản QPPL", "10", 12),
    ("Cải cách thủ tục hành chính", "14.5", 14),
    ("Cải cách tổ chức bộ máy hành chính", "11", 12),
    ("Cải cách chế độ công vụ", "16", 14),
    ("Cải cách tài chính công", "7", 10),
    ("Xây dựng và phát triển Chính phủ điện tử, Chính phủ số", "16", 14),
    ("Tác động của CCHC đến người dân, tổ chức và phát triển KT-XH", "15.5", 12),
]
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")
# Sub-criteria the framework binds to the five evidence rules (graded ones scored as points:
# best = maximum, middle = half, worst = 0; the rates as a ratio of the maximum).
BOUND = {
    "I.1.1": ("plan_on_time", "points"),
    "I.1.2": ("reports_on_time", "points"),
    "I.1.3": ("inspection_held", "points"),
    "III.1.1": ("tasks_on_time", "ratio"),
    "III.1.2": ("documents_on_time", "ratio"),
}
PREFILL_YEAR = 2026  # the drafts pre-filled from the tasks (today is in it: some are not due)
TASKS = 1_000_000


def timed(fn, runs: int) -> tuple[list[float], object]:
    times, out = [], None
    for _ in range(runs):
        began = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - began)
    return times, out


def summary(times: list[float]) -> dict:
    return {"best": min(times), "median": statistics.median(times), "runs": len(times)}


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# ------------------------------------------------------------------ the 3,300-commune database


def bench_framework():
    """8 areas → criteria of 2–4 sub-criteria → 100 sub-criteria; exact Decimal points."""
    from cchc.par.framework import Criterion, Framework, validate

    areas = []
    for a, (name, points, leaves) in enumerate(AREAS):
        area_max = Decimal(points)
        share = (area_max / leaves).quantize(Decimal("0.25"))
        leaf_points = [share] * (leaves - 1) + [area_max - share * (leaves - 1)]
        area = Criterion(ROMAN[a], name, area_max)
        sizes, left = [], leaves
        while left:
            size = min(4 if left != 5 else 3, left)
            sizes.append(size)
            left -= size
        taken = 0
        for c, size in enumerate(sizes, 1):
            code = f"{ROMAN[a]}.{c}"
            children = [
                Criterion(
                    f"{code}.{s}",
                    f"Tiêu chí thành phần {code}.{s} của lĩnh vực {name.lower()}",
                    leaf_points[taken + s - 1],
                    evidence="Báo cáo, văn bản chứng minh kết quả thực hiện",
                    scoring=BOUND.get(f"{code}.{s}", (None, "points"))[1],
                    evidence_rule=BOUND.get(f"{code}.{s}", (None,))[0],
                )
                for s in range(1, size + 1)
            ]
            taken += size
            area.children.append(
                Criterion(
                    code,
                    f"Tiêu chí {code}",
                    sum(x.max_points for x in children),
                    children=children,
                )
            )
        areas.append(area)
    framework = Framework(FRAMEWORK_NAME, None, "xa", "Dựng cho đo đạc", areas)
    problems = validate(framework)
    assert not problems, problems
    assert len(framework.leaves()) == 100 and framework.total() == 100
    return framework


def build_scale(units: int) -> None:
    """The framework through the real import, then units, assessments and scores in bulk."""
    from cchc.extract.units import canonical_name
    from cchc.web.accounts.models import Unit
    from cchc.web.par import services
    from cchc.web.par.models import Assessment, Framework, Score

    if Framework.objects.filter(name=FRAMEWORK_NAME).exists():
        stored = Framework.objects.get(name=FRAMEWORK_NAME)
        if Assessment.objects.filter(framework=stored, year=YEAR).count() == units:
            return
        raise SystemExit(f"{FRAMEWORK_NAME!r} already built with another size: use a new --data")
    began = time.perf_counter()
    stored = services.import_framework(bench_framework())
    leaves = list(stored.criteria.filter(is_leaf=True).order_by("order"))
    made = []
    for n in range(1, units + 1):  # 2,636 xã, 672 phường and 13 đặc khu, as since 1/7/2025
        word, division = (
            ("xã", Unit.Division.COMMUNE)
            if n <= 2636
            else ("phường", Unit.Division.WARD)
            if n <= 2636 + 672
            else ("đặc khu", Unit.Division.SPECIAL_ZONE)
        )
        made.append(
            Unit(
                name=f"UBND {word} Đo Đạc {n:04d}",
                short_name=f"{word[0].upper()}. Đo Đạc {n:04d}",
                kind=Unit.Kind.COMMUNE,
                division=division,
                canonical=canonical_name(f"UBND {word} Đo Đạc {n:04d}"),
                feed_token=f"bench-par-{n}",
            )
        )
    Unit.objects.bulk_create(made)
    rows = list(Unit.objects.filter(feed_token__startswith="bench-par-").order_by("pk"))
    random = Random(7)
    for year in (YEAR - 1, YEAR):
        assessments = Assessment.objects.bulk_create(
            Assessment(framework=stored, unit=u, year=year, status=Assessment.Status.PUBLISHED)
            for u in rows
        )
        scores = []
        for n, assessment in enumerate(assessments):
            level = 0.45 + 0.5 * ((n * 7919 + year) % units) / units  # units from weak to strong
            self_total = final_total = Decimal(0)
            for leaf in leaves:
                fraction = min(1.0, max(0.0, random.gauss(level, 0.2)))
                claimed = (leaf.max_points * Decimal(str(round(fraction, 2)))).quantize(
                    Decimal("0.01")
                )
                appraised = None
                if random.random() < 0.15:  # the council lowers one score in seven or so
                    appraised = (claimed * Decimal("0.5")).quantize(Decimal("0.01"))
                scores.append(
                    Score(
                        assessment=assessment,
                        criterion=leaf,
                        self_value=claimed,
                        self_points=claimed,
                        appraised_points=appraised,
                        appraisal_reason="Minh chứng chưa đầy đủ" if appraised is not None else "",
                    )
                )
                self_total += claimed
                final_total += claimed if appraised is None else appraised
            assessment.self_total, assessment.final_total = self_total, final_total
        Assessment.objects.bulk_update(assessments, ["self_total", "final_total"], batch_size=500)
        Score.objects.bulk_create(scores, batch_size=5000)
        log(f"  {year}: {len(assessments)} assessments, {len(scores)} scores")
    log(f"  built in {time.perf_counter() - began:.0f} s")


def check_ranking(rows, stored, units: int) -> list[str]:
    """What a sane ranking is: every unit once, best first, ties sharing a place, totals as the
    stored ones, last year's change present."""
    problems = []
    if len(rows) != units or len({r.assessment.unit_id for r in rows}) != units:
        problems.append(f"{len(rows)} rows for {units} units")
    for before, after in itertools.pairwise(rows):
        if after.result.total > before.result.total:
            problems.append(f"not best first at place {after.place}")
            break
        if (after.place == before.place) != (after.result.total == before.result.total):
            problems.append(f"tie handling wrong at place {after.place}")
            break
    if rows and rows[0].place != 1:
        problems.append("first place is not 1")
    wrong = [r for r in rows if abs(r.result.total - float(r.assessment.final_total)) > 0.011]
    if wrong:
        problems.append(f"{len(wrong)} totals differ from the stored final_total")
    if any(abs(r.index - r.result.total * 100 / float(stored.max_total)) > 0.011 for r in rows):
        problems.append("index is not total / maximum")
    if any(r.change is None for r in rows):
        problems.append("change on last year missing")
    if any(abs(sum(r.result.areas.values()) - r.result.total) > 0.05 for r in rows):
        problems.append("areas do not add up to the total")
    return problems


def part_scale(args) -> dict:
    from cchc.web.par import reports, services
    from cchc.web.par.models import Framework

    build_scale(args.units)
    stored = Framework.objects.get(name=FRAMEWORK_NAME)
    services.ranking(stored, YEAR)  # warm: imports, query compilation
    times, rows = timed(lambda: services.ranking(stored, YEAR), args.runs)
    problems = check_ranking(rows, stored, args.units)
    log(f"  ranking: {', '.join(f'{t:.2f}' for t in times)} s")
    out = {
        "ranking": summary(times),
        "ranking_problems": problems,
        "ranking_top": [
            f"{r.place}/{r.count} {r.assessment.unit.name} {r.result.total:.2f}" for r in rows[:3]
        ],
        "ranking_last": f"{rows[-1].place}/{rows[-1].count} {rows[-1].result.total:.2f}",
        "reports": {},
    }
    # The .docx of 3,300 units is a table of some 200 pages: python-docx takes most of a minute
    # over its ~76,000 cells, so it is timed once.
    for fmt, runs in (("xlsx", max(1, args.runs // 2)), ("docx", 1)):

        def report(fmt=fmt):
            draft, tables = reports.index_report(stored, YEAR)
            return reports.to_bytes(draft, tables, fmt)

        times, data = timed(report, runs)
        out["reports"][f"index {YEAR}, {args.units} communes, .{fmt}"] = {
            **summary(times),
            "bytes": len(data),
        }
        log(f"  index {fmt}: {', '.join(f'{t:.2f}' for t in times)} s")
    return out


# ------------------------------------------------------------------ the demo deployment


def add_tasks() -> int:
    """Tasks of the first quarter of 2026 for every unit: done on time with evidence, done late,
    in progress, overdue; some linked to criteria of the sample framework, as an improvement
    plan makes them."""
    from django.utils import timezone

    from cchc.web.accounts.models import Unit
    from cchc.web.par.models import Criterion
    from cchc.web.work.models import Evidence, Task

    if Task.objects.filter(section="bench/par.py").exists():
        return Task.objects.filter(section="bench/par.py").count()
    random = Random(11)
    units = list(Unit.objects.exclude(kind=Unit.Kind.DISTRICT))
    criteria = list(Criterion.objects.filter(framework__level="xa", is_leaf=True))
    actions = [
        "Rà soát, đơn giản hóa thủ tục hành chính thuộc thẩm quyền giải quyết",
        "Cập nhật, công khai thủ tục hành chính trên Cổng dịch vụ công",
        "Tổ chức tập huấn nghiệp vụ cải cách hành chính cho cán bộ, công chức",
        "Báo cáo kết quả thực hiện kiểm soát thủ tục hành chính",
        "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
        "Kiểm tra công tác cải cách hành chính tại các đơn vị trực thuộc",
        "Tuyên truyền về cải cách hành chính trên hệ thống truyền thanh cơ sở",
        "Thực hiện chế độ báo cáo định kỳ về công tác văn thư, lưu trữ",
    ]
    start, made = date(2025, 12, 15), []
    for n in range(240):
        unit = random.choice(units)
        deadline = start + timedelta(days=random.randrange(0, 90))
        status = random.choices(["done", "doing", "todo"], [6, 2, 2])[0]
        completed = None
        if status == "done":
            late = random.random() < 0.25
            when = deadline + timedelta(
                days=random.randrange(1, 15) if late else -random.randrange(0, 10)
            )
            completed = timezone.make_aware(datetime.combine(when, clock(9)))
        made.append(
            Task(
                unit=unit,
                lead_text=unit.name,
                action=f"{random.choice(actions)} (đợt {n % 3 + 1})",
                deadline=deadline,
                status=status,
                completed_at=completed,
                criterion=random.choice(criteria) if criteria and n % 3 == 0 else None,
                section="bench/par.py",
                report_to="Phòng Nội vụ",
            )
        )
    Task.objects.bulk_create(made)
    done = list(Task.objects.filter(section="bench/par.py", status="done"))
    Evidence.objects.bulk_create(
        Evidence(
            task=t,
            path=f"bench/{t.pk}.pdf",
            name=f"Báo cáo kết quả số {t.pk}/BC-{t.unit.short_name.replace(' ', '')}.pdf",
            content_type="application/pdf",
            size=120_000,
        )
        for t in done[::2]
    )
    return len(made)


def part_demo(args) -> dict:
    from cchc.web import demo
    from cchc.web.par import reports
    from cchc.web.par.models import Framework
    from cchc.web.work.models import Task

    if not Framework.objects.exists():
        began = time.perf_counter()
        demo.load()
        log(f"  demo loaded in {time.perf_counter() - began:.1f} s")
    added = add_tasks()
    sample = Framework.objects.get(level="xa", name__contains="minh họa", year__isnull=True)
    jobs = {
        "quarterly Q1 2026": lambda: reports.periodic_report(2026, "Q1"),
        f"index {YEAR}, sample framework": lambda: reports.index_report(sample, YEAR),
    }
    out = {"tasks": Task.objects.count(), "tasks_added": added, "reports": {}}
    for name, build in jobs.items():
        for fmt in ("docx", "xlsx"):

            def report(build=build, fmt=fmt):
                draft, tables = build()
                return reports.to_bytes(draft, tables, fmt)

            report()  # warm
            times, data = timed(report, args.runs)
            out["reports"][f"{name}, demo, .{fmt}"] = {**summary(times), "bytes": len(data)}
            if args.keep:
                slug = name.split()[0]
                (Path(os.environ["CCHC_DATA_DIR"]) / f"{slug}.{fmt}").write_bytes(data)
            log(f"  {name} {fmt}: {', '.join(f'{t:.3f}' for t in times)} s")
    # (c) pre-fill: the five evidence rules of the 2026 commune framework for phường An Lạc,
    # over the demo's confirmed tasks and documents (not the 1,000,000 tasks of the issue)
    from cchc.web.par import services
    from cchc.web.par.models import Assessment

    draft = Assessment.objects.filter(framework__year=2026, status="draft").first()
    if draft is not None:
        services.prefill(draft)  # warm
        times, codes = timed(lambda: services.prefill(draft), args.runs)
        out["prefill"] = {**summary(times), "codes": codes, "unit": draft.unit.name}
        log(f"  prefill: {', '.join(f'{t:.3f}' for t in times)} s")
    return out


# ------------------------------------------------------------------ PostgreSQL: 1,000,000 tasks

# What the five evidence rules read, as a commune's work would say it.
PLAN_ACTION = "Ban hành Kế hoạch cải cách hành chính năm {year}"
REPORT_ACTION = "Báo cáo kết quả thực hiện công tác cải cách hành chính {period} năm {year}"
INSPECTION_ACTION = "Kiểm tra công tác cải cách hành chính tại bộ phận một cửa (đợt {n})"
WORK_ACTIONS = [
    "Rà soát, đơn giản hóa thủ tục hành chính thuộc thẩm quyền giải quyết",
    "Cập nhật, công khai thủ tục hành chính trên Cổng dịch vụ công",
    "Tổ chức tập huấn nghiệp vụ cho cán bộ, công chức",
    "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
    "Tuyên truyền trên hệ thống truyền thanh cơ sở",
    "Thực hiện chế độ báo cáo định kỳ về công tác văn thư, lưu trữ",
    "Triển khai dịch vụ công trực tuyến toàn trình",
    "Chỉnh lý tài liệu lưu trữ tồn đọng",
]


def copy_rows(model, rows) -> int:
    """Rows (dicts of attribute → value) into the model's table by PostgreSQL COPY: what
    bulk_create does, some ten times faster. Fields a row leaves out take their default."""
    from django.db import connection
    from django.db.models import JSONField

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = datetime.now().astimezone()
        elif f.has_default():
            defaults[f.attname] = f.get_default()
        else:
            defaults[f.attname] = None if f.null else ""
    json_fields = {f.attname for f in fields if isinstance(f, JSONField)}
    columns = ", ".join(f'"{f.column}"' for f in fields)
    names = [f.attname for f in fields]
    count = 0
    connection.ensure_connection()
    copying = f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN'
    with connection.connection.cursor() as cursor, cursor.copy(copying) as copy:
        for row in rows:
            values = []
            for name in names:
                value = row.get(name, defaults[name])
                values.append(json.dumps(value) if name in json_fields else value)
            copy.write_row(values)
            count += 1
    return count


def _done(random: Random, deadline: date, on_time: float, late: float):
    """(status, completed_at): done on time, done late, or still open, with these shares."""
    draw = random.random()
    if draw < on_time + late:
        when = deadline + timedelta(
            days=random.randrange(1, 20) if draw >= on_time else -random.randrange(0, 10)
        )
        return "done", datetime.combine(when, clock(9)).astimezone()
    return random.choice(["todo", "doing"]), None


def build_work(year: int, tasks: int) -> None:
    """For every bench commune: the year's CCHC plan (a task and, for half, the registered
    plan), four quarterly CCHC reports (report tasks), an inspection (a task and, for half, the
    decision), three incoming documents with a handling deadline and their tasks, and ordinary
    work up to `tasks` tasks in all; 2% proposed and 1% discarded (not work: the rules skip
    them). Tasks go in by COPY; then a draft assessment of `year` for each commune."""
    from cchc.web.accounts.models import Unit
    from cchc.web.documents.models import Document
    from cchc.web.par.models import Assessment, Framework
    from cchc.web.work.models import Task

    stored = Framework.objects.get(name=FRAMEWORK_NAME)
    if Task.objects.filter(section="bench/par.py").exists():
        return
    began = time.perf_counter()
    random = Random(17)
    units = list(Unit.objects.filter(feed_token__startswith="bench-par-").order_by("pk"))
    docs = []
    for u in units:
        n = u.feed_token.rsplit("-", 1)[1]
        kinds = [
            ("Công văn", f"Công văn đề nghị phối hợp giải quyết hồ sơ số {k}", k) for k in (1, 2, 3)
        ]
        if random.random() < 0.5:
            kinds.append(("Kế hoạch", f"Kế hoạch cải cách hành chính năm {year}", 0))
        if random.random() < 0.5:
            kinds.append(("Quyết định", f"Quyết định kiểm tra công tác CCHC năm {year}", 0))
        for type_, subject, k in kinds:
            if type_ == "Kế hoạch":
                on = date(year - 1, 12, random.randrange(10, 31))
            else:
                on = date(year, 1, 1) + timedelta(days=random.randrange(0, 330))
            docs.append(
                Document(
                    sha256=f"bench-par-{n}-{type_}-{k}".ljust(64, "0")[:64],
                    original=f"bench/{n}-{k}.pdf",
                    original_name=f"{type_} {n}-{k}.pdf",
                    content_type="application/pdf",
                    size=100_000,
                    unit=u,
                    type=type_,
                    number=f"{k or 1}/{'CV' if k else 'KH'}-UBND",
                    date=on,
                    year=on.year,
                    subject=subject,
                    text="",
                    handling_deadline=on + timedelta(days=15) if k else None,
                )
            )
    for d in docs:
        d.derive()  # what save() computes (number key, year), skipped by bulk_create
    Document.objects.bulk_create(docs, batch_size=2000)
    handled: dict[int, list] = {}
    for pk, unit_id, deadline in Document.objects.filter(
        sha256__startswith="bench-par-", handling_deadline__isnull=False
    ).values_list("pk", "unit_id", "handling_deadline"):
        handled.setdefault(unit_id, []).append((pk, deadline))
    log(f"  {len(docs)} documents in {time.perf_counter() - began:.0f} s")

    quarters = [("quý I", 3), ("quý II", 6), ("quý III", 9), ("quý IV", 12)]

    def rows():
        made = 0
        per_unit = tasks // len(units)
        for i, u in enumerate(units):
            quota = per_unit + (1 if i < tasks - per_unit * len(units) else 0)
            mine = []
            deadline = date(year, 1, random.randrange(10, 31))
            mine.append(("task", PLAN_ACTION.format(year=year), deadline, 0.7, 0.2, None))
            for period, month in quarters:
                mine.append(
                    ("report", REPORT_ACTION.format(period=period, year=year),
                     date(year, month, 15), 0.75, 0.15, None)
                )  # fmt: skip
            deadline = date(year, 1, 1) + timedelta(days=random.randrange(60, 330))
            mine.append(("task", INSPECTION_ACTION.format(n=1), deadline, 0.7, 0.1, None))
            for pk, handling in handled.get(u.pk, []):
                mine.append(("task", "Giải quyết văn bản đến", handling, 0.7, 0.2, pk))
            while len(mine) < quota:
                start = date(year - 1, 7, 1) if random.random() < 0.2 else date(year, 1, 1)
                deadline = start + timedelta(days=random.randrange(0, 365))
                mine.append(("task", random.choice(WORK_ACTIONS), deadline, 0.65, 0.2, None))
            for kind, action, deadline, on_time, late, document in mine[:quota]:
                status, completed = _done(random, deadline, on_time, late)
                draw = random.random()
                state = "proposed" if draw < 0.02 else ("discarded" if draw < 0.03 else "confirmed")
                made += 1
                yield {
                    "unit_id": u.pk,
                    "lead_text": u.name,
                    "action": action,
                    "kind": kind,
                    "deadline": deadline,
                    "status": status,
                    "completed_at": completed,
                    "state": state,
                    "document_id": document,
                    "section": "bench/par.py",
                    "report_to": "Phòng Nội vụ",
                }

    count = copy_rows(Task, rows())
    log(f"  {count:,} tasks in {time.perf_counter() - began:.0f} s")
    Assessment.objects.bulk_create(
        Assessment(framework=stored, unit=u, year=year, status=Assessment.Status.DRAFT)
        for u in units
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    log(f"  work built in {time.perf_counter() - began:.0f} s")


def council_user(name: str = "hoidong", password: str = "bench-par-2026"):
    from django.contrib.auth import get_user_model

    from cchc.web.accounts.models import Profile

    user, made = get_user_model().objects.get_or_create(username=name)
    if made:
        user.set_password(password)
        user.save()
    Profile.objects.update_or_create(user=user, defaults={"role": Profile.Role.LEADER})
    return name, password


def page_times(base: str, path: str, user: str, password: str, requests: int) -> dict:
    """Log in as `user` through the login form, then GET `path` `requests` times; the
    seconds each response took to arrive whole."""
    import http.cookiejar
    import re
    import urllib.parse
    import urllib.request

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(f"{base}/dang-nhap/", timeout=60).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    body = urllib.parse.urlencode(
        {"username": user, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(f"{base}/dang-nhap/", body, {"Referer": f"{base}/dang-nhap/"})
    opener.open(request, timeout=60).read()
    times, size = [], 0
    for n in range(requests + 1):
        began = time.perf_counter()
        with opener.open(f"{base}{path}", timeout=300) as response:
            page = response.read()
            if "/dang-nhap/" in response.url:
                raise SystemExit("the ranking page sent the council user to the login page")
        if n:  # the first request warms the worker
            times.append(time.perf_counter() - began)
        size = len(page)
    ordered = sorted(times)
    return {
        "p50": statistics.median(ordered),
        "p95": ordered[max(0, round(0.95 * len(ordered)) - 1)],
        "max": ordered[-1],
        "requests": len(ordered),
        "bytes": size,
        "rows": page.decode().count("<tr") - 1,
    }


def serve_and_time(path: str, requests: int) -> dict:
    """The app under gunicorn on loopback (2 workers of 2 threads, as `cchc serve` would on
    2 cores), the ranking page requested `requests` times one after another."""
    import socket

    user, password = council_user()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "cchc.web.wsgi:application", "-b",
         f"127.0.0.1:{port}", "-w", "2", "-k", "gthread", "--threads", "2", "--timeout", "300"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        return page_times(f"http://127.0.0.1:{port}", path, user, password, requests)
    finally:
        server.terminate()
        server.wait(30)


def part_pg(args) -> dict:
    from cchc.web.par import evidence, services
    from cchc.web.par.models import Assessment, Framework
    from cchc.web.work.models import Task

    began = time.perf_counter()
    build_scale(args.units)
    build_work(PREFILL_YEAR, args.tasks)
    built = time.perf_counter() - began
    stored = Framework.objects.get(name=FRAMEWORK_NAME)
    out = {"build": built, "tasks": Task.objects.count(), "units": args.units}
    services.ranking(stored, YEAR)  # warm
    times, rows = timed(lambda: services.ranking(stored, YEAR), args.runs)
    out["ranking"] = summary(times)
    out["ranking_problems"] = check_ranking(rows, stored, args.units)
    log(f"  ranking: {', '.join(f'{t:.2f}' for t in times)} s")

    drafts = list(
        Assessment.objects.filter(framework=stored, year=PREFILL_YEAR).select_related("unit")
    )
    units = [a.unit for a in drafts]
    # the five rules for every commune, in one grouped query each (what the pre-fill reads)
    times, _ = timed(lambda: evidence.compute_all(units, PREFILL_YEAR), args.runs)
    out["rules_batch"] = summary(times)
    log(f"  rules, all units: {', '.join(f'{t:.2f}' for t in times)} s")
    sample = units[: args.sample]
    times, _ = timed(
        lambda: [fn(u, PREFILL_YEAR) for u in sample for fn in evidence.RULES.values()], 1
    )
    out["rules_per_unit"] = {"seconds": times[0], "units": len(sample)}
    log(f"  rules, {len(sample)} units one by one: {times[0]:.2f} s")
    times, done = timed(lambda: services.prefill_many(drafts), max(1, args.runs // 2))
    out["prefill_batch"] = {**summary(times), "units": len(drafts), "codes": len(done)}
    log(f"  prefill, all units: {', '.join(f'{t:.2f}' for t in times)} s")
    times, _ = timed(lambda: [services.prefill(a) for a in drafts[: args.sample]], 1)
    out["prefill_per_unit"] = {"seconds": times[0], "units": min(args.sample, len(drafts))}
    log(f"  prefill, {args.sample} units one by one: {times[0]:.2f} s")
    out["page"] = serve_and_time(f"/chi-so/?framework={stored.pk}&year={YEAR}", args.requests)
    log(f"  page: p50 {out['page']['p50']:.2f} s, p95 {out['page']['p95']:.2f} s")
    return out


# ------------------------------------------------------------------ driver


def run_part(part: str, root: Path, args, database: str | None = None) -> dict:
    """Run one part in a child process whose Django uses `root/part` (and `database`, a
    DATABASE_URL, when given; else SQLite in that folder)."""
    folder = root / (f"{part}-app" if database else part)  # root/pg is the server's
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "CCHC_DATA_DIR": str(folder)}
    env.pop("DATABASE_URL", None)
    if database:
        env["DATABASE_URL"] = database
    units = args.pg_units if part == "pg" else args.units
    command = [sys.executable, __file__, "--part", part, "--data", str(root)]
    command += ["--units", str(units), "--runs", str(args.runs)] + ["--keep"] * args.keep
    command += ["--tasks", str(args.tasks), "--sample", str(args.sample)]
    command += ["--requests", str(args.requests)]
    log(f"{part}: {folder}")
    subprocess.run(command, env=env, check=True)
    return json.loads((folder / "bench-par.json").read_text(encoding="utf-8"))


def verdict(seconds: float, target: float) -> str:
    return "PASS" if seconds <= target else "MISS"


def report(args, scale: dict | None, demo: dict | None, pg: dict | None) -> int:
    """Every figure as one table: what, where, the time, the target and its verdict."""
    table: list[tuple[str, str, str, str]] = []  # figure, database, time, target/verdict

    def timing(figure: dict, places: int = 2) -> str:
        return (
            f"best {figure['best']:.{places}f} s, median {figure['median']:.{places}f} s"
            f" of {figure['runs']}"
        )

    sane = True
    problems = []
    for where, part, units in (("SQLite", scale, args.units), ("PostgreSQL", pg, args.pg_units)):
        if part is None:
            continue
        ok = not part["ranking_problems"]
        sane &= ok
        problems += [f"{where}: {p}" for p in part["ranking_problems"]]
        target = f"≤ {RANKING_TARGET_S:g} s " + (
            verdict(part["ranking"]["median"], RANKING_TARGET_S) if ok else "MISS (wrong)"
        )
        table.append((f"(a) ranking {units:,} units × 100", where, timing(part["ranking"]), target))
    for where, part in (("SQLite", demo), ("SQLite", scale)):
        for name, figure in (part or {}).get("reports", {}).items():
            table.append(
                (
                    f"(b) {name} ({figure['bytes'] / 1024:,.0f} KB)",
                    where,
                    timing(figure),
                    f"≤ {REPORT_TARGET_S:g} s {verdict(figure['median'], REPORT_TARGET_S)}",
                )
            )
    if demo and "prefill" in demo:
        figure = demo["prefill"]
        table.append(
            (
                f"(c) pre-fill, {len(figure['codes'])} rules, 1 phường, {demo['tasks']} tasks",
                "SQLite",
                timing(figure, 3),
                "",
            )
        )
    if pg:
        n, tasks = pg["units"], pg["tasks"]
        built = f"{pg['build']:.0f} s" if pg["build"] >= 1 else "reused (built by an earlier run)"
        table.append((f"    build {n:,} communes, {tasks:,} tasks", "PostgreSQL", built, ""))
        figure = pg["rules_batch"]
        table.append(
            (
                f"(c) 5 rules for {n:,} communes, batch",
                "PostgreSQL",
                timing(figure) + f"; {figure['median'] / n * 1000:.2f} ms/unit",
                "",
            )
        )
        one = pg["rules_per_unit"]
        table.append(
            (
                f"(c) 5 rules one unit at a time ({one['units']} units)",
                "PostgreSQL",
                f"{one['seconds']:.2f} s; {one['seconds'] / one['units'] * 1000:.1f} ms/unit"
                f" (≈ {one['seconds'] / one['units'] * n:.0f} s for {n:,})",
                "",
            )
        )
        figure = pg["prefill_batch"]
        table.append(
            (
                f"(c) pre-fill {n:,} drafts, batch (scores, evidence links)",
                "PostgreSQL",
                timing(figure) + f"; {figure['median'] / n * 1000:.2f} ms/unit",
                "",
            )
        )
        one = pg["prefill_per_unit"]
        table.append(
            (
                f"(c) pre-fill one draft at a time ({one['units']} drafts)",
                "PostgreSQL",
                f"{one['seconds']:.2f} s; {one['seconds'] / one['units'] * 1000:.1f} ms/unit"
                f" (≈ {one['seconds'] / one['units'] * n:.0f} s for {n:,})",
                "",
            )
        )
        page = pg["page"]
        table.append(
            (
                f"(d) ranking page, {page['requests']} GETs, gunicorn 2×2, "
                f"{page['bytes'] / 1024:,.0f} KB",
                "PostgreSQL",
                f"p50 {page['p50']:.2f} s, p95 {page['p95']:.2f} s, max {page['max']:.2f} s",
                "",
            )
        )
    width = max(len(r[0]) for r in table)
    timing_width = max(len(r[2]) for r in table)
    for figure, where, seconds, target in table:
        print(f"{figure:<{width}}  {where:<10}  {seconds:<{timing_width}}  {target}".rstrip())
    for problem in problems:
        print(f"WRONG: {problem}")
    return 0 if sane else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, help="keep the databases here (default: temporary)")
    parser.add_argument("--units", type=int, default=3300, help="communes of the SQLite part")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each figure")
    parser.add_argument("--keep", action="store_true", help="write the demo reports to --data")
    parser.add_argument(
        "--postgres", action="store_true", help="also the PostgreSQL part (DIR/pg is its server)"
    )
    parser.add_argument("--only-postgres", action="store_true", help="skip the SQLite parts")
    parser.add_argument("--pg-units", type=int, default=3321, help="communes on PostgreSQL")
    parser.add_argument("--tasks", type=int, default=TASKS, help="tasks on PostgreSQL")
    parser.add_argument("--sample", type=int, default=100, help="units pre-filled one by one")
    parser.add_argument("--requests", type=int, default=50, help="requests of the ranking page")
    parser.add_argument("--part", choices=["scale", "demo", "pg"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.part:  # a child: Django on CCHC_DATA_DIR (and DATABASE_URL), set by the parent
        from cchc.web import runtime

        runtime.setup()
        part = {"scale": part_scale, "demo": part_demo, "pg": part_pg}[args.part]
        out = part(args)
        folder = Path(os.environ["CCHC_DATA_DIR"])
        (folder / "bench-par.json").write_text(json.dumps(out, ensure_ascii=False), "utf-8")
        return 0

    scale = demo = pg = None
    with tempfile.TemporaryDirectory(prefix="cchc-bench-par-") as temporary:
        root = (args.data or Path(temporary)).resolve()
        if not args.only_postgres:
            scale = run_part("scale", root, args)
            demo = run_part("demo", root, args)
        if args.postgres or args.only_postgres:
            sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
            from tests.pg import postgres_server

            began = time.perf_counter()
            with postgres_server(keep=root / "pg", settings={"shared_buffers": "256MB"}) as url:
                log(f"pg: server up in {time.perf_counter() - began:.1f} s ({root / 'pg'})")
                pg = run_part("pg", root, args, database=url)
    return report(args, scale, demo, pg)


if __name__ == "__main__":
    sys.exit(main())
