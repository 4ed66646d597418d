"""One million documents on PostgreSQL (issue 8): search p95 ≤ 200 ms, registry page p95 ≤ 150 ms.

    .venv/bin/python bench/scale.py [--docs 1000000] [--data bench-data/pg1m] [--build-only]

A PostgreSQL server is started here (`tests/pg.py`) on a cluster kept in `--data`/pg, the
originals in `--data`/files; a built set is reused by later runs and a stopped build resumes.

The set is built through the real code, as `bench/web.py` builds its SQLite set: each copy of a
corpus document gets another printed number, every full date moved, and (for documents of an
ỦY BAN NHÂN DÂN) the issuer printed in the header replaced by one of the invented communes below;
it is written to a file, accepted by `accept_path` (`store_file`), parsed by `cchc.parse_file`
(OCR is never needed: the corpus is typed) and stored as `cchc ingest DIR` stores a folder,
`finish_jobs` for 50 at a time (`save_documents`: documents, citations, tasks, search index,
audit, in one transaction). Every copy is parsed. What keeps the build short and the disk in
bounds:

- only corpus documents of ≤ 15 KB (most công văn are 1–3 pages) with a printed number (so every
  copy differs), about half the corpus;
- tasks are extracted and stored for one copy in `--tasks-every` (storing ~25 tasks is most of
  the cost of storing a document);
- `--workers` processes each accept, parse and store their own copies;
- the server runs without fsync and synchronous commit (settings for building, not serving).

`--build-minutes` stops the build in time to measure at the size reached, and the next run goes
on from there. Documents per second and disk use are printed.

Then the search page's queries (bench/web.py's list) and the registry page are timed.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import re
import sys
import tempfile
import time
from pathlib import Path

from web import REPO, load_templates, report_reads, vary

sys.path.insert(0, str(REPO))
from tests.pg import postgres_server

SEARCH_TARGET_MS, PAGE_TARGET_MS = 200.0, 150.0
MAX_TEMPLATE_BYTES = 15_000
SERVER = {
    "shared_buffers": "1GB",
    "maintenance_work_mem": "512MB",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "wal_level": "minimal",
    "max_wal_senders": "0",
    "max_wal_size": "8GB",
    "checkpoint_timeout": "30min",
}
# Invented communes and wards whose People's Committees issue the copies of local documents.
PLACES = (
    "An Lạc",
    "Bình Minh",
    "Tân Phú",
    "Hòa Bình",
    "Phú Mỹ",
    "Thạnh Lợi",
    "Long Hưng",
    "Vĩnh Thành",
    "Đông Hải",
    "Tây Sơn",
    "Nam Hòa",
    "Bắc Sơn",
    "Hưng Đạo",
    "Quang Trung",
    "Phước Long",
    "Yên Thế",
    "Cẩm Giàng",
    "Mỹ Xuyên",
    "Thuận An",
    "Hòa Hiệp",
    "Tiên Phước",
    "Kim Liên",
    "Đức Hòa",
    "Xuân Lộc",
    "Hải Châu",
    "Lộc Ninh",
    "Sơn Tịnh",
    "Thanh Khê",
    "Ngọc Lặc",
    "Cát Tiên",
)
ISSUERS = [f"{kind} {place}".upper() for kind in ("XÃ", "PHƯỜNG") for place in PLACES]
_COMMITTEE = re.compile(r"^(ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN)(\s*\n\s*)([^\n]+)$", re.M)


def vary_issuer(text: str, copy: int) -> str:
    """The locality under a printed `ỦY BAN NHÂN DÂN` header replaced: the original for one copy
    in five, else one of ISSUERS."""
    if copy % 5 == 0:
        return text
    issuer = ISSUERS[copy % len(ISSUERS)]
    return _COMMITTEE.sub(lambda m: f"{m[1]}{m[2]}{issuer}", text, count=1)


def templates(corpus: Path) -> list[tuple[str, str]]:
    """Typical corpus documents (≤ MAX_TEMPLATE_BYTES) whose number is printed, so that each copy
    has its own number and content."""
    return [
        (stem, text)
        for stem, text in load_templates(corpus)
        if len(text.encode()) <= MAX_TEMPLATE_BYTES and vary(text, 1, 0) != vary(text, 2, 0)
    ]


def copy_text(index: int, chosen: list[tuple[str, str]]) -> tuple[str, str]:
    which = index % len(chosen)
    stem, text = chosen[which]
    copy = index // len(chosen)
    return f"{stem}-{index}.md", vary_issuer(vary(text, copy, which), copy)


def _store_copies(
    worker: int, workers: int, first: int, count: int, chosen, tasks_every: int, until: float
):
    """One build process: copies first + worker, first + worker + workers, … until `count` are
    stored or the clock passes `until`. As `cchc ingest DIR` does: each file accepted
    (`accept_path`) and parsed, and stored STORE_BATCH to a transaction (`finish_jobs`)."""
    import cchc
    from cchc.web.documents.ingest import STORE_BATCH, accept_path, finish_jobs
    from cchc.web.documents.models import IngestJob

    began, done, skipped, batch = time.perf_counter(), 0, 0, []
    with tempfile.TemporaryDirectory(prefix="cchc-scale-") as workdir:
        index = first + worker
        while done < count and time.time() < until:
            name, text = copy_text(index, chosen)
            path = Path(workdir) / name
            path.write_text(text, encoding="utf-8")
            job = accept_path(path, direction="di" if index % 4 == 3 else "den")
            try:
                parsed = cchc.parse_file(path, tasks=index % tasks_every == 0)
                parsed.file = job.original_name
            except Exception as exc:  # stored as a failed job
                parsed = f"{type(exc).__name__}: {exc}"
            path.unlink()
            index += workers
            if job.status == IngestJob.Status.QUEUED:
                batch.append((job, parsed))
            if len(batch) < STORE_BATCH:
                continue
            finished = finish_jobs(batch)
            batch = []
            stored = sum(job.status == IngestJob.Status.DONE for job in finished)
            skipped += len(finished) - stored
            if done // 5000 != (done + stored) // 5000:
                rate = (done + stored) / (time.perf_counter() - began)
                print(f"  worker {worker}: {done + stored} stored, {rate:.0f} docs/s", flush=True)
            done += stored
        if batch:
            done += sum(job.status == IngestJob.Status.DONE for job in finish_jobs(batch))
    print(f"  worker {worker}: {done} stored, {skipped} skipped", flush=True)


def build(target: int, chosen, workers: int, tasks_every: int, minutes: float) -> None:
    from django.db import connections

    from cchc.web.documents.models import Document, IngestJob

    have = Document.objects.count()
    if have >= target:
        print(f"database: {have} documents already built", flush=True)
        return
    last = IngestJob.objects.order_by("-id").values_list("original_name", flat=True)[:200]
    first = 1 + max((int(n.rsplit("-", 1)[1].split(".")[0]) for n in last), default=-1)
    print(
        f"building: {have} → {target} documents ({workers} processes, {len(chosen)} "
        f"templates, copies from {first})",
        flush=True,
    )
    connections.close_all()  # each process opens its own
    ctx = multiprocessing.get_context("fork")
    share = -(-(target - have) // workers)
    began, until = time.perf_counter(), time.time() + minutes * 60
    procs = [
        ctx.Process(
            target=_store_copies, args=(w, workers, first, share, chosen, tasks_every, until)
        )
        for w in range(workers)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    took = time.perf_counter() - began
    done = Document.objects.count() - have
    print(f"built {done} documents in {took:.0f} s ({done / took:.0f} docs/s)", flush=True)


def disk_use(data: Path) -> str:
    def size(folder: Path) -> float:
        return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e9

    return f"database {size(data / 'pg'):.1f} GB, originals {size(data / 'files'):.1f} GB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=REPO / "bench-data" / "pg1m")
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--workers", type=int, default=2, help="build processes")
    parser.add_argument("--rounds", type=int, default=5, help="timed runs of each query/page")
    parser.add_argument("--tasks-every", type=int, default=20)
    parser.add_argument(
        "--build-minutes",
        type=float,
        default=math.inf,
        help="stop building after this long (a later run resumes)",
    )
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args(argv)

    if not (args.corpus / "docs").is_dir():
        print(f"no corpus at {args.corpus} (give --corpus)", file=sys.stderr)
        return 2
    data = args.data.resolve()
    (data / "files").mkdir(parents=True, exist_ok=True)
    with postgres_server(keep=data / "pg", settings=SERVER) as url:
        os.environ.update(
            DATABASE_URL=url,
            CCHC_DATA_DIR=str(data / "files"),
            CCHC_ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        )
        os.environ.pop("CCHC_DEBUG", None)
        from cchc.web import runtime

        runtime.setup()
        from cchc.web.demo import create_deployment

        create_deployment()
        build(args.docs, templates(args.corpus), args.workers, args.tasks_every, args.build_minutes)
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")  # as autovacuum would leave a settled database
        print(f"disk: {disk_use(data)}", flush=True)
        if args.build_only:
            return 0

        report_reads(args.rounds, SEARCH_TARGET_MS, PAGE_TARGET_MS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
