"""Background ingest work, on either of two engines with the same jobs:

- embedded (default): one worker thread in the web server takes jobs in order;
- scale-out (`CELERY_BROKER_URL` set): `cchc worker` processes take them from a Celery broker
  (Redis), see `cchc.web.worker` and `documents.tasks`.

The database, not the broker, is the record of work: a job row exists before any work starts,
and the broker only carries its id. So a job is safe to deliver twice (`process` runs it at most
once at a time and never after it finished), and one whose worker died, or whose message never
reached the broker, is sent again by `requeue` (at server start for the thread, at worker start
and every minute for Celery workers).
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections.abc import Iterator
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from cchc.web.documents.ingest import DATABASE_AWAY, fail_job, run_job
from cchc.web.documents.models import IngestJob
from cchc.web.worker import app as celery_app

log = logging.getLogger("cchc.ingest")

# A job that was started this many times without finishing (its worker died each time: a
# document that kills the OCR, say) fails instead of stopping workers forever.
MAX_ATTEMPTS = 3
INGEST_TASK = "cchc.ingest"  # documents.tasks.ingest
# The key space of PostgreSQL advisory locks held on jobs while they run (any constant).
_LOCK_SPACE = 7235
# A job created this long ago and never sent to the broker is sent by `requeue`.
_UNSENT_GRACE = timedelta(seconds=30)

# A broker that is restarting gets about two seconds; after that the job waits for `requeue`.
_SEND_RETRY = {"max_retries": 3, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}

_jobs: queue.Queue[tuple[int, str | None]] = queue.Queue()  # (job, lost run)
_worker: threading.Thread | None = None
_lock = threading.Lock()


def uses_celery() -> bool:
    return bool(settings.CELERY_BROKER_URL)


@contextlib.contextmanager
def claim(job_id: int) -> Iterator[bool]:
    """Hold the job for this worker while it runs: True unless another worker holds it.

    On PostgreSQL a session advisory lock, which the server drops with the connection of a
    worker that dies, so the job can be taken again at once. On SQLite (one machine, the thread
    or a single worker) always True: `finish_job` still records a document once per content."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cur:
        cur.execute("SELECT pg_try_advisory_lock(%s, %s)", [_LOCK_SPACE, job_id])
        held = cur.fetchone()[0]
    try:
        yield held
    finally:
        if held:
            with contextlib.suppress(*DATABASE_AWAY), connection.cursor() as cur:
                cur.execute("SELECT pg_advisory_unlock(%s, %s)", [_LOCK_SPACE, job_id])


class DatabaseLost(Exception):
    """The database went away while a job was processed; try again later with `run`.

    `run` is when the cut-off run began (`IngestJob.started_at`, ISO), None if it never began.
    The retry given it goes on with the same attempt, so that database restarts do not use up
    the attempts meant for a file that kills its worker. A retry of a retry that died (the
    broker delivers the same message again) finds a later `started_at` and counts as usual."""

    def __init__(self, job_id: int, run: str | None):
        super().__init__(job_id, run)  # both in the worker's log line
        self.run = run


def process(job_id: int, lost_run: str | None = None) -> None:
    """Run one job unless it is finished or another worker has it (safe to call twice).
    `lost_run` is `DatabaseLost.run` of the run a lost connection cut off (see there).
    Raises DatabaseLost for the caller to try again later."""
    close_old_connections()
    running = None
    try:
        with claim(job_id) as held:
            if not held:
                return
            job = IngestJob.objects.filter(pk=job_id).first()
            if job is None or job.status not in (IngestJob.Status.QUEUED, IngestJob.Status.RUNNING):
                return
            goes_on = lost_run is not None and _run_of(job) == lost_run
            if job.attempts >= MAX_ATTEMPTS and not goes_on:
                fail_job(
                    job,
                    f"{job.original_name}: dừng giữa chừng {job.attempts} lần khi xử lý "
                    "(tệp có thể làm hỏng bộ đọc); không thử lại nữa",
                )
                return
            running = job
            run_job(job, new_attempt=not goes_on)
    except DATABASE_AWAY as exc:
        # running.started_at is the run begun here even if the database never recorded it:
        # then the retry does not match it, and counts the attempt that was not counted
        raise DatabaseLost(job_id, running and _run_of(running)) from exc
    finally:
        close_old_connections()


def _run_of(job: IngestJob) -> str | None:
    return job.started_at.isoformat() if job.started_at else None


def _work() -> None:
    while True:
        job_id, lost_run = _jobs.get()
        try:
            process(job_id, lost_run)
        except DatabaseLost as lost:
            log.warning(
                "ingest job %s: database unavailable (%s); retrying in 5 s", job_id, lost.__cause__
            )
            connection.close()
            time.sleep(5)
            _jobs.put((job_id, lost.run))
        except Exception:
            log.exception("ingest job %s stopped", job_id)
        finally:
            _jobs.task_done()


def enqueue(job: IngestJob) -> None:
    """Hand a queued job to the background worker (thread or Celery)."""
    global _worker
    if job.status != IngestJob.Status.QUEUED:
        return
    if uses_celery():
        _send(job)
        return
    with _lock:
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_work, name="cchc-ingest", daemon=True)
            _worker.start()
    _jobs.put((job.pk, None))


def _send(job: IngestJob) -> bool:
    """Put the job's id on the broker and note when. A broker that is away is no error here:
    the job stays queued in the database and `requeue` sends it later."""
    try:
        # by name: the task's module (documents.tasks) imports this one
        celery_app.send_task(INGEST_TASK, (job.pk,), retry=True, retry_policy=_SEND_RETRY)
    except Exception as exc:
        log.warning("ingest job %s: broker unavailable (%s); it will be sent again", job.pk, exc)
        return False
    IngestJob.objects.filter(pk=job.pk).update(sent_at=timezone.now())
    return True


def _held(job_id: int) -> bool:
    """Is a worker running this job now? (PostgreSQL only; elsewhere: not known, so False.)"""
    with claim(job_id) as free:
        return not free


def requeue(at_start: bool = False) -> int:
    """Send again the unfinished jobs no worker has: running ones whose worker died (on SQLite
    only `at_start`, when no other worker can be running them) and queued ones that never
    reached the broker, or all queued ones `at_start` (a broker that lost its messages loses no
    job; a job delivered twice runs once). Returns how many were sent."""
    unfinished = IngestJob.objects.filter(
        status__in=[IngestJob.Status.QUEUED, IngestJob.Status.RUNNING]
    ).order_by("created_at")
    sent = 0
    for job in unfinished.iterator():
        if job.status == IngestJob.Status.QUEUED:
            orphan = at_start or (
                job.sent_at is None and timezone.now() - job.created_at > _UNSENT_GRACE
            )
        elif connection.vendor == "postgresql":
            orphan = not _held(job.pk)
        else:
            orphan = at_start
        if not orphan:
            continue
        if uses_celery():
            sent += _send(job)
        else:
            IngestJob.objects.filter(pk=job.pk).update(status=IngestJob.Status.QUEUED)
            job.status = IngestJob.Status.QUEUED
            enqueue(job)
            sent += 1
    return sent


def resume_pending() -> int:
    """At server start: the thread takes up what a stopped server left; Celery workers look
    after their own jobs (`cchc worker`)."""
    if uses_celery():
        return 0
    return requeue(at_start=True)
