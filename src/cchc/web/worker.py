"""Celery workers of the scale-out set-up (`CELERY_BROKER_URL`, started with `cchc worker`).

A job's message is acknowledged only after the job ran (`acks_late`), and given back to the
broker when the process running it dies (`reject_on_worker_lost`), so a worker killed mid-OCR
loses nothing. What the broker may still lose (a worker killed with its unacknowledged
message, a Redis without persistence) is sent again by `queue.requeue`, which each worker runs
when it starts and every `SWEEP_SECONDS` after.
"""

from __future__ import annotations

import logging
import threading

from celery import Celery, signals
from django.conf import settings
from django.db import connections

log = logging.getLogger("cchc.ingest")

SWEEP_SECONDS = 60
# How long a task waits before it is tried again when the database is away.
DATABASE_RETRY_SECONDS = 5

app = Celery("cchc")
app.conf.update(
    broker_url=settings.CELERY_BROKER_URL or "redis://127.0.0.1:6379/0",
    broker_connection_retry_on_startup=True,
    broker_transport_options={"visibility_timeout": settings.CCHC_JOB_VISIBILITY},
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    task_ignore_result=True,
    task_serializer="json",
    accept_content=["json"],
    worker_prefetch_multiplier=1,  # a long OCR job does not hold back the jobs behind it
    worker_hijack_root_logger=False,
    timezone=settings.TIME_ZONE,
)


@app.task(name="cchc.ingest", bind=True, max_retries=None)
def ingest(self, job_id: int, lost_run: str | None = None) -> None:
    """OCR, repair, parse, store and index one job's file."""
    from cchc.web.documents.queue import DatabaseLost, process

    try:
        process(job_id, lost_run)
    except DatabaseLost as lost:
        log.warning("ingest job %s: database unavailable (%s); retrying", job_id, lost.__cause__)
        connections.close_all()
        raise self.retry(
            args=(job_id,),
            kwargs={"lost_run": lost.run},
            exc=lost,
            countdown=DATABASE_RETRY_SECONDS,
        ) from lost


def _sweep(stop: threading.Event) -> None:
    from cchc.web.documents.queue import requeue

    at_start = True
    while not stop.is_set():
        try:
            sent = requeue(at_start=at_start)
            if sent:
                log.info("sent %d unfinished ingest job(s) to the workers again", sent)
            at_start = False
        except Exception as exc:  # database or broker away: try again next round
            log.warning("requeue of unfinished jobs failed: %s", exc)
        finally:
            # the main process keeps no connection open for the pool processes it forks
            connections.close_all()
        stop.wait(SWEEP_SECONDS)


_stop_sweep = threading.Event()


@signals.worker_ready.connect
def _start_sweep(**_kwargs) -> None:
    threading.Thread(target=_sweep, args=(_stop_sweep,), name="cchc-requeue", daemon=True).start()


@signals.worker_shutdown.connect
def _stop(**_kwargs) -> None:
    _stop_sweep.set()


def run_worker(concurrency: int, name: str | None = None) -> None:
    """Run a worker in this process (after `runtime.setup`) until it is stopped."""
    connections.close_all()
    argv = [
        "worker",
        "--loglevel=INFO",
        f"--concurrency={concurrency}",
        "--without-mingle",
        "--without-gossip",
    ]
    if name:
        argv.append(f"--hostname={name}")
    app.worker_main(argv)
