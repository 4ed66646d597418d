"""PostgreSQL's own programs (`pg_dump`, `pg_restore`) for `cchc backup` and `cchc restore`:
the one place the web layer runs them."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from cchc import errors
from cchc.external import require

POSTGRES_HINT = "cài bằng: sudo apt-get install postgresql-client (cùng phiên bản máy chủ)"


def _pg_env(db: dict) -> dict[str, str]:
    """libpq's environment for one Django database entry (the password never on the command
    line, where `ps` would show it)."""
    env = {**os.environ}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[name] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _run_pg(args: list[str], db: dict, path: str, timeout: float) -> None:
    try:
        subprocess.run(args, capture_output=True, env=_pg_env(db), timeout=timeout, check=True)
    except subprocess.TimeoutExpired as exc:
        raise errors.CchcError(path, f"`{args[0]}` chạy quá {timeout:.0f} s, đã dừng") from exc
    except subprocess.CalledProcessError as exc:
        detail = exc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise errors.CchcError(
            path, f"`{Path(args[0]).name}` lỗi: {detail[-1] if detail else exc}"
        ) from exc


def pg_dump(db: dict, target: Path, timeout: float = 6 * 3600) -> None:
    """A consistent dump (one snapshot) of a PostgreSQL database in pg_dump's custom format."""
    exe = require("pg_dump", str(target), "sao lưu PostgreSQL", POSTGRES_HINT)
    args = [exe, "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"]
    _run_pg([*args, str(db["NAME"])], db, str(target), timeout)


def pg_restore(db: dict, source: Path, timeout: float = 6 * 3600) -> None:
    """Load a custom-format dump into the database in one transaction, dropping what is there:
    either all of it is restored or nothing changes."""
    exe = require("pg_restore", str(source), "khôi phục PostgreSQL", POSTGRES_HINT)
    args = [
        exe,
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={db['NAME']}",
    ]
    _run_pg([*args, str(source)], db, str(source), timeout)
