"""The job queue's bookkeeping, on the embedded set-up (no broker; SQLite, and PostgreSQL
through tests/test_web_postgres.py): a job runs at most until it finished, a job that stopped
its worker too often fails, a run cut off by a lost database connection goes on without using
up an attempt, and a stopped server's unfinished jobs are taken up again at start."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from cchc.web.documents import queue
from cchc.web.documents.ingest import accept_path
from cchc.web.documents.models import Document, IngestJob

# committed for real, as a worker sees the database (which closes a connection left in a
# transaction between jobs); every app named so that the tables are emptied after each test with
# CASCADE, which PostgreSQL needs for its search tables (made in SQL, referring to documents)
pytestmark = pytest.mark.django_db(transaction=True, available_apps=settings.INSTALLED_APPS)


def test_a_job_runs_once_however_often_it_is_delivered(deployment, sample_path):
    job = accept_path(sample_path("cong-van-tang-cuong-cchc.txt"))
    queue.process(job.pk)
    queue.process(job.pk)  # delivered again (a broker's redelivery, a requeue)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (IngestJob.Status.DONE, 1)
    assert Document.objects.count() == 1


def test_a_job_that_stopped_its_worker_three_times_fails_with_a_reason(deployment, sample_path):
    job = accept_path(sample_path("cong-van-tang-cuong-cchc.txt"))
    IngestJob.objects.filter(pk=job.pk).update(status=IngestJob.Status.RUNNING, attempts=3)
    queue.process(job.pk)
    job.refresh_from_db()
    assert job.status == IngestJob.Status.FAILED
    assert "cong-van-tang-cuong-cchc.txt" in job.message and "3 lần" in job.message
    assert not Document.objects.exists()


def test_a_run_cut_off_by_the_database_goes_on_with_its_attempt(deployment, sample_path):
    """The retry names the run the lost connection cut off: it is the third attempt, not a
    fourth. A message delivered again after that retry died names an older run: it counts."""
    cut_off = timezone.now()
    goes_on = accept_path(sample_path("cong-van-tang-cuong-cchc.txt"))
    IngestJob.objects.filter(pk=goes_on.pk).update(
        status=IngestJob.Status.RUNNING, attempts=3, started_at=cut_off
    )
    queue.process(goes_on.pk, lost_run=cut_off.isoformat())
    goes_on.refresh_from_db()
    assert (goes_on.status, goes_on.attempts) == (IngestJob.Status.DONE, 3)

    stale = accept_path(sample_path("thong-bao-ket-luan.txt"))
    IngestJob.objects.filter(pk=stale.pk).update(
        status=IngestJob.Status.RUNNING, attempts=3, started_at=cut_off
    )
    queue.process(stale.pk, lost_run=(cut_off - timedelta(minutes=5)).isoformat())
    stale.refresh_from_db()
    assert stale.status == IngestJob.Status.FAILED and "3 lần" in stale.message


def test_a_connection_killed_mid_ocr_is_retried_as_the_same_attempt(deployment, tmp_path):
    """PostgreSQL ends the job's connection while the scan is being read: `process` raises
    DatabaseLost naming the run, and the retry stores the document as attempt 1."""
    if connection.vendor != "postgresql":
        pytest.skip("ending a connection needs PostgreSQL (tests/test_web_postgres.py runs it)")
    from tests.cluster import scanned_pdf

    job = accept_path(scanned_pdf(tmp_path / "scan.pdf", 7001, pages=2))
    raised = []

    def run():
        try:
            queue.process(job.pk)
        except queue.DatabaseLost as lost:
            raised.append(lost)

    worker = threading.Thread(target=run)
    worker.start()
    deadline = time.monotonic() + 60
    while IngestJob.objects.get(pk=job.pk).status != IngestJob.Status.RUNNING:
        assert time.monotonic() < deadline, "the job never started"
        time.sleep(0.02)
    with connection.cursor() as cur:  # the worker's connection: idle while tesseract reads
        cur.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    worker.join(120)
    assert len(raised) == 1, "the lost connection was not raised as DatabaseLost"
    job.refresh_from_db()
    assert raised[0].run == job.started_at.isoformat()
    assert (job.status, job.attempts) == (IngestJob.Status.RUNNING, 1)

    queue.process(job.pk, lost_run=raised[0].run)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (IngestJob.Status.DONE, 1)
    assert Document.objects.filter(number__startswith="7001/").count() == 1


def test_unfinished_jobs_of_a_stopped_server_run_at_the_next_start(deployment, sample_path):
    running = accept_path(sample_path("cong-van-tang-cuong-cchc.txt"))
    IngestJob.objects.filter(pk=running.pk).update(status=IngestJob.Status.RUNNING, attempts=1)
    queued = accept_path(sample_path("thong-bao-ket-luan.txt"))
    assert queue.resume_pending() == 2
    queue._jobs.join()  # the server's worker thread has run both
    statuses = dict(IngestJob.objects.values_list("pk", "status"))
    assert statuses == {running.pk: IngestJob.Status.DONE, queued.pk: IngestJob.Status.DONE}
    assert Document.objects.count() == 2
