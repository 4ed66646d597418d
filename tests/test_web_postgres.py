"""The web app's tests again, on a real PostgreSQL server started here: the same code must
search (tsvector), ingest and track tasks there as on SQLite."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.pg import pg_bin, postgres_server

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(pg_bin() is None, reason="PostgreSQL not installed (make test installs it)")
def test_the_web_suite_passes_on_postgresql():
    with postgres_server() as url:
        env = {**os.environ, "DATABASE_URL": url}
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-o",
                "addopts=",
                "-q",
                "-p",
                "no:cacheprovider",
                "tests/test_web_ingest.py",
                "tests/test_web_search.py",
                "tests/test_web_tasks.py",
                "tests/test_web_security.py",
                "tests/test_queue.py",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    summary = run.stdout.strip().splitlines()[-1]
    assert " passed" in summary and "skipped" not in summary, summary
