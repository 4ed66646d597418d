"""A deployment run as its users run it, for the worker tests and benchmarks: `cchc serve` and
`cchc worker` processes, a Redis broker and the database (a `tests/pg.py` server, or SQLite),
all on loopback in one temporary folder. Documents go in through the upload API; what became of
them is read from the database."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psutil
import requests

CCHC = str(Path(sys.executable).with_name("cchc"))
USER, PASSWORD = "quantri", "cluster-test-2026"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, timeout: float, what: str, every: float = 0.2):
    """Poll `check` until it returns something true; fail naming `what` after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if result := check():
                return result
        time.sleep(every)
    raise TimeoutError(f"{what}: not after {timeout:.0f} s")


class Redis:
    """A Redis server in `folder` with an append-only file, so a restart keeps queued jobs (the
    README's set-up asks the same of a production broker)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None
        folder.mkdir(parents=True, exist_ok=True)

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.folder),
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
                "--save",
                "",
            ],
            stdout=(self.folder / "log").open("ab"),
            stderr=subprocess.STDOUT,
        )
        import redis

        wait_for(lambda: redis.Redis(port=self.port).ping(), 20, "redis-server answering")

    def stop(self, kill: bool = False) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
            self.process.wait(30)
            self.process = None


class Deployment:
    """cchc on `database_url` (None: SQLite in the folder), with jobs through `redis` (None:
    the web server's own thread)."""

    def __init__(self, folder: Path, database_url: str | None, redis: Redis | None = None):
        self.folder = folder
        self.database_url = database_url
        self.redis = redis
        broker_url = redis.url if redis else None
        self.env = {
            **os.environ,
            "CCHC_DATA_DIR": str(folder / "data"),
            "CCHC_SECRET_KEY": "cluster-test",
        }
        self.env.pop("DJANGO_SETTINGS_MODULE", None)
        for name, value in (("DATABASE_URL", database_url), ("CELERY_BROKER_URL", broker_url)):
            if value:
                self.env[name] = value
            else:
                self.env.pop(name, None)
        self.server: subprocess.Popen | None = None
        self.workers: list[subprocess.Popen] = []
        self.base = ""

    def cchc(self, *args: str) -> None:
        env = {**self.env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD}
        subprocess.run([CCHC, *args], env=env, check=True, capture_output=True, timeout=300)

    def set_up(self) -> None:
        self.cchc("manage", "migrate")
        self.cchc(
            "manage",
            "createsuperuser",
            "--noinput",
            "--username",
            USER,
            "--email",
            "quantri@example.vn",
        )

    def _start(self, *args: str, log: str) -> subprocess.Popen:
        return subprocess.Popen(
            [CCHC, *args],
            env=self.env,
            start_new_session=True,
            stdout=(self.folder / log).open("ab"),
            stderr=subprocess.STDOUT,
        )

    def serve(self) -> None:
        port = free_port()
        self.server = self._start("serve", "--port", str(port), log="serve.log")
        self.base = f"http://127.0.0.1:{port}"
        wait_for(lambda: requests.get(self.base + "/dang-nhap/", timeout=5).ok, 60, "cchc serve")

    def start_worker(self, concurrency: int = 1) -> subprocess.Popen:
        worker = self._start("worker", "--concurrency", str(concurrency), log="worker.log")
        self.workers.append(worker)
        return worker

    @contextlib.contextmanager
    def running_workers(self, count: int = 1, concurrency: int = 1):
        """`count` workers for the length of the block (killed after it, if still running)."""
        started = [self.start_worker(concurrency) for _ in range(count)]
        try:
            yield started
        finally:
            for worker in started:
                if worker in self.workers:
                    self.kill_worker(worker)

    def busy_with_ocr(self, timeout: float = 300) -> tuple[subprocess.Popen, psutil.Process]:
        """Wait until a job is mid-OCR: (its worker, the pool process running it)."""

        def busy():
            for worker in self.workers:
                for child in psutil.Process(worker.pid).children():
                    if any("tesseract" in p.name() for p in child.children(recursive=True)):
                        return worker, child
            return None

        return wait_for(busy, timeout, "a worker process running tesseract", every=0.05)

    def kill_worker(self, worker: subprocess.Popen) -> None:
        """kill -9 the worker and its pool processes (OCR programs they started finish alone)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(30)
        self.workers.remove(worker)

    def stop(self) -> None:
        for process in [*self.workers, self.server]:
            if process is not None and process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(10)
        self.workers, self.server = [], None

    def upload(self, path: Path, retries: int = 0) -> dict:
        """POST one file to the upload API: its job as the API returns it (status `failed` with
        the message when refused). With `retries`, a server error or a dropped connection is
        tried again after a second, as a client would."""
        for attempt in range(retries + 1):
            try:
                with path.open("rb") as fh:
                    response = requests.post(
                        self.base + "/api/upload/",
                        files={"files": (path.name, fh)},
                        auth=(USER, PASSWORD),
                        timeout=60,
                    )
                if response.status_code < 500:
                    response.raise_for_status()
                    return response.json()["jobs"][0]
            except requests.ConnectionError:
                pass
            if attempt < retries:
                time.sleep(1)
        raise RuntimeError(f"{path.name}: upload failed {retries + 1} times")

    def sql(self, query: str) -> list[tuple]:
        if self.database_url is None:
            with contextlib.closing(sqlite3.connect(self.folder / "data" / "cchc.sqlite3")) as db:
                return db.execute(query).fetchall()
        out = subprocess.run(
            ["psql", self.database_url, "-AtF", "\t", "-c", query],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return [tuple(line.split("\t")) for line in out.splitlines() if line]

    def job_status(self, job_id: int) -> str:
        rows = self.sql(f"SELECT status FROM documents_ingestjob WHERE id = {int(job_id)}")
        return rows[0][0] if rows else ""

    def wait_finished(self, job_ids: list[int], timeout: float) -> None:
        ids = ",".join(str(int(i)) for i in job_ids)

        def finished() -> bool:
            rows = self.sql(
                f"SELECT count(*) FROM documents_ingestjob WHERE id IN ({ids}) "
                "AND status NOT IN ('queued', 'running')"
            )
            return int(rows[0][0]) == len(job_ids)

        wait_for(finished, timeout, f"{len(job_ids)} ingest jobs finished", every=0.5)

    def outcome(self, job_ids: list[int]) -> dict:
        """What became of the accepted jobs: `lost` (not in the registry: failed or unfinished),
        `duplicated` (documents beyond one per content), and the jobs' statuses."""
        ids = ",".join(str(int(i)) for i in job_ids) or "0"
        statuses = dict(
            self.sql(
                "SELECT status, count(*) FROM documents_ingestjob "
                f"WHERE id IN ({ids}) GROUP BY status"
            )
        )
        stored = self.sql(
            "SELECT count(DISTINCT d.id) FROM documents_ingestjob j JOIN documents_document d "
            f"ON d.sha256 = j.sha256 WHERE j.id IN ({ids})"
        )[0][0]
        extra = self.sql(
            "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM documents_document "
            "GROUP BY sha256) per_content"
        )[0][0]
        contents = self.sql(
            f"SELECT count(DISTINCT sha256) FROM documents_ingestjob WHERE id IN ({ids})"
        )[0][0]
        return {
            "accepted": len(job_ids),
            "lost": int(contents) - int(stored),
            "duplicated": int(extra),
            "statuses": {k: int(v) for k, v in statuses.items()},
        }


def restart_postgres(database_url: str) -> None:
    """Restart the server behind `database_url` (`pg_ctl restart -m fast`, as its owner)."""
    from tests.pg import pg_bin

    data = subprocess.run(
        ["psql", database_url, "-Atc", "SHOW data_directory"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    log = str(Path(data).parent / "log")
    subprocess.run(
        [*as_owner, str(pg_bin() / "pg_ctl"), "-D", data, "-l", log, "-m", "fast", "-w", "restart"],
        check=True,
        capture_output=True,
        timeout=120,
    )


def scanned_pdf(path: Path, number: int, pages: int = 1, dpi: int = 200) -> Path:
    """A scanned công văn (image-only PDF) whose own number is `number`, so each is new content."""
    from tests.documents import page_lines, render_page

    lines = [line.replace("412/UBND-NV", f"{number}/UBND-NV") for line in page_lines()]
    images = [render_page(lines, dpi=dpi).convert("RGB") for _ in range(pages)]
    images[0].save(path, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return path
