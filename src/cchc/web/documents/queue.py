"""In-process background work for the embedded set-up: one worker thread takes ingest jobs in
order. Jobs live in the database, so jobs left queued or running by a stopped server are
taken up again when it starts (`resume_pending`)."""

from __future__ import annotations

import queue
import threading

from django.db import close_old_connections

from cchc.web.documents.models import IngestJob

_jobs: queue.Queue[int] = queue.Queue()
_worker: threading.Thread | None = None
_lock = threading.Lock()


def _work() -> None:
    from cchc.web.documents.ingest import run_job

    while True:
        job_id = _jobs.get()
        try:
            close_old_connections()
            job = IngestJob.objects.filter(pk=job_id).first()
            if job is not None:
                run_job(job)
        finally:
            close_old_connections()
            _jobs.task_done()


def enqueue(job: IngestJob) -> None:
    global _worker
    if job.status != IngestJob.Status.QUEUED:
        return
    with _lock:
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_work, name="cchc-ingest", daemon=True)
            _worker.start()
    _jobs.put(job.pk)


def resume_pending() -> int:
    """Queue again every job a previous run left unfinished."""
    pending = list(
        IngestJob.objects.filter(
            status__in=[IngestJob.Status.QUEUED, IngestJob.Status.RUNNING]
        ).order_by("created_at")
    )
    for job in pending:
        IngestJob.objects.filter(pk=job.pk).update(status=IngestJob.Status.QUEUED)
        job.status = IngestJob.Status.QUEUED
        enqueue(job)
    return len(pending)

