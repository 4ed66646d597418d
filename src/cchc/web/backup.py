"""`cchc backup` and `cchc restore`: the database and the files directory (originals, evidence)
in one .tar.gz, with a manifest (format, version, date, counts, a SHA-256 for every member).

- SQLite: a consistent copy through SQLite's online backup API, safe while the app is running
  and writing. PostgreSQL: `pg_dump --format=custom` (one snapshot), through `cchc.external`.
- The database is copied first, then the files: files are written before the rows that name
  them, so every file the copied database names is in the archive.
- Restore verifies the whole archive (manifest, checksums, the SQLite copy's integrity and
  counts) in a staging folder before it touches anything, refuses a data directory that already
  holds data unless forced, then swaps the staged database and files in by renames, putting the
  old ones back if a step fails. Stop the app (`cchc serve`) before restoring.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath

from cchc import errors, external

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.pgdump"
SECRET_MEMBER = "secret_key"
FILES = "files"
# What the manifest counts (and restore checks on SQLite): name → app_label.Model
COUNTED = {
    "documents": "documents.Document",
    "tasks": "work.Task",
    "evidence": "work.Evidence",
    "notes": "work.ProgressNote",
    "units": "accounts.Unit",
    "users": "auth.User",
    "assessments": "par.Assessment",
    "audit": "accounts.AuditEntry",
}


class BackupError(errors.CchcError):
    """An archive that is not a cchc backup, or is damaged, or a restore that would overwrite."""

    exit_code = errors.ExitCode.damaged


class DataDirInUse(errors.CchcError):
    exit_code = errors.ExitCode.other


def setup() -> None:
    """Django's settings from the environment, without migrating (a backup reads only)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.web.settings")
    django.setup()


def _database() -> tuple[str, dict]:
    from django.conf import settings

    db = settings.DATABASES["default"]
    engine = "sqlite" if db["ENGINE"].endswith("sqlite3") else "postgresql"
    return engine, db


def _tables() -> dict[str, str]:
    from django.apps import apps

    return {name: apps.get_model(label)._meta.db_table for name, label in COUNTED.items()}


# --- backup -------------------------------------------------------------------------------


def _sqlite_copy(source: Path, target: Path) -> None:
    """A consistent copy of a live database (SQLite's backup API), as one self-contained file."""
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True, timeout=60)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)  # one step: a WAL read snapshot, writers carry on meanwhile
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst.close()
        src.close()


def _sqlite_counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return {
            name: con.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
            for name, table in _tables().items()
        }
    finally:
        con.close()


def _orm_counts() -> dict[str, int]:
    from django.apps import apps

    return {name: apps.get_model(label).objects.count() for name, label in COUNTED.items()}


class _Hashing:
    """A file read through, hashed on the way (tarfile reads it once)."""

    def __init__(self, fh):
        self.fh, self.sha = fh, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.fh.read(size)
        self.sha.update(data)
        return data


def _add(tar: tarfile.TarFile, path: Path, name: str, sums: dict[str, str]) -> int:
    info = tar.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with path.open("rb") as fh:
        reader = _Hashing(fh)
        tar.addfile(info, reader)
    sums[name] = reader.sha.hexdigest()
    return info.size


def _version() -> str:
    try:
        return version("cchc")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


def backup(target: Path) -> dict:
    """Write the archive to `target` (through a temporary file: never half an archive)."""
    from django.conf import settings

    engine, db = _database()
    target = Path(target).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".cchc-backup-") as tmp:
        if engine == "sqlite":
            dump, member = Path(tmp) / SQLITE_MEMBER, SQLITE_MEMBER
            if not Path(db["NAME"]).is_file():
                raise BackupError(str(db["NAME"]), "chưa có cơ sở dữ liệu để sao lưu")
            _sqlite_copy(Path(db["NAME"]), dump)
            counts = _sqlite_counts(dump)
        else:
            dump, member = Path(tmp) / POSTGRES_MEMBER, POSTGRES_MEMBER
            external.pg_dump(db, dump)
            counts = _orm_counts()  # taken just after the dump's snapshot
        sums: dict[str, str] = {}
        files, size = 0, 0
        part = Path(tmp) / "archive.tar.gz"
        with tarfile.open(part, "w:gz", compresslevel=6) as tar:
            _add(tar, dump, member, sums)
            dump.unlink()
            for path in sorted(media.rglob("*")) if media.is_dir() else []:
                if not path.is_file() or path.is_symlink() or path.name.startswith(".upload-"):
                    continue  # half-written uploads are not data yet
                name = f"{FILES}/{path.relative_to(media).as_posix()}"
                size += _add(tar, path, name, sums)
                files += 1
            secret = Path(settings.DATA_DIR) / "secret_key"
            if secret.is_file():
                _add(tar, secret, SECRET_MEMBER, sums)
            manifest = {
                "format": FORMAT,
                "cchc_version": _version(),
                "created": datetime.now().astimezone().isoformat(timespec="seconds"),
                "database": {"engine": engine, "member": member},
                "counts": counts,
                "files": {"count": files, "bytes": size},
                "checksums": sums,
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode = len(data), 0o644
            info.mtime = int(datetime.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
        os.replace(part, target)
    return manifest


# --- restore ------------------------------------------------------------------------------


def _member_path(name: str) -> PurePosixPath:
    """Only the names a backup writes: no absolute paths, no `..`, nothing else."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(name, "tên tệp không an toàn trong bản sao lưu")
    top = path.parts[0]
    if (top == FILES and len(path.parts) > 1) or (
        len(path.parts) == 1 and top in (MANIFEST, SQLITE_MEMBER, POSTGRES_MEMBER, SECRET_MEMBER)
    ):
        return path
    raise BackupError(name, "tệp lạ trong bản sao lưu (không phải bản sao lưu của cchc?)")


def _extract(archive: Path, staging: Path) -> tuple[dict, dict[str, str]]:
    """Every member into `staging`, hashed; (manifest, sums of what was extracted)."""
    sums: dict[str, str] = {}
    manifest = None
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                path = _member_path(member.name)
                if not member.isreg():
                    raise BackupError(member.name, "chỉ chấp nhận tệp thường trong bản sao lưu")
                if member.name in sums:
                    raise BackupError(member.name, "tệp xuất hiện hai lần trong bản sao lưu")
                source = tar.extractfile(member)
                if member.name == MANIFEST:
                    manifest = json.loads(source.read().decode("utf-8"))
                    continue
                out = staging / Path(*path.parts)
                out.parent.mkdir(parents=True, exist_ok=True)
                sha = hashlib.sha256()
                with out.open("wb") as fh:
                    while chunk := source.read(1 << 20):
                        sha.update(chunk)
                        fh.write(chunk)
                sums[member.name] = sha.hexdigest()
    except (tarfile.TarError, EOFError, OSError, UnicodeDecodeError, ValueError) as exc:
        raise BackupError(str(archive), f"không đọc được bản sao lưu: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(str(archive), f"thiếu {MANIFEST} hoặc định dạng không hỗ trợ")
    return manifest, sums


def verify(archive: Path, staging: Path) -> dict:
    """Extract into `staging` and check everything against the manifest; the manifest."""
    archive = Path(archive)
    if not archive.is_file():
        raise errors.FileNotFound(str(archive))
    manifest, sums = _extract(archive, staging)
    expected = manifest.get("checksums", {})
    if sums != expected:
        bad = sorted(n for n in set(sums) | set(expected) if sums.get(n) != expected.get(n))
        raise BackupError(
            str(archive), f"sai tổng kiểm (SHA-256) hoặc thiếu tệp: {', '.join(bad[:5])}"
        )
    member = manifest["database"]["member"]
    if member not in sums:
        raise BackupError(str(archive), "bản sao lưu không có cơ sở dữ liệu")
    if manifest["database"]["engine"] == "sqlite":
        path = staging / member
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            check = con.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            con.close()
        if check != "ok":
            raise BackupError(str(archive), f"cơ sở dữ liệu trong bản sao lưu hỏng: {check}")
        counts = _sqlite_counts(path)
        if counts != manifest["counts"]:
            raise BackupError(str(archive), f"số bản ghi khác manifest: {counts}")
    return manifest


def _in_use(engine: str, db: dict, media: Path) -> str | None:
    """What already holds data in the target, or None when it is empty."""
    if media.is_dir() and any(p.is_file() for p in media.rglob("*")):
        return f"thư mục tệp {media} đã có tệp"
    if engine == "sqlite":
        path = Path(db["NAME"])
        if path.is_file() and path.stat().st_size:
            con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            try:
                tables = con.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]
            finally:
                con.close()
            if tables:
                return f"cơ sở dữ liệu {path} đã có dữ liệu"
        return None
    from django.db import connection

    tables = connection.introspection.table_names()
    connection.close()
    return f"cơ sở dữ liệu PostgreSQL {db['NAME']} đã có bảng" if tables else None


def _sqlite_side_files(path: Path) -> list[Path]:
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def restore(archive: Path, force: bool = False) -> dict:
    """Restore into the configured data directory and database; the archive's manifest."""
    from django.conf import settings

    engine, db = _database()
    media = Path(settings.MEDIA_ROOT)
    data_dir = Path(settings.DATA_DIR)
    if not force and (what := _in_use(engine, db, media)):
        raise DataDirInUse(
            str(data_dir), f"{what}; không ghi đè. Dùng --force để thay bằng bản sao lưu"
        )
    data_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=data_dir, prefix=".restore-"))
    undo: list[tuple[Path, Path]] = []  # (moved to, from), to put back on failure
    ready = None
    try:
        manifest = verify(archive, staging)
        if manifest["database"]["engine"] != engine:
            raise BackupError(
                str(archive),
                f"bản sao lưu của {manifest['database']['engine']}, CSDL đang dùng là {engine}",
            )
        (staging / FILES).mkdir(exist_ok=True)
        old = staging / "old"
        old.mkdir()

        def move(src: Path, dst: Path) -> None:
            os.replace(src, dst)
            undo.append((dst, src))

        if engine == "sqlite":
            target = Path(db["NAME"])
            target.parent.mkdir(parents=True, exist_ok=True)
            # the new file first beside the old one (same file system: the swap is a rename)
            ready = target.with_name(f".{target.name}.restore")
            shutil.move(staging / SQLITE_MEMBER, ready)
            for n, side in enumerate(_sqlite_side_files(target)):
                if side.exists():  # an old -wal beside the new file would corrupt it
                    move(side, target.with_name(f".{target.name}.old{n}"))
            move(ready, target)
        else:
            external.pg_restore(db, staging / POSTGRES_MEMBER)  # one transaction
        if media.exists():
            move(media, old / FILES)
        move(staging / FILES, media)
        if (staging / SECRET_MEMBER).is_file():
            secret = data_dir / "secret_key"
            if secret.exists():
                move(secret, old / SECRET_MEMBER)
            move(staging / SECRET_MEMBER, secret)
            secret.chmod(0o600)
        undo.clear()
        if engine == "sqlite":  # the old database, moved aside, is no longer needed
            for n in range(3):
                target.with_name(f".{target.name}.old{n}").unlink(missing_ok=True)
        return manifest
    finally:
        for moved, back in reversed(undo):
            with contextlib.suppress(OSError):
                os.replace(moved, back)
        if ready is not None:
            ready.unlink(missing_ok=True)
        shutil.rmtree(staging, ignore_errors=True)
