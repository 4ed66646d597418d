"""`cchc ingest`: files and folders given on the command line, and a watched folder."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

from cchc.web.documents.ingest import UploadRejected, ingest_file
from cchc.web.documents.models import IngestJob


def _files(paths: Iterable[str]) -> Iterable[Path]:
    for name in paths:
        path = Path(name)
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")
            )
        else:
            yield path


def ingest_one(path: Path, direction: str, say: Callable[[str], None]) -> bool:
    """Ingest one file now; say what happened in one line. True when it is in the registry."""
    try:
        job = ingest_file(path, direction=direction)
    except (UploadRejected, OSError) as exc:
        say(f"lỗi: {path}: {exc}")
        return False
    if job.status == IngestJob.Status.FAILED:
        say(f"lỗi: {job.message}")
        return False
    label = "đã có (trùng nội dung)" if job.status == IngestJob.Status.DUPLICATE else "đã nhập"
    say(f"{path}: {label} – {job.document}")
    return True


def ingest_paths(paths: Iterable[str], direction: str, say: Callable[[str], None]) -> int:
    """Ingest every file (folders recursively); returns how many failed."""
    return sum(not ingest_one(p, direction, say) for p in _files(paths))


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
        for path in sorted(
            p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")
        ):
            stat = path.stat()
            key = (stat.st_size, stat.st_mtime)
            if (path, *key) in done:
                continue
            if seen.get(path) == key:
                ingest_one(path, direction, say)
                done.add((path, *key))
            seen[path] = key
        if rounds is not None:
            rounds -= 1
        time.sleep(interval)
