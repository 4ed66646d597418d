"""The scale-out set-up under faults: `cchc serve` and `cchc worker` processes with a Redis
broker and PostgreSQL, started here on loopback. Documents go in through the upload API; after
each fault, every accepted document must be in the registry once (none lost, none twice)."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess

import pytest

from tests.cluster import Deployment, Redis, restart_postgres, scanned_pdf
from tests.pg import pg_bin, postgres_server

pytestmark = pytest.mark.skipif(
    pg_bin() is None or shutil.which("redis-server") is None,
    reason="needs Debian's postgresql and redis-server (make test installs them)",
)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cluster")
    with postgres_server() as url:
        redis = Redis(folder / "redis")
        redis.start()
        deployment = Deployment(folder, url, redis)
        try:
            deployment.set_up()
            deployment.serve()
            yield deployment
        finally:
            deployment.stop()
            redis.stop()


def _upload_scans(cluster, tmp_path, first: int, count: int, pages: int = 1) -> list[int]:
    jobs = [
        cluster.upload(scanned_pdf(tmp_path / f"scan-{n}.pdf", n, pages))
        for n in range(first, first + count)
    ]
    assert all(job["status"] == "queued" for job in jobs), jobs
    return [job["id"] for job in jobs]


def _assert_all_stored_once(cluster, job_ids: list[int]) -> dict:
    outcome = cluster.outcome(job_ids)
    assert outcome["lost"] == 0, outcome
    assert outcome["duplicated"] == 0, outcome
    assert outcome["statuses"] == {"done": len(job_ids)}, outcome
    return outcome


def test_jobs_go_through_the_broker_to_a_worker(cluster, tmp_path):
    jobs = _upload_scans(cluster, tmp_path, 1001, 2)
    assert {cluster.job_status(j) for j in jobs} == {"queued"}  # no worker yet: nothing runs
    with cluster.running_workers():
        cluster.wait_finished(jobs, 180)
    _assert_all_stored_once(cluster, jobs)
    numbers = {row[0] for row in cluster.sql("SELECT number FROM documents_document")}
    assert {"1001/UBND-NV", "1002/UBND-NV"} <= numbers  # read from the scans by OCR
    sent = cluster.sql(
        f"SELECT count(*) FROM documents_ingestjob WHERE id IN {tuple(jobs)} "
        "AND sent_at IS NOT NULL"
    )
    assert int(sent[0][0]) == 2


def test_a_pool_process_killed_mid_ocr_loses_nothing(cluster, tmp_path):
    with cluster.running_workers():
        jobs = _upload_scans(cluster, tmp_path, 2001, 2, pages=3)
        cluster.busy_with_ocr()[1].kill()  # kill -9 of the process running the job
        cluster.wait_finished(jobs, 300)
    _assert_all_stored_once(cluster, jobs)
    attempts = cluster.sql(
        f"SELECT max(attempts) FROM documents_ingestjob WHERE id IN {tuple(jobs)}"
    )
    assert int(attempts[0][0]) == 2  # the killed job ran again, to the end


def test_a_worker_killed_whole_mid_ocr_is_taken_up_by_the_next(cluster, tmp_path):
    with cluster.running_workers():
        jobs = _upload_scans(cluster, tmp_path, 3001, 2, pages=3)
        # the worker and its pool: the broker never hears back
        cluster.kill_worker(cluster.busy_with_ocr()[0])
    assert "running" in {cluster.job_status(j) for j in jobs}
    with cluster.running_workers():
        cluster.wait_finished(jobs, 300)
    _assert_all_stored_once(cluster, jobs)


def test_postgres_and_redis_restarts_during_ingest_lose_nothing(cluster, tmp_path):
    with cluster.running_workers():
        jobs = _upload_scans(cluster, tmp_path, 4001, 3, pages=2)
        cluster.busy_with_ocr()
        restart_postgres(cluster.database_url)
        cluster.redis.stop()
        cluster.redis.start()
        jobs += _upload_scans(cluster, tmp_path, 4101, 2)
        cluster.wait_finished(jobs, 300)
    _assert_all_stored_once(cluster, jobs)


def test_the_same_scan_twice_is_one_document(cluster, tmp_path):
    scan = scanned_pdf(tmp_path / "twice.pdf", 5001)
    first = cluster.upload(scan)
    copy = tmp_path / "twice-copy.pdf"
    shutil.copy(scan, copy)
    second = cluster.upload(copy)
    with cluster.running_workers(2):
        cluster.wait_finished([first["id"], second["id"]], 180)
    outcome = cluster.outcome([first["id"], second["id"]])
    assert outcome["lost"] == 0 and outcome["duplicated"] == 0, outcome
    assert outcome["statuses"] == {"done": 1, "duplicate": 1}, outcome


@contextlib.contextmanager
def _small_disk(folder, size: str):
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.decode().strip()})")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small tmpfs needs root")
def test_a_full_upload_disk_refuses_clearly_and_keeps_what_it_took(tmp_path):
    """The upload folder on a 1 MB tmpfs: uploads past the limit are refused with a message
    that says so; every upload accepted before is stored, and no partial file is left."""
    with postgres_server() as url:
        deployment = Deployment(tmp_path, url)
        try:
            deployment.set_up()
            with _small_disk(tmp_path / "data" / "files", "1m") as files:
                deployment.serve()
                accepted, refused = [], []
                for n in range(60):
                    job = deployment.upload(scanned_pdf(tmp_path / f"s{n}.pdf", 6000 + n, dpi=100))
                    (accepted if job["status"] != "failed" else refused).append(job)
                assert accepted and refused
                assert all("không đủ chỗ trên đĩa" in job["message"] for job in refused), refused
                deployment.wait_finished([job["id"] for job in accepted], 600)
                _assert_all_stored_once(deployment, [job["id"] for job in accepted])
                assert not list(files.rglob(".upload-*"))
        finally:
            deployment.stop()
