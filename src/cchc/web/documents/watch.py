"""`cchc ingest`: files and folders given on the command line, and a watched folder."""

from __future__ import annotations

import functools
import multiprocessing
import os
import stat
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from cchc.web.documents.ingest import (
    UploadRejected,
    accept_path,
    ingest_file,
    run_jobs,
)
from cchc.web.documents.models import IngestJob


def _files(paths: Iterable[str]) -> Iterable[Path]:
    for name in paths:
        path = Path(name)
        if path.is_dir():
            yield from regular_files(path)
        else:
            yield path


def regular_files(folder: Path) -> list[Path]:
    """The regular files inside `folder` and its subfolders, in order, without hidden ones.
    Symbolic links are never followed, to files or to folders: a link in a watched folder to
    the server's secret key or /etc/passwd must not become a document anyone can read."""
    found = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            path = Path(root) / name
            if not name.startswith(".") and stat.S_ISREG(path.lstat().st_mode):
                found.append(path)
    return sorted(found)


def _report(path: Path, job: IngestJob, say: Callable[[str], None]) -> bool:
    """Say what happened to one file in one line. True when it is in the registry."""
    if job.status == IngestJob.Status.FAILED:
        say(f"lỗi: {job.message}")
        return False
    label = "đã có (trùng nội dung)" if job.status == IngestJob.Status.DUPLICATE else "đã nhập"
    say(f"{path}: {label} – {job.document}")
    return True


def ingest_one(
    path: Path, direction: str, say: Callable[[str], None], follow_links: bool = True
) -> bool:
    """Ingest one file now."""
    try:
        job = ingest_file(path, direction=direction, follow_links=follow_links)
    except (UploadRejected, OSError) as exc:
        say(f"lỗi: {path}: {exc}")
        return False
    return _report(path, job, say)


def ingest_paths(
    paths: Iterable[str], direction: str, say: Callable[[str], None], workers: int | None = None
) -> int:
    """Ingest every file (folders recursively); returns how many failed. Files are parsed in
    worker processes (one per core) while this process stores them in order, one transaction
    each: the core's parse is the costly part and touches no database."""
    failed, accepted = 0, []
    for path in _files(paths):
        try:
            job = accept_path(path, direction=direction)
        except (UploadRejected, OSError) as exc:
            say(f"lỗi: {path}: {exc}")
            failed += 1
            continue
        if job.status == IngestJob.Status.QUEUED:
            accepted.append((path, job))
        else:
            failed += not _report(path, job, say)
    workers = workers or os.cpu_count() or 1
    jobs = [job for _path, job in accepted]
    paths_of = {job.pk: path for path, job in accepted}
    if len(accepted) < 2 or workers < 2:
        return failed + sum(not _report(paths_of[j.pk], j, say) for j in run_jobs(jobs))
    # spawn, not fork: a forked child would inherit this process's database connection
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        parse_map = functools.partial(pool.map, chunksize=4)
        for job in run_jobs(jobs, parse_map=parse_map):
            failed += not _report(paths_of[job.pk], job, say)
    return failed


def watch(
    folder: Path,
    direction: str,
    interval: float,
    say: Callable[[str], None],
    rounds: int | None = None,
) -> None:
    """Poll `folder`; a file is taken once its size has stayed the same for one interval (so a
    copy in progress is not read half-written). The same content twice is recorded once."""
    folder.mkdir(parents=True, exist_ok=True)
    seen: dict[Path, tuple[int, float]] = {}
    done: set[tuple[Path, int, float]] = set()
    while rounds is None or rounds > 0:
        for path in regular_files(folder):
            try:
                info = path.lstat()
            except FileNotFoundError:  # taken away meanwhile
                continue
            key = (info.st_size, info.st_mtime)
            if (path, *key) in done:
                continue
            if seen.get(path) == key:
                ingest_one(path, direction, say, follow_links=False)
                done.add((path, *key))
            seen[path] = key
        if rounds is not None:
            rounds -= 1
        time.sleep(interval)
