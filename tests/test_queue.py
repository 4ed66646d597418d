"""The job queue's bookkeeping, on the embedded set-up (SQLite, no broker): a job runs at most
until it finished, a job that stopped its worker too often fails, and a stopped server's
unfinished jobs are taken up again at start."""

from __future__ import annotations

import pytest

from cchc.web.documents import queue
from cchc.web.documents.ingest import accept_path
from cchc.web.documents.models import Document, IngestJob

# committed for real, as a worker sees the database (which closes a connection left in a
# transaction between jobs)
pytestmark = pytest.mark.django_db(transaction=True)


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


def test_unfinished_jobs_of_a_stopped_server_run_at_the_next_start(deployment, sample_path):
    running = accept_path(sample_path("cong-van-tang-cuong-cchc.txt"))
    IngestJob.objects.filter(pk=running.pk).update(status=IngestJob.Status.RUNNING, attempts=1)
    queued = accept_path(sample_path("thong-bao-ket-luan.txt"))
    assert queue.resume_pending() == 2
    queue._jobs.join()  # the server's worker thread has run both
    statuses = dict(IngestJob.objects.values_list("pk", "status"))
    assert statuses == {running.pk: IngestJob.Status.DONE, queued.pk: IngestJob.Status.DONE}
    assert Document.objects.count() == 2
