"""The Celery task of ingest and the workers' sweep of unfinished jobs (see `queue` for the
guarantees, `cchc.web.worker` for the application and its settings)."""

from __future__ import annotations

import logging
import threading

from celery import signals
from django.db import connections

from cchc.web.documents.queue import INGEST_TASK, DatabaseLost, process, requeue
from cchc.web.worker import app

log = logging.getLogger("cchc.ingest")

SWEEP_SECONDS = 60
# How long a task waits before it is tried again when the database is away.
DATABASE_RETRY_SECONDS = 5


@app.task(name=INGEST_TASK, bind=True, max_retries=None)
def ingest(self, job_id: int, lost_run: str | None = None) -> None:
    """OCR, repair, parse, store and index one job's file."""
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
