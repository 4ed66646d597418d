"""The parse step of ingest, kept free of Django so that worker processes can run it."""

from __future__ import annotations

import logging

import cchc
from cchc.errors import CchcError

log = logging.getLogger("cchc.ingest")


def parse_original(path: str, name: str, tasks: bool = True) -> cchc.Document | str:
    """The core's parse of a stored original, or the message of why it could not be read (with
    the name the user knows instead of the storage path)."""
    try:
        parsed = cchc.parse_file(path, tasks=tasks)
    except CchcError as exc:
        return str(exc).replace(path, name)
    except Exception as exc:
        log.exception("ingest of %s failed", name)
        return f"{name}: lỗi không mong đợi khi xử lý ({type(exc).__name__}: {exc})"
    parsed.file = name
    return parsed
