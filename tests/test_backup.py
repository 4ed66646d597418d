"""`cchc backup` / `cchc restore` on SQLite, run as the user runs them: each command in its own
process with its own CCHC_DATA_DIR (Django's settings are per process)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from tests.pg import pg_bin, postgres_server

CCHC = str(Path(sys.executable).with_name("cchc"))

# A deployment: the demo units and users, two sample documents through the real ingest, a task
# with a progress note and an evidence file.
SETUP = """
from importlib import resources
from pathlib import Path
from django.core.files.uploadedfile import SimpleUploadedFile
from cchc.web import runtime
runtime.setup()
from django.contrib.auth import get_user_model
from cchc.web import demo
from cchc.web.accounts.models import Unit
from cchc.web.documents.ingest import ingest_file
from cchc.web.work import assign
from cchc.web.work.models import Task
from cchc.web.work.services import add_evidence
demo.create_deployment()
samples = resources.files("cchc") / "samples"
for name in ("cong-van-tang-cuong-cchc.txt", "thong-bao-ket-luan.txt"):
    ingest_file(Path(str(samples / name)))
officer = get_user_model().objects.get(username="noivu")
task = Task.objects.create(unit=Unit.objects.get(name="Sở Nội vụ"), action="Báo cáo CCHC quý")
assign.add_note(task, officer, "Đã gửi dự thảo")
add_evidence(task, SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 bien ban hop"), officer)
"""

# What a restored deployment must give back exactly.
PROBE = """
import hashlib, json
from pathlib import Path
from django.conf import settings
from cchc.web import backup
backup.setup()
from django.contrib.auth import get_user_model
from cchc.web.documents import search
from cchc.web.documents.models import Document
from cchc.web.work.models import Evidence, Task
media = Path(settings.MEDIA_ROOT)
found = search.search(search.Query.parse("cải cách hành chính"), {}, "relevance", 1)
print(json.dumps({
    "counts": backup._orm_counts(),
    "search": [Document.objects.get(pk=i).number for i in found.ids],
    "originals": {
        d.number: hashlib.sha256((media / d.original).read_bytes()).hexdigest()
        for d in Document.objects.all()
    },
    "evidence": [(e.name, (media / e.path).read_bytes().decode()) for e in Evidence.objects.all()],
    "statuses": sorted(Task.objects.values_list("action", "status")),
    "login": get_user_model().objects.get(username="noivu").check_password("anphu2026"),
}, ensure_ascii=False))
"""


def _env(data: Path, database: str | None = None) -> dict:
    env = {**os.environ, "CCHC_DATA_DIR": str(data)}
    for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "CCHC_BACKUP_KEY"):
        env.pop(name, None)
    if database:
        env["DATABASE_URL"] = database
    return env


def cchc(
    data: Path,
    *args: str,
    code: str | None = None,
    database: str | None = None,
    extra: dict | None = None,
) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", code] if code else [CCHC, *args]
    env = _env(data, database) | (extra or {})
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


def probe(data: Path, database: str | None = None) -> dict:
    answer = cchc(data, code=PROBE, database=database)
    assert answer.returncode == 0, answer.stderr
    return json.loads(answer.stdout)


@pytest.fixture(scope="module")
def deployment_dir(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("source")
    answer = cchc(data, code=SETUP)
    assert answer.returncode == 0, answer.stderr
    return data


@pytest.fixture(scope="module")
def archive(deployment_dir, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("backups") / "cchc.tar.gz"
    answer = cchc(deployment_dir, "backup", str(path))
    assert answer.returncode == 0, answer.stderr
    assert "2 văn bản" in answer.stdout
    return path


def test_a_restored_deployment_has_the_same_records_search_and_files(
    deployment_dir, archive, tmp_path
):
    fresh = tmp_path / "fresh"
    answer = cchc(fresh, "restore", str(archive))
    assert answer.returncode == 0, answer.stderr
    assert "Đã khôi phục" in answer.stdout
    before, after = probe(deployment_dir), probe(fresh)
    assert after == before
    assert after["counts"]["documents"] == 2 and after["search"]
    assert after["evidence"] == [["bien-ban.pdf", "%PDF-1.4 bien ban hop"]]
    # an original's bytes, straight from the two files directories
    originals = sorted((deployment_dir / "files" / "originals").rglob("*.txt"))
    assert originals
    for path in originals:
        copy = fresh / "files" / path.relative_to(deployment_dir / "files")
        assert copy.read_bytes() == path.read_bytes()
    assert (fresh / "secret_key").read_text() == (deployment_dir / "secret_key").read_text()


def test_the_archive_holds_a_manifest_with_counts_and_checksums(archive):
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert "database.sqlite3" in names and any(n.startswith("files/originals/") for n in names)
    assert manifest["format"] == 1 and manifest["database"]["engine"] == "sqlite"
    assert manifest["counts"]["documents"] == 2 and manifest["counts"]["evidence"] == 1
    assert manifest["files"]["count"] == 3  # two originals and one evidence file
    assert set(manifest["checksums"]) == set(names) - {"manifest.json"}


def test_restore_refuses_a_data_dir_with_data_unless_forced(deployment_dir, archive):
    refused = cchc(deployment_dir, "restore", str(archive))
    assert refused.returncode != 0
    assert "--force" in refused.stderr and "đã có" in refused.stderr
    forced = cchc(deployment_dir, "restore", "--force", str(archive))
    assert forced.returncode == 0, forced.stderr
    assert probe(deployment_dir)["counts"]["documents"] == 2


def _tampered(archive: Path, target: Path, member: str) -> Path:
    """The same archive with one byte of `member` changed (its manifest left as it was)."""
    with tarfile.open(archive) as src, tarfile.open(target, "w:gz") as out:
        for info in src:
            data = src.extractfile(info).read()
            if info.name == member:
                data = bytes([data[0] ^ 1]) + data[1:]
            out.addfile(info, io.BytesIO(data))
    return target


def test_a_damaged_archive_is_refused_before_anything_is_touched(archive, tmp_path):
    with tarfile.open(archive) as tar:
        original = next(n for n in tar.getnames() if n.startswith("files/originals/"))
    bad = _tampered(archive, tmp_path / "bad.tar.gz", original)
    fresh = tmp_path / "fresh"
    answer = cchc(fresh, "restore", str(bad))
    assert answer.returncode == 9, answer.stderr
    assert "SHA-256" in answer.stderr and original in answer.stderr
    assert not (fresh / "cchc.sqlite3").exists() and not (fresh / "files").exists()
    assert not list(fresh.glob(".restore-*"))  # the staging folder is gone


def test_a_truncated_archive_is_refused(archive, tmp_path):
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    answer = cchc(tmp_path / "fresh", "restore", str(cut))
    assert answer.returncode == 9 and "không đọc được bản sao lưu" in answer.stderr


def test_backup_is_consistent_while_the_app_writes(deployment_dir, tmp_path):
    """A writer adding audit rows all the time: the copy is a snapshot the manifest counts."""
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from cchc.web import backup; backup.setup()\n"
            "from cchc.web.accounts.models import AuditEntry, Unit, audit\n"
            "unit = Unit.objects.first()\n"
            "audit(None, 'test', unit, 'ghi'); print('ready', flush=True)\n"
            "for n in range(100000): audit(None, 'test', unit, f'ghi {n}')\n",
        ],
        env=_env(deployment_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert writer.stdout.readline().strip() == "ready"
        path = tmp_path / "live.tar.gz"
        answer = cchc(deployment_dir, "backup", str(path))
        assert answer.returncode == 0, answer.stderr
        assert writer.poll() is None  # still writing when the copy was done
    finally:
        writer.kill()
        writer.wait()
    fresh = tmp_path / "fresh"
    answer = cchc(fresh, "restore", str(path))  # checks integrity and counts against manifest
    assert answer.returncode == 0, answer.stderr


@pytest.mark.skipif(pg_bin() is None, reason="PostgreSQL not installed (make test installs it)")
def test_a_postgresql_deployment_round_trips_through_pg_dump(tmp_path):
    with postgres_server() as url:
        data = tmp_path / "pg"
        answer = cchc(data, code=SETUP, database=url)
        assert answer.returncode == 0, answer.stderr
        before = probe(data, url)
        path = tmp_path / "pg.tar.gz"
        answer = cchc(data, "backup", str(path), database=url)
        assert answer.returncode == 0, answer.stderr
        with tarfile.open(path) as tar:
            assert "database.pgdump" in tar.getnames()
        # later changes, then the restore: refused without --force, the backup's state with it
        changed = cchc(
            data,
            code="from cchc.web import backup; backup.setup()\n"
            "from cchc.web.documents.models import Document; Document.objects.first().delete()",
            database=url,
        )
        assert changed.returncode == 0, changed.stderr
        fresh = tmp_path / "fresh"
        refused = cchc(fresh, "restore", str(path), database=url)
        assert refused.returncode != 0 and "PostgreSQL" in refused.stderr
        answer = cchc(fresh, "restore", "--force", str(path), database=url)
        assert answer.returncode == 0, answer.stderr
        assert probe(fresh, url) == before


def _rewritten(archive: Path, target: Path, change) -> Path:
    """The archive with each member's bytes passed through `change(name, data)`."""
    with tarfile.open(archive) as src, tarfile.open(target, "w:gz") as out:
        for info in src:
            data = change(info.name, src.extractfile(info).read())
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    return target


@pytest.mark.parametrize(
    "manifest",
    [
        b"{not json",
        b'{"format": 1}',
        b'{"format": 1, "database": "sqlite", "counts": [], "files": {}, "checksums": {}}',
        b'["format", 1]',
    ],
)
def test_a_broken_manifest_is_refused_with_a_message_not_a_traceback(archive, tmp_path, manifest):
    bad = _rewritten(
        archive, tmp_path / "bad.tar.gz", lambda n, d: manifest if n == "manifest.json" else d
    )
    answer = cchc(tmp_path / "fresh", "restore", str(bad))
    assert answer.returncode == 9, answer.stderr
    assert "Traceback" not in answer.stderr and "manifest.json" in answer.stderr


def _forged(archive: Path, target: Path) -> Path:
    """One original changed and its checksum in the manifest changed with it: what someone
    who edits the archive on purpose does (the signature is left as it was)."""
    with tarfile.open(archive) as tar:
        name = next(n for n in tar.getnames() if n.startswith("files/originals/"))
        manifest = json.load(tar.extractfile("manifest.json"))
    forged = b"Ban da bi sua"
    manifest["checksums"][name] = hashlib.sha256(forged).hexdigest()
    data = json.dumps(manifest).encode()
    return _rewritten(
        archive,
        target,
        lambda n, d: forged if n == name else (data if n == "manifest.json" else d),
    )


def test_a_signed_backup_restores_and_a_forged_one_is_refused(deployment_dir, tmp_path):
    key = {"CCHC_BACKUP_KEY": "khoa-cua-nguoi-van-hanh"}
    signed = tmp_path / "signed.tar.gz"
    answer = cchc(deployment_dir, "backup", str(signed), extra=key)
    assert answer.returncode == 0, answer.stderr
    forged = _forged(signed, tmp_path / "forged.tar.gz")
    # without the key, checksums alone cannot tell: the forged archive passes them
    unchecked = cchc(tmp_path / "unchecked", "restore", str(forged))
    assert unchecked.returncode == 0 and "CCHC_BACKUP_KEY" in unchecked.stdout
    refused = cchc(tmp_path / "fresh", "restore", str(forged), extra=key)
    assert refused.returncode == 9 and "chữ ký" in refused.stderr
    assert not (tmp_path / "fresh" / "files").exists()
    wrong = cchc(tmp_path / "wrong", "restore", str(signed), extra={"CCHC_BACKUP_KEY": "khac"})
    assert wrong.returncode == 9 and "chữ ký" in wrong.stderr
    restored = cchc(tmp_path / "good", "restore", str(signed), extra=key)
    assert restored.returncode == 0, restored.stderr
    assert "CCHC_BACKUP_KEY" not in restored.stdout


def test_an_unsigned_backup_is_refused_when_a_key_is_set(archive, tmp_path):
    answer = cchc(tmp_path / "fresh", "restore", str(archive), extra={"CCHC_BACKUP_KEY": "k"})
    assert answer.returncode == 9 and "không có chữ ký" in answer.stderr


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_restore_refuses_while_the_server_runs_on_the_data_dir(deployment_dir, archive):
    import socket
    import time

    port = _free_port()
    server = subprocess.Popen(
        [CCHC, "serve", "--port", str(port), "--processes", "1"],
        env=_env(deployment_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert server.poll() is None and time.monotonic() < deadline
            time.sleep(0.2)
        answer = cchc(deployment_dir, "restore", "--force", str(archive))
        assert answer.returncode != 0 and "Traceback" not in answer.stderr
        assert "đang chạy" in answer.stderr and "cchc serve" in answer.stderr
    finally:
        server.terminate()
        server.wait(30)
    answer = cchc(deployment_dir, "restore", "--force", str(archive))
    assert answer.returncode == 0, answer.stderr
