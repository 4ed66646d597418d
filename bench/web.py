"""The web app's three figures on a large SQLite deployment (issue 6):

    .venv/bin/python bench/web.py [--data bench-data/web] [--docs 100000] [--corpus DIR]

1. search p95 over `--docs` documents (target ≤ 50 ms): a fixed list of queries, each timed as the
   search page runs it (`documents.search.search` + the page's documents and snippets);
2. ingest throughput of typed documents (target ≥ 50 docs/s): a folder as `cchc ingest DIR`
   takes it (parsed in worker processes), and one by one through `ingest_file`;
3. page render p95 of the registry and the tasks board for a leader (target ≤ 150 ms each).

The database is built once in `--data` and reused by later runs (a stopped build resumes). It is
built through the real code: each corpus document is copied many times with its printed number
(`Số: 123/…`) and every full date in its text changed, written to a file, parsed by
`cchc.parse_file` in a pool of worker processes, and stored in this process by `finish_job`
with a job made by `accept_path`, as `run_job` does. The documents added by the ingest figure are
deleted again afterwards, so every run measures the same database.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import re
import statistics
import sys
import tempfile
import time
from collections import deque
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SEARCH_TARGET_MS, INGEST_TARGET, PAGE_TARGET_MS = 50.0, 50.0, 150.0

# The document's own number: the first `Số: 123/…` line.
_OWN_NUMBER = re.compile(r"^(\W*(?:Số|SỐ)\s*:?\s*)(\d+)(?=\s*/)", re.M)
_LONG_DATE = re.compile(r"(ngày\s+)(\d{1,2})(\s+tháng\s+)(\d{1,2})(\s+năm\s+)(\d{4})")
_SHORT_DATE = re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?![\d/])")


def _shift(day: str, month: str, year: str, days: int) -> date | None:
    try:
        when = date(int(year), int(month), int(day))
    except ValueError:
        return None
    if not 1900 <= when.year <= 2100:
        return None
    return when + timedelta(days=days)


def vary(text: str, copy: int, template: int) -> str:
    """Copy `copy` of a corpus document: another printed number, every full date moved by the
    same number of days (so deadlines stay after the date of issue)."""
    number = 1 + (copy * 7919 + template) % 9999  # one-to-one in `copy` below 9999 copies
    days = 180 - (copy * 613) % 3650  # from ten years back to half a year ahead

    def long_date(m: re.Match) -> str:
        when = _shift(m[2], m[4], m[6], days)
        if when is None:
            return m[0]
        return f"{m[1]}{when.day:02d}{m[3]}{when.month:02d}{m[5]}{when.year}"

    def short_date(m: re.Match) -> str:
        when = _shift(m[1], m[3], m[4], days)
        if when is None:
            return m[0]
        return f"{when.day:02d}{m[2]}{when.month:02d}{m[2]}{when.year}"

    text = _OWN_NUMBER.sub(lambda m: f"{m[1]}{number}", text, count=1)
    text = _LONG_DATE.sub(long_date, text)
    return _SHORT_DATE.sub(short_date, text)


# ---------------------------------------------------------------- building the document set


_TEMPLATES: list[tuple[str, str]] = []
_WORKDIR = ""
_TASKS_EVERY = 1


def _init_worker(templates: list[tuple[str, str]], workdir: str, tasks_every: int) -> None:
    global _TEMPLATES, _WORKDIR, _TASKS_EVERY
    _TEMPLATES, _WORKDIR, _TASKS_EVERY = templates, workdir, tasks_every


def write_copy(index: int, templates: list[tuple[str, str]], workdir: str) -> Path:
    """Copy number `index` of the corpus, written to a file named after its template."""
    which = index % len(templates)
    stem, text = templates[which]
    path = Path(workdir) / f"{stem}-{index}.md"
    path.write_text(vary(text, index // len(templates), which), encoding="utf-8")
    return path


def _parse_copy(index: int):
    import cchc

    path = write_copy(index, _TEMPLATES, _WORKDIR)
    try:
        tasks = index % _TASKS_EVERY == 0
        return index, path, cchc.parse_file(path, tasks=tasks), None
    except Exception as exc:  # stored as a failed job by the main process
        return index, path, None, f"{type(exc).__name__}: {exc}"


def store_parsed(path: Path, parsed, error: str | None, direction: str = "den"):
    """What `run_job` does after parsing: accept the file, store it with `finish_job`."""
    from cchc.web.documents.ingest import accept_path, finish_job
    from cchc.web.documents.models import IngestJob

    job = accept_path(path, direction=direction)
    if job.status != IngestJob.Status.QUEUED:
        return job
    if error is None:
        parsed.file = job.original_name
    return finish_job(job, parsed if error is None else error)


def load_templates(corpus: Path) -> list[tuple[str, str]]:
    return [(p.stem, p.read_text(encoding="utf-8")) for p in sorted((corpus / "docs").glob("*.md"))]


def build(target: int, templates: list[tuple[str, str]], workers: int, tasks_every: int) -> None:
    """Ingest copies until the registry holds `target` documents (resuming a stopped build); the
    tasks of one copy in `tasks_every` are extracted and stored."""
    from cchc.web.documents.models import Document, IngestJob

    have = Document.objects.count()
    if have >= target:
        print(f"database: {have} documents already built", flush=True)
        return
    start = IngestJob.objects.count()  # copy numbers already used, whatever became of them
    print(f"building: {have} → {target} documents ({workers} parse workers)", flush=True)
    began, done, skipped, index = time.perf_counter(), 0, 0, start
    with tempfile.TemporaryDirectory(prefix="cchc-bench-") as workdir:
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(workers, _init_worker, (templates, workdir, tasks_every)) as pool:
            pending: deque = deque()  # a few parses ahead of the store, no more
            while have + done < target:
                while len(pending) < 4 * workers:
                    pending.append(pool.apply_async(_parse_copy, (index,)))
                    index += 1
                _i, path, parsed, error = pending.popleft().get()
                job = store_parsed(path, parsed, error)
                path.unlink()
                if job.status != IngestJob.Status.DONE:
                    skipped += 1
                    continue
                done += 1
                if done % 2000 == 0:
                    rate = done / (time.perf_counter() - began)
                    print(f"  {have + done} documents, {rate:.0f} docs/s", flush=True)
            pool.terminate()
    took = time.perf_counter() - began
    print(
        f"built {done} documents in {took:.0f} s ({done / took:.0f} docs/s; "
        f"{skipped} duplicates or failures skipped)",
        flush=True,
    )


# ---------------------------------------------------------------- timing


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1)]


def summary(values: list[float]) -> str:
    return (
        f"p50 {statistics.median(values):.1f} ms, p95 {percentile(values, 95):.1f} ms, "
        f"max {max(values):.1f} ms (n={len(values)})"
    )


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


# (query as typed, filters, order, page)
QUERIES: list[tuple[str, dict, str, int]] = [
    ("cai cach hanh chinh", {}, "relevance", 1),
    ("cải cách hành chính", {}, "relevance", 1),
    ("cai cach hanh chinh", {}, "date", 1),
    ("cai cach hanh chinh", {"type": "Kế hoạch"}, "relevance", 1),
    ("cai cach hanh chinh", {"year": 2024}, "date", 1),
    ("thu tuc hanh chinh", {}, "relevance", 1),
    ("thủ tục hành chính", {"type": "Quyết định"}, "date", 1),
    ('"thủ tục hành chính"', {}, "relevance", 2),
    ("chuyen doi so", {}, "relevance", 1),
    ('"chuyển đổi số"', {"year": 2023}, "relevance", 1),
    ("dich vu cong truc tuyen", {}, "relevance", 1),
    ('"dịch vụ công trực tuyến"', {}, "date", 1),
    ("mot cua", {}, "relevance", 1),
    ('"một cửa liên thông"', {}, "relevance", 1),
    ("ngan sach nha nuoc", {}, "relevance", 1),
    ("thuế giá trị gia tăng", {"type": "Công văn"}, "relevance", 1),
    ("hoan thue gia tri gia tang", {}, "date", 1),
    ("gop von dieu le", {}, "relevance", 1),
    ("5348/CT-CS", {}, "relevance", 1),
    ("595/UBND-NC", {}, "relevance", 1),
    ("2820/QĐ-UBND", {}, "relevance", 1),
    ("59/2020/QH14", {}, "relevance", 1),
    ("Nghị định 30/2020/NĐ-CP", {}, "date", 1),
    ("30/2020/nd-cp", {}, "relevance", 1),
    ("Phạm Thị Minh Hiền", {}, "relevance", 1),
    ("pham van thinh", {}, "date", 1),
    ("uy ban nhan dan", {}, "relevance", 1),
    ("ủy ban nhân dân", {}, "date", 1),
    ("ubnd", {}, "relevance", 1),
    ("ubnd", {}, "relevance", 5),
    ("viet nam", {}, "date", 1),
    ("độc lập tự do hạnh phúc", {}, "relevance", 1),
    ("nam 2025", {}, "relevance", 1),
    ("quyet dinh", {"year": 2022}, "relevance", 1),
    ("bao cao", {"type": "Báo cáo"}, "date", 1),
    ("ke hoach", {"year": 2025, "type": "Kế hoạch"}, "relevance", 1),
    ("cong van", {"direction": "den"}, "date", 3),
    ("phòng chống thiên tai", {}, "relevance", 1),
    ("phong chong dich covid", {}, "relevance", 1),
    ("giải phóng mặt bằng", {}, "date", 1),
    ("bảo hiểm xã hội", {}, "relevance", 1),
    ("an toan thong tin mang", {}, "relevance", 1),
    ("đê điều", {}, "relevance", 1),
    ("tuyen dung vien chuc", {"year": 2021}, "relevance", 1),
    ("khen thuong", {}, "relevance", 1),
    ("xyzzy khongtontai", {}, "relevance", 1),
]


def search_once(query_text: str, filters: dict, order: str, page: int) -> int:
    """What the search page does for one query: the hits, their documents, their snippets."""
    from cchc.web.documents import search
    from cchc.web.documents.views import search_hits

    query = search.Query.parse(query_text)
    results = search.search(query, filters, order, page)
    search_hits(query, results.ids)
    return results.total


def time_search(rounds: int) -> list[float]:
    per_query: dict[int, list[float]] = {i: [] for i in range(len(QUERIES))}
    totals = {}
    for i, q in enumerate(QUERIES):  # warm-up: the database pages a running server has in memory
        totals[i] = search_once(*q)
    for _ in range(rounds):
        for i, q in enumerate(QUERIES):
            began = time.perf_counter()
            search_once(*q)
            per_query[i].append((time.perf_counter() - began) * 1000)
    slow = sorted(per_query, key=lambda i: -max(per_query[i]))[:8]
    print("  slowest queries (max ms, hits):")
    for i in slow:
        q, filters, order, page = QUERIES[i]
        worst = max(per_query[i])
        print(f"    {worst:7.1f}  {totals[i]:>7}  {q!r} {filters or ''} {order} p{page}")
    return [t for times in per_query.values() for t in times]


def time_pages(rounds: int) -> dict[str, list[float]]:
    from django.test import Client

    from cchc.web.accounts.models import Unit
    from cchc.web.documents.models import Document

    client = Client()
    if not client.login(username="lanhdao", password="anphu2026"):
        raise SystemExit("cannot log in as lanhdao")
    pages = Document.objects.count() // 25
    issuer = (
        Document.objects.exclude(issuer="").values_list("issuer", flat=True).order_by("id").first()
    )
    units = list(Unit.objects.values_list("pk", flat=True))
    urls = {
        "registry": [
            "/van-ban/",
            "/van-ban/?page=2",
            f"/van-ban/?page={pages // 2}",
            f"/van-ban/?page={pages}",
            "/van-ban/?sort=date",
            "/van-ban/?sort=number",
            "/van-ban/?sort=-received&page=10",
            "/van-ban/?type=Công+văn",
            "/van-ban/?type=Quyết+định&year=2024",
            "/van-ban/?year=2020&page=3",
            "/van-ban/?direction=den&sort=-received",
            f"/van-ban/?issuer={issuer}",
            f"/van-ban/?unit={units[0]}",
        ],
        "board": ["/cong-viec/", "/cong-viec/?unit=all"] + [f"/cong-viec/?unit={u}" for u in units],
    }
    times: dict[str, list[float]] = {kind: [] for kind in urls}
    per_url: dict[str, list[float]] = {}
    for group in urls.values():
        for url in group:  # warm-up
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url}: HTTP {response.status_code}")
    for _ in range(rounds):
        for kind, group in urls.items():
            for url in group:
                began = time.perf_counter()
                client.get(url)
                took = (time.perf_counter() - began) * 1000
                times[kind].append(took)
                per_url.setdefault(url, []).append(took)
    slow = sorted(per_url, key=lambda u: -max(per_url[u]))[:5]
    print("  slowest pages (max ms): " + ", ".join(f"{u} {max(per_url[u]):.0f}" for u in slow))
    return times


def time_ingest(count: int, templates: list[tuple[str, str]]) -> dict[str, tuple[float, int]]:
    """Ingest `count` new copies as a folder (`cchc ingest DIR`: parsed in one worker process per
    core, stored in order), then `count` others one by one through `ingest_file` (what one
    upload does); delete them again. Returns docs/s and documents stored for each way."""
    from django.utils import timezone

    from cchc.web.documents.ingest import ingest_file
    from cchc.web.documents.models import IngestJob
    from cchc.web.documents.watch import ingest_paths

    rates = {}
    first = 3000 * len(templates)  # copies of round 3000 on: numbers and dates no build uses
    for way in ("folder", "one by one"):
        with tempfile.TemporaryDirectory(prefix="cchc-bench-") as workdir:
            paths = [write_copy(first + i, templates, workdir) for i in range(count)]
            first += count
            since = timezone.now()
            began = time.perf_counter()
            if way == "folder":
                ingest_paths([workdir], "den", lambda _line: None)
            else:
                for path in paths:
                    ingest_file(path)
            took = time.perf_counter() - began
        jobs = list(IngestJob.objects.filter(created_at__gte=since))
        done = sum(job.status == "done" for job in jobs)
        rates[way] = (done / took, done)
        _remove(jobs)
    return rates


def _remove(jobs) -> None:
    from django.conf import settings
    from django.db import transaction

    from cchc.web.documents import search
    from cchc.web.documents.models import Document

    with transaction.atomic():
        for job in jobs:
            if job.status == "done" and job.document_id:
                doc = Document.objects.get(pk=job.document_id)
                search.unindex_document(doc)
                doc.delete()
            (Path(settings.MEDIA_ROOT) / job.stored_path).unlink(missing_ok=True)
            job.delete()


def database_size(data: Path) -> str:
    total = sum(p.stat().st_size for p in data.glob("cchc.sqlite3*"))
    return f"{total / 1e9:.2f} GB"


def report_reads(rounds: int, search_target_ms: float, page_target_ms: float) -> None:
    """Time the search page's queries and the pages, and print each p95 against its target."""
    from cchc.web.documents.models import Document
    from cchc.web.work.models import Task

    docs = Document.objects.count()
    print(f"{docs} documents, {Task.objects.count()} tasks", flush=True)
    times = time_search(rounds)
    p95 = percentile(times, 95)
    print(
        f"search over {docs} documents ({len(QUERIES)} queries): {summary(times)}; "
        f"target p95 ≤ {search_target_ms:.0f} ms: {verdict(p95 <= search_target_ms)}",
        flush=True,
    )
    for kind, values in time_pages(rounds).items():
        p95 = percentile(values, 95)
        print(
            f"page {kind}: {summary(values)}; "
            f"target p95 ≤ {page_target_ms:.0f} ms: {verdict(p95 <= page_target_ms)}",
            flush=True,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=REPO / "bench-data" / "web")
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--workers", type=int, default=2, help="parse processes for the build")
    parser.add_argument("--rounds", type=int, default=5, help="timed runs of each query/page")
    parser.add_argument("--ingest", type=int, default=300, help="documents for the ingest figure")
    parser.add_argument(
        "--tasks-every",
        type=int,
        default=20,
        help="build: extract and store the tasks of one document in N (storing ~25 tasks is "
        "most of the cost of storing a document; 1 = every document)",
    )
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args(argv)

    if not (args.corpus / "docs").is_dir():
        print(f"no corpus at {args.corpus} (give --corpus)", file=sys.stderr)
        return 2
    args.data = args.data.resolve()
    args.data.mkdir(parents=True, exist_ok=True)
    os.environ["CCHC_DATA_DIR"] = str(args.data)
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("CCHC_DEBUG", None)
    os.environ["CCHC_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    from cchc.web import runtime

    runtime.setup()
    from cchc.web.demo import create_deployment

    create_deployment()
    templates = load_templates(args.corpus)
    began = time.perf_counter()
    build(args.docs, templates, args.workers, args.tasks_every)
    print(f"database: {database_size(args.data)} in {args.data}", flush=True)
    if args.build_only:
        print(f"build step took {time.perf_counter() - began:.0f} s")
        return 0

    report_reads(args.rounds, SEARCH_TARGET_MS, PAGE_TARGET_MS)

    rates = time_ingest(args.ingest, templates)
    rate, done = rates["folder"]
    print(
        f"ingest of typed documents: {rate:.1f} docs/s ({done} documents as a folder, parsed "
        f"in {os.cpu_count()} worker processes); target ≥ {INGEST_TARGET:.0f} docs/s: "
        f"{verdict(rate >= INGEST_TARGET)}",
        flush=True,
    )
    rate, done = rates["one by one"]
    print(f"  one by one through ingest_file: {rate:.1f} docs/s ({done} documents)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
