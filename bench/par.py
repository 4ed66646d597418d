"""The PAR INDEX figures of issue 7:

    .venv/bin/python bench/par.py [--data DIR] [--units 3300] [--runs 5]

(a) scoring and ranking 3,300 units × 100 sub-criteria (every commune of the country) in ≤ 2 s:
    `services.ranking(framework, year)` as the ranking page and the index report call it (every
    score loaded, each unit scored, ranked, compared with last year);
    Ranking now also applies "không áp dụng", bonus/penalty caps and classification bands, and
    counts only appraised or published assessments (the bench builds published ones);
(b) report generation ≤ 3 s per report: building a draft from the database and writing it as the
    download view does (`reports.periodic_report` / `reports.index_report` + `reports.to_bytes`),
    for the quarterly report and the index report of the demo deployment (with extra tasks), and
    the index report of the 3,300 communes;
(c) pre-fill: the five evidence rules (`services.prefill`) of the made-up 2026 commune framework
    for one phường of the demo, over the demo's tasks. NOT measured: pre-fill of 3,321 communes
    from 1,000,000 tasks, and anything on PostgreSQL (SQLite only).

Each part runs in a child process with its own data folder (Django is configured once per
process): `DIR/scale` holds a framework of 8 areas → criteria → 100 sub-criteria (points adding
up to 100, stored through `services.import_framework`) and 3,300 communes with an assessment for
two years and a score on every sub-criterion (built with bulk_create); `DIR/demo` the demo
deployment (`cchc.web.demo.load()`) plus tasks of the first quarter, done on time, late or not
done, with evidence. Without `--data` both live in a temporary folder; with it, a built database is
reused by the next run. Times are the best and the median of `--runs` runs.
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
    Unit.objects.bulk_create(
        Unit(
            name=f"UBND xã Đo Đạc {n:04d}",
            short_name=f"X. Đo Đạc {n:04d}",
            kind=Unit.Kind.COMMUNE,
            canonical=canonical_name(f"UBND xã Đo Đạc {n:04d}"),
            feed_token=f"bench-par-{n}",
        )
        for n in range(1, units + 1)
    )
    rows = list(Unit.objects.filter(name__startswith="UBND xã Đo Đạc ").order_by("name"))
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


# ------------------------------------------------------------------ driver


def run_part(part: str, root: Path, args) -> dict:
    """Run one part in a child process whose Django uses `root/part`."""
    folder = root / part
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "CCHC_DATA_DIR": str(folder)}
    env.pop("DATABASE_URL", None)
    command = [sys.executable, __file__, "--part", part, "--data", str(root)]
    command += ["--units", str(args.units), "--runs", str(args.runs)] + ["--keep"] * args.keep
    log(f"{part}: {folder}")
    subprocess.run(command, env=env, check=True)
    return json.loads((folder / "bench-par.json").read_text(encoding="utf-8"))


def verdict(seconds: float, target: float) -> str:
    return "PASS" if seconds <= target else "MISS"


def line(figure: dict) -> str:
    return (
        f"best {figure['best']:.2f} s, median {figure['median']:.2f} s of {figure['runs']}"
        f"  ({figure['bytes'] / 1024:,.0f} KB)  {verdict(figure['median'], REPORT_TARGET_S)}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, help="keep the databases here (default: temporary)")
    parser.add_argument("--units", type=int, default=3300)
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each figure")
    parser.add_argument("--keep", action="store_true", help="write the demo reports to --data")
    parser.add_argument("--part", choices=["scale", "demo"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.part:  # a child: Django on CCHC_DATA_DIR, set by the parent
        from cchc.web import runtime

        runtime.setup()
        out = part_scale(args) if args.part == "scale" else part_demo(args)
        folder = Path(os.environ["CCHC_DATA_DIR"])
        (folder / "bench-par.json").write_text(json.dumps(out, ensure_ascii=False), "utf-8")
        return 0

    with tempfile.TemporaryDirectory(prefix="cchc-bench-par-") as temporary:
        root = (args.data or Path(temporary)).resolve()
        scale = run_part("scale", root, args)
        demo = run_part("demo", root, args)

    ranking = scale["ranking"]
    sane = not scale["ranking_problems"]
    print(
        f"(a) ranking {args.units:,} units × 100 sub-criteria: best {ranking['best']:.2f} s, "
        f"median {ranking['median']:.2f} s of {ranking['runs']} (target ≤ {RANKING_TARGET_S:g} s)"
        f"  {verdict(ranking['median'], RANKING_TARGET_S) if sane else 'MISS (ranking wrong)'}"
    )
    print(f"    top: {'; '.join(scale['ranking_top'])}; last: {scale['ranking_last']}")
    for problem in scale["ranking_problems"]:
        print(f"    WRONG: {problem}")
    print(
        f"(b) report generation, per report (target ≤ {REPORT_TARGET_S:g} s), demo deployment "
        f"with {demo['tasks']} tasks ({demo['tasks_added']} added):"
    )
    worst = 0.0
    for name, figure in demo["reports"].items():
        worst = max(worst, figure["median"])
        print(f"    {name:<44} {line(figure)}")
    print(f"    slowest demo report: median {worst:.2f} s  {verdict(worst, REPORT_TARGET_S)}")
    print(f"    at the scale of (a), {args.units:,} communes:")
    for name, figure in scale["reports"].items():
        print(f"    {name:<44} {line(figure)}")
    if "prefill" in demo:
        figure = demo["prefill"]
        print(
            f"(c) pre-fill of {len(figure['codes'])} evidence rules for {figure['unit']} over "
            f"{demo['tasks']} tasks: best {figure['best']:.3f} s, median {figure['median']:.3f} s"
        )
    return 0 if sane else 1


if __name__ == "__main__":
    sys.exit(main())
