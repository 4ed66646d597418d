"""A throw-away PostgreSQL server for tests: initdb in a temporary folder, on loopback, stopped
afterwards. Uses Debian's `postgresql` package (make test installs it)."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path


def pg_bin() -> Path | None:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return versions[-1].parent if versions else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def postgres_server(keep: Path | None = None, settings: dict | None = None) -> Iterator[str]:
    """Start a server and yield its DATABASE_URL (database `cchc`, user `cchc`, no password).

    With `keep`, the cluster lives in that folder and is kept after the server stops, and a
    cluster already there is started again (benchmarks reuse a built database). `settings` are
    extra server settings (`-c name=value`)."""
    binaries = pg_bin()
    if binaries is None:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
    if keep is None:
        root = Path(tempfile.mkdtemp(prefix="cchc-pg-"))
    else:
        root = keep.resolve()
        root.mkdir(parents=True, exist_ok=True)
    root.chmod(0o755)
    data = root / "data"
    fresh = not (data / "PG_VERSION").exists()
    data.mkdir(exist_ok=True)
    as_owner: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root: the server runs as `postgres`
        owner = pwd.getpwnam("postgres")
        os.chown(data, owner.pw_uid, owner.pw_gid)
        os.chown(root, owner.pw_uid, owner.pw_gid)
        as_owner = ["runuser", "-u", "postgres", "--"]
    port = _free_port()

    def run(*args: str) -> None:
        subprocess.run([*as_owner, *args], check=True, capture_output=True)

    if fresh:
        run(
            str(binaries / "initdb"),
            "-D",
            str(data),
            "-U",
            "cchc",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-locale",
        )
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
    options += "".join(f" -c {name}={value}" for name, value in (settings or {}).items())
    run(
        str(binaries / "pg_ctl"),
        "-D",
        str(data),
        "-o",
        options,
        "-l",
        str(root / "log"),
        "-w",
        "start",
    )
    try:
        if fresh:
            run(
                str(binaries / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "cchc", "cchc"
            )
        yield f"postgres://cchc@127.0.0.1:{port}/cchc"
    finally:
        run(str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
        if keep is None:
            shutil.rmtree(root, ignore_errors=True)
