"""Celery workers of the scale-out set-up (`CELERY_BROKER_URL`, started with `cchc worker`):
the Celery application and its settings. The tasks are the apps' (`documents/tasks.py`); the
workers import them when they start (`include`), so this module imports no app.

A job's message is acknowledged only after the job ran (`acks_late`), and given back to the
broker when the process running it dies (`reject_on_worker_lost`), so a worker killed mid-OCR
loses nothing. What the broker may still lose (a worker killed with its unacknowledged
message, a Redis without persistence) is sent again by `queue.requeue`, which each worker runs
when it starts and every `documents.tasks.SWEEP_SECONDS` after.
"""

from __future__ import annotations

from celery import Celery
from django.conf import settings
from django.db import connections

app = Celery("cchc", include=["cchc.web.documents.tasks"])
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
