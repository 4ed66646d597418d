"""Scanned documents through the two ingest engines, and through faults (issue 8 §2):

    .venv/bin/python bench/workers.py [--docs 12] [--part throughput|faults|all]

Every deployment is started here as its users start it (`cchc serve`, `cchc worker`, Redis,
PostgreSQL on loopback; `tests/cluster.py`), and documents go in through the upload API as
image-only PDFs of 1–3 pages at 300 dpi, each with its own number, so none is a duplicate.

1. OCR throughput, in pages per minute from the first upload to the last job finished:
   - in-process: the embedded set-up (SQLite, the web server's own worker thread);
   - Celery: PostgreSQL + Redis with 2 `cchc worker` processes of one pool process each.
2. Faults, each on its own fresh Celery deployment, counting what became of the accepted
   documents: lost (accepted but not in the registry) and duplicated (documents beyond one per
   content), both of which must be 0:
   - kill -9 of a pool process mid-OCR, three times, and of a whole worker once (restarted);
   - PostgreSQL restarted twice during ingest;
   - Redis restarted twice during ingest (once with kill -9);
   - the upload folder on a 2 MB tmpfs (needs root): uploads past the limit must be refused
     with a message, and every upload accepted before stored.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.cluster import Deployment, Redis, restart_postgres, scanned_pdf  # noqa: E402
from tests.pg import postgres_server  # noqa: E402

TIMEOUT = 1800


def make_scans(folder: Path, docs: int, first: int, dpi: int = 300) -> tuple[list[Path], int]:
    """`docs` scanned PDFs of 1, 2, 3, 1, 2, 3… pages; returns them and the page count."""
    folder.mkdir(parents=True, exist_ok=True)
    scans = [
        scanned_pdf(folder / f"scan-{first + i}.pdf", first + i, 1 + i % 3, dpi)
        for i in range(docs)
    ]
    return scans, sum(1 + i % 3 for i in range(docs))


@contextlib.contextmanager
def deployment(folder: Path, celery: bool, media_size: str | None = None):
    """A served deployment: Celery (PostgreSQL + Redis) or embedded (SQLite, thread)."""
    folder.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(postgres_server()) if celery else None
        redis = None
        if celery:
            redis = Redis(folder / "redis")
            redis.start()
            stack.callback(redis.stop)
        site = Deployment(folder, url, redis)
        site.set_up()
        if media_size:
            files = folder / "data" / "files"
            files.mkdir(parents=True, exist_ok=True)
            subprocess.run(
                ["mount", "-t", "tmpfs", "-o", f"size={media_size}", "tmpfs", str(files)],
                check=True,
                capture_output=True,
            )
            stack.callback(subprocess.run, ["umount", "-l", str(files)], check=True)
        stack.callback(site.stop)
        site.serve()
        yield site


def throughput(root: Path, docs: int) -> None:
    scans, pages = make_scans(root / "scans", docs, 7000)
    print(
        f"OCR throughput: {docs} scanned documents, {pages} pages at 300 dpi, "
        f"{os.cpu_count()} cores"
    )
    for label, celery in (
        ("in-process (SQLite, server thread)", False),
        ("Celery, 2 workers (PostgreSQL + Redis)", True),
    ):
        with deployment(root / ("celery" if celery else "embedded"), celery) as site:
            if celery:
                for _ in range(2):
                    site.start_worker(concurrency=1)
                time.sleep(5)  # workers connected before the clock starts
            start = time.perf_counter()
            jobs = [site.upload(scan)["id"] for scan in scans]
            site.wait_finished(jobs, TIMEOUT)
            seconds = time.perf_counter() - start
            outcome = site.outcome(jobs)
        print(
            f"  {label:<40} {pages / seconds * 60:7.1f} pages/min  ({seconds:.1f} s; "
            f"{outcome['statuses']})"
        )


def _kill_pool_process_mid_ocr(site: Deployment) -> None:
    site.busy_with_ocr()[1].kill()


def _kill_worker_mid_ocr(site: Deployment) -> None:
    site.kill_worker(site.busy_with_ocr()[0])
    site.start_worker(concurrency=1)


def _restart_redis(site: Deployment, kill: bool) -> None:
    site.redis.stop(kill=kill)
    time.sleep(2)
    site.redis.start()


FAULTS = {
    "kill -9: 3 pool processes mid-OCR, 1 whole worker": [
        _kill_pool_process_mid_ocr,
        _kill_pool_process_mid_ocr,
        _kill_worker_mid_ocr,
        _kill_pool_process_mid_ocr,
    ],
    "PostgreSQL restarted twice": [
        lambda site: restart_postgres(site.database_url),
        lambda site: restart_postgres(site.database_url),
    ],
    "Redis restarted twice (SIGTERM, then kill -9)": [
        lambda site: _restart_redis(site, kill=False),
        lambda site: _restart_redis(site, kill=True),
    ],
}


def fault_run(root: Path, name: str, faults, docs: int, first: int) -> dict:
    """Upload `docs` scans to 2 workers, applying `faults` one after another while they work;
    clients retry an upload the server could not take (as the web page does)."""
    scans, _pages = make_scans(root / "scans", docs, first)
    rng = random.Random(first)
    with deployment(root / "site", celery=True) as site:
        for _ in range(2):
            site.start_worker(concurrency=1)
        jobs, half = [], docs // 2
        for scan in scans[:half]:
            jobs.append(site.upload(scan, retries=30)["id"])
        for fault in faults:
            time.sleep(rng.uniform(0, 3))
            fault(site)
        for scan in scans[half:]:
            jobs.append(site.upload(scan, retries=30)["id"])
        site.wait_finished(jobs, TIMEOUT)
        return site.outcome(jobs)


def full_disk_run(root: Path, docs: int, first: int) -> dict:
    scans, _pages = make_scans(root / "scans", docs, first, dpi=150)
    with deployment(root / "site", celery=False, media_size="2m") as site:
        accepted, refused, messages = [], 0, set()
        for scan in scans:
            job = site.upload(scan)
            if job["status"] == "failed":
                refused += 1
                messages.add(job["message"].split(": ", 1)[-1])
            else:
                accepted.append(job["id"])
        site.wait_finished(accepted, TIMEOUT)
        outcome = site.outcome(accepted)
        partial = list((root / "site" / "data" / "files").rglob(".upload-*"))
    outcome.update(refused=refused, messages=sorted(messages), partial_files=len(partial))
    return outcome


def faults(root: Path, docs: int) -> None:
    print(f"Faults: {docs} scanned documents per run, 2 Celery workers")
    first = 8000
    for name, steps in FAULTS.items():
        outcome = fault_run(root / f"fault-{first}", name, steps, docs, first)
        print(
            f"  {name:<52} accepted {outcome['accepted']:3}  lost {outcome['lost']}  "
            f"duplicated {outcome['duplicated']}  {outcome['statuses']}"
        )
        first += 1000
    if os.geteuid() != 0:
        print("  upload folder full: skipped (mounting a tmpfs needs root)")
        return
    outcome = full_disk_run(root / "full-disk", docs * 4, first)
    print(
        f"  {'upload folder full (2 MB tmpfs, in-process)':<52} accepted "
        f"{outcome['accepted']:3}  lost {outcome['lost']}  duplicated {outcome['duplicated']}"
        f"  refused {outcome['refused']} ({'; '.join(outcome['messages'])})  partial files "
        f"{outcome['partial_files']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=12)
    parser.add_argument("--part", choices=["throughput", "faults", "all"], default="all")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cchc-bench-workers-") as tmp:
        root = Path(tmp)
        if args.part in ("throughput", "all"):
            throughput(root / "throughput", args.docs)
        if args.part in ("faults", "all"):
            faults(root / "faults", args.docs)


if __name__ == "__main__":
    main()
