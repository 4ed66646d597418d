"""The store of originals and evidence files: each file written once under its SHA-256.

The store is shared (a document's original, a task's or a score's evidence file may be one
file), so nothing is ever taken out of it. The ingest, the evidence of tasks and scores, drafts
and edXML attachments all write through `store_file`."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import tempfile
import unicodedata
from pathlib import Path

from django.conf import settings

from cchc.readers import media_type

_EXTENSIONS = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/tiff": ".tif",
    "image/gif": ".gif",
    "image/bmp": ".bmp",
}


class UploadRejected(ValueError):
    """An upload refused before it is stored: the message names the file and the reason."""


# Display names are cut to this length (the column holds 255), keeping the extension.
MAX_NAME_CHARS = 200


def safe_name(name: str) -> str:
    """A display name without directories, control characters or look-alike tricks.

    NFKC turns fullwidth look-alikes (`．ｐｄｆ`, `／`) into the characters they imitate; bidi
    controls (U+202E shows `cv<U+202E>fdp.exe` as `cvexe.pdf`), zero-width and other
    format or control characters are dropped, so what is shown is what the name is."""
    name = unicodedata.normalize("NFKC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] not in "CZ" or c == " ")
    name = re.sub(r"\s+", " ", name).strip(" .")
    if len(name) > MAX_NAME_CHARS:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = stem[: MAX_NAME_CHARS - len(ext) - 1].rstrip(" .") + "." + ext
        else:
            name = name[:MAX_NAME_CHARS].rstrip(" .")
    return name or "tep-khong-ten"


def store_file(chunks, display: str, refuse=None) -> tuple[str, str, int, str]:
    """Write the chunks to originals/ under their SHA-256: (sha, relative path, size, type).

    The store is shared (a document's original, a task's or a score's evidence file may be one
    file), so nothing is ever taken out of it: `refuse(path, kind)` looks at the written
    temporary file first and returns why it is not accepted, or None."""
    root = Path(settings.MEDIA_ROOT) / "originals"
    root.mkdir(parents=True, exist_ok=True)
    digest, size, head = hashlib.sha256(), 0, b""
    try:
        fd, tmp = tempfile.mkstemp(dir=root, prefix=".upload-")
    except OSError as exc:
        _refuse_if_disk_full(exc, display)
        raise
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                size += len(chunk)
                if size > settings.CCHC_MAX_UPLOAD_BYTES:
                    limit = settings.CCHC_MAX_UPLOAD_BYTES // (1024 * 1024)
                    raise UploadRejected(f"{display}: tệp quá lớn (giới hạn {limit} MB)")
                if len(head) < 8:
                    head += chunk[:8]
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise UploadRejected(f"{display}: tệp rỗng (0 byte)")
        kind = media_type(head)
        if refuse is not None and (why := refuse(Path(tmp), kind)):
            raise UploadRejected(f"{display}: định dạng không hỗ trợ ({why})")
        sha = digest.hexdigest()
        relative = f"originals/{sha[:2]}/{sha}{_EXTENSIONS.get(kind, '.txt')}"
        final = Path(settings.MEDIA_ROOT) / relative
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, final)
        return sha, relative, size, kind
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        _refuse_if_disk_full(exc, display)
        raise
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _refuse_if_disk_full(exc: OSError, display: str) -> None:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        raise UploadRejected(
            f"{display}: không đủ chỗ trên đĩa lưu tệp của máy chủ; tệp chưa được nhận, "
            "hãy báo quản trị hệ thống rồi gửi lại"
        ) from exc
