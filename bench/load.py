"""The load benchmark (issue 8): 50 users browsing, searching and updating tasks for 5 minutes
against `cchc serve` on loopback; target p95 ≤ 300 ms and no errors, on SQLite and PostgreSQL.

    .venv/bin/python bench/load.py [--db sqlite|postgres|both] [--minutes 5] [--users 50]
                                   [--docs 2000] [--data bench-data/load]

For each database it sets up a deployment of its own under `--data`: `cchc demo --no-serve`,
then copies of the corpus documents with other numbers and dates (bench/web.py's `write_copy`)
through `ingest_file` up to `--docs` documents (the tasks of one in `--tasks-every` stored),
and the tasks no unit was found for spread over the units (so every officer has tasks of their
own unit to update). Every run starts afresh: `--data/sqlite`, or a throw-away PostgreSQL server
(tests/pg.py, fsync off). Then `cchc serve` runs as a subprocess on 127.0.0.1 and locust
(bench/locustfile.py) runs headless against it for `--minutes`; every request it makes is
recorded and summed up here per endpoint.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from bench.web import load_templates, percentile, verdict, write_copy  # noqa: E402

BIN = Path(sys.executable).parent
P95_TARGET_MS = 300.0


def server_env(data: Path, database_url: str | None) -> dict:
    env = {**os.environ, "CCHC_DATA_DIR": str(data)}
    for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "CCHC_DEBUG"):
        env.pop(name, None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def prepare(env: dict, args) -> None:
    """`cchc demo --no-serve`, then the bigger registry (in a process of its own, as Django is
    set up once per process)."""
    subprocess.run(
        [BIN / "cchc", "demo", "--no-serve"], env=env, check=True, stdout=subprocess.DEVNULL
    )
    command = [
        sys.executable,
        __file__,
        "--build",
        "--docs",
        str(args.docs),
        "--tasks-every",
        str(args.tasks_every),
        "--corpus",
        str(args.corpus),
    ]
    subprocess.run(command, env=env, check=True)


def build_registry(args) -> None:
    """Run in the deployment's environment: copies of the corpus documents through `ingest_file`
    up to `--docs` documents, then the tasks no unit was found for spread over the
    units."""
    from cchc.web import runtime

    runtime.setup()
    from cchc.web.accounts.models import Unit
    from cchc.web.documents.ingest import ingest_file
    from cchc.web.documents.models import Document, IngestJob
    from cchc.web.work.models import Task

    corpus = templates(args.corpus)
    index = IngestJob.objects.count()  # copy numbers already used
    have = first = Document.objects.count()
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="cchc-load-") as workdir:
        while have < args.docs:
            path = write_copy(index, corpus, workdir)
            job = ingest_file(path, tasks=index % args.tasks_every == 0)
            have += job.status == IngestJob.Status.DONE
            path.unlink()
            index += 1
    if have > first:
        print(f"registry: {have - first} documents ingested in {time.perf_counter() - began:.0f} s")
    units = list(Unit.objects.order_by("pk").values_list("pk", flat=True))
    free = list(
        Task.objects.filter(unit=None, collective=False).order_by("pk").values_list("pk", flat=True)
    )
    for n, unit in enumerate(units):
        mine = free[n :: len(units)]
        for start in range(0, len(mine), 500):
            Task.objects.filter(pk__in=mine[start : start + 500]).update(unit=unit)
    print(
        f"registry: {Document.objects.count()} documents, {Task.objects.count()} tasks "
        f"({len(free)} given a unit here)"
    )


def templates(corpus: Path) -> list[tuple[str, str]]:
    """The corpus documents, or the demo samples when there is no corpus."""
    if (corpus / "docs").is_dir():
        return load_templates(corpus)
    samples = REPO / "src" / "cchc" / "samples"
    return [
        (p.stem, p.read_text(encoding="utf-8"))
        for p in sorted(samples.glob("*.[mt][dx]*"))
        if p.name != "README.md"
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env: dict, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(
        [BIN / "cchc", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc, f"http://127.0.0.1:{port}"
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"cchc serve did not start (see {log})")


def run_locust(url: str, data: Path, args) -> Path:
    records = data / "requests.tsv"
    command = [
        BIN / "locust",
        "-f",
        HERE / "locustfile.py",
        "--headless",
        "--only-summary",
        "-u",
        str(args.users),
        "-r",
        str(args.spawn_rate),
        "--run-time",
        f"{round(args.minutes * 60)}s",
        "--stop-timeout",
        "10",
        "--host",
        url,
    ]
    env = {**os.environ, "CCHC_LOAD_RECORDS": str(records)}
    before = cpu_seconds(resource.getrusage(resource.RUSAGE_CHILDREN))
    with (data / "locust.log").open("w") as log:
        subprocess.run(command, env=env, stdout=log, stderr=subprocess.STDOUT, check=False)
    used = cpu_seconds(resource.getrusage(resource.RUSAGE_CHILDREN)) - before
    return records, used


def code_version() -> str:
    """The commit measured, and whether the working tree differs from it."""

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True).stdout

    changed = [line for line in git("status", "--porcelain", "-uno").splitlines() if line]
    head = git("rev-parse", "--short", "HEAD").strip()
    return head + (f" + uncommitted changes in {len(changed)} files" if changed else "")


def cpu_seconds(usage) -> float:
    return usage.ru_utime + usage.ru_stime


def process_cpu_seconds(pid: int) -> float:
    """CPU time of the server: its master process and its worker processes."""
    import psutil

    server = psutil.Process(pid)
    return sum(sum(p.cpu_times()[:2]) for p in [server, *server.children(recursive=True)])


def report(records: Path, server_log: Path) -> bool:
    """Per endpoint and overall: requests, p50/p95/max, errors; True when the targets are met."""
    times: dict[str, list[float]] = {}
    errors: Counter = Counter()
    for line in records.read_text(encoding="utf-8").splitlines():
        name, ms, error = line.split("\t", 2)
        times.setdefault(name, []).append(float(ms))
        if error:
            errors[(name, error[:120])] += 1
    everything = [t for values in times.values() for t in values]
    if not everything:
        print("  no requests recorded (see locust.log)")
        return False
    print(f"  {'endpoint':<16}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'errors':>8}")
    browsing = [t for name, values in times.items() if name != "log in" for t in values]
    rows = [*sorted(times.items()), ("all but log in", browsing), ("all", everything)]
    for name, values in rows:
        failed = sum(
            n
            for (where, _e), n in errors.items()
            if name == where or name == "all" or (name == "all but log in" and where != "log in")
        )
        print(
            f"  {name:<16}{len(values):>9}{statistics.median(values):>9.0f}"
            f"{percentile(values, 95):>9.0f}{max(values):>9.0f}{failed:>8}"
        )
    for (name, error), n in errors.most_common(8):
        print(f"  error ×{n} {name}: {error}")
    log = server_log.read_text(encoding="utf-8", errors="replace")
    if (tracebacks := log.count("Traceback")) or "database is locked" in log:
        print(f"  server log: {tracebacks} tracebacks ({server_log})")
    p95, total_errors = percentile(everything, 95), sum(errors.values())
    ok = p95 <= P95_TARGET_MS and total_errors == 0
    print(
        f"  target p95 ≤ {P95_TARGET_MS:.0f} ms: {verdict(p95 <= P95_TARGET_MS)} ({p95:.0f} ms); "
        f"target 0 errors: {verdict(total_errors == 0)} ({total_errors})"
    )
    return ok


def bench(db: str, args) -> bool:
    data = args.data / db
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    if db == "sqlite":
        env = server_env(data, None)
        prepare(env, args)
        return measure(db, data, env, args)
    from tests.pg import postgres_server

    with postgres_server() as url:
        env = server_env(data, url)
        prepare(env, args)
        return measure(db, data, env, args)


def measure(db: str, data: Path, env: dict, args) -> bool:
    proc, url = start_server(env, data / "server.log")
    try:
        uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
        print(f"\n{db}: {args.users} users for {args.minutes:g} min on {url}", flush=True)
        print(f"  before the run: {uptime}", flush=True)
        print(f"  code: {code_version()}", flush=True)
        records, locust_cpu = run_locust(url, data, args)
        server_cpu = process_cpu_seconds(proc.pid)
    finally:
        proc.terminate()
        proc.wait(10)
    print(
        f"{db}: results (CPU time used: server {server_cpu:.0f} s, locust {locust_cpu:.0f} s, "
        f"of {os.cpu_count()} cores × {args.minutes * 60:.0f} s)"
    )
    return report(records, data / "server.log")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=2.0, help="users started per second")
    parser.add_argument("--docs", type=int, default=2000, help="documents in the registry")
    parser.add_argument(
        "--tasks-every", type=int, default=10, help="store the tasks of one document in N"
    )
    parser.add_argument("--data", type=Path, default=REPO / "bench-data" / "load")
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--build", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.data = args.data.resolve()
    if args.build:
        build_registry(args)
        return 0
    ok = True
    for db in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        ok = bench(db, args) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
