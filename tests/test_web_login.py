"""Log-in and sessions: the rate limit on failed log-ins (page, admin and HTTP Basic alike),
cookie flags, CSRF on the API's session log-in, password hashing, safe serving of files."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cchc.web.accounts.models import Unit
from cchc.web.documents.ingest import ingest_file
from cchc.web.documents.store import UploadRejected
from cchc.web.work.models import Task
from cchc.web.work.services import add_evidence

PASSWORD = "anphu2026"


def _fail(client: Client, username: str = "noivu"):
    return client.post("/dang-nhap/", {"username": username, "password": "sai-mat-khau"})


def _basic(username: str, password: str) -> dict:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def test_five_failed_log_ins_lock_that_username_from_that_address(deployment):
    client = Client(REMOTE_ADDR="10.0.0.7")
    for _ in range(4):
        assert _fail(client).status_code == 200
    fifth = _fail(client)
    assert fifth.status_code == 429
    assert "Đăng nhập sai quá 5 lần trong 15 phút" in fifth.content.decode()
    # even the right password is refused while the lock lasts
    right = client.post("/dang-nhap/", {"username": "noivu", "password": PASSWORD})
    assert right.status_code == 429
    assert client.get("/").status_code == 302
    # the same person from another address, and another person from this one, still log in
    other = Client(REMOTE_ADDR="10.0.0.8")
    assert _log_in(other) == 302
    assert _log_in(client, "xem") == 302


def _log_in(client: Client, username: str = "noivu") -> int:
    return client.post("/dang-nhap/", {"username": username, "password": PASSWORD}).status_code


def test_the_lock_ends_with_its_window(deployment, settings):
    settings.CCHC_LOGIN_WINDOW = 3  # from the first failure
    client = Client()
    _fail(client)
    first = time.monotonic()  # the window started before this
    for _ in range(4):
        _fail(client)
    assert _log_in(client) == 429
    time.sleep(max(0.0, first + 3.1 - time.monotonic()))
    assert _log_in(client) == 302


def test_a_successful_log_in_clears_the_count(deployment):
    client = Client()
    for _ in range(4):
        _fail(client)
    assert _log_in(client) == 302
    client.post("/dang-xuat/")
    for _ in range(4):
        assert _fail(client).status_code == 200


def test_http_basic_on_the_api_counts_and_is_locked_too(deployment):
    client = Client()
    assert client.get("/api/units/", **_basic("noivu", PASSWORD)).status_code == 200
    for _ in range(4):
        assert client.get("/api/units/", **_basic("noivu", "sai")).status_code == 401
    assert client.get("/api/units/", **_basic("noivu", "sai")).status_code == 429
    locked = client.get("/api/units/", **_basic("noivu", PASSWORD))
    assert locked.status_code == 429
    assert "Đăng nhập sai quá" in locked.json()["detail"]
    # one count for the page and the API: the page is locked as well
    assert _log_in(client) == 429


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(deployment, settings):
    settings.CCHC_BEHIND_PROXY = True
    first = Client(HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    for _ in range(5):
        _fail(first)
    # a different client address behind the same proxy is not locked out
    second = Client(HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert _log_in(second) == 302
    # the client cannot unlock itself by sending a made-up first hop
    forged = Client(HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.9")
    assert _log_in(forged) == 429


def test_passwords_are_stored_with_djangos_default_hasher(deployment):
    stored = get_user_model().objects.get(username="noivu").password
    assert stored.startswith("pbkdf2_sha256$")
    assert PASSWORD not in stored


def test_session_and_csrf_cookies_are_httponly_and_samesite(deployment):
    client = Client()
    client.get("/dang-nhap/")
    assert client.cookies["csrftoken"]["samesite"] == "Lax"
    client.post("/dang-nhap/", {"username": "noivu", "password": PASSWORD})
    session = client.cookies["sessionid"]
    assert session["httponly"] and session["samesite"] == "Lax"
    assert not session["secure"]  # plain HTTP unless CCHC_SECURE_COOKIES=1


def test_over_https_the_cookies_are_secure(deployment, settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True  # CCHC_SECURE_COOKIES=1
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # CCHC_BEHIND_PROXY=1
    client = Client(
        enforce_csrf_checks=True, HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="testserver"
    )
    client.get("/dang-nhap/")
    token = client.cookies["csrftoken"].value
    answer = client.post(
        "/dang-nhap/",
        {"username": "noivu", "password": PASSWORD, "csrfmiddlewaretoken": token},
        HTTP_ORIGIN="https://testserver",
    )
    assert answer.status_code == 302  # the https origin is accepted behind the proxy
    assert client.cookies["sessionid"]["secure"] and client.cookies["csrftoken"]["secure"]


def test_the_environment_sets_secure_cookies_and_the_proxy_header(tmp_path):
    code = (
        "from cchc.web import settings as s; import json; print(json.dumps(["
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        "s.SECURE_PROXY_SSL_HEADER, s.CACHES['default']['BACKEND']]))"
    )
    env = {
        **os.environ,
        "CCHC_DATA_DIR": str(tmp_path),
        "CCHC_SECURE_COOKIES": "1",
        "CCHC_BEHIND_PROXY": "1",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) == [
        True,
        True,
        True,
        ["HTTP_X_FORWARDED_PROTO", "https"],
        "django.core.cache.backends.db.DatabaseCache",
    ]


def test_the_apis_session_log_in_enforces_csrf(deployment):
    task = Task.objects.create(unit=Unit.objects.get(name="Sở Nội vụ"), action="Báo cáo")
    client = Client(enforce_csrf_checks=True)
    client.get("/dang-nhap/")
    token = client.cookies["csrftoken"].value
    client.post(
        "/dang-nhap/", {"username": "noivu", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    body = json.dumps({"status": "doing"})
    without = client.patch(f"/api/tasks/{task.pk}/", body, content_type="application/json")
    assert without.status_code == 403 and "CSRF" in without.json()["detail"]
    token = client.cookies["csrftoken"].value  # rotated at log-in
    answer = client.patch(
        f"/api/tasks/{task.pk}/", body, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert answer.status_code == 200
    task.refresh_from_db()
    assert task.status == "doing"


def test_an_officer_cannot_create_a_task_for_no_unit(deployment, login):
    client = login("noivu")
    page = client.post("/cong-viec/moi/", {"action": "Việc không đơn vị", "kind": "task"})
    assert page.status_code == 200 and not Task.objects.filter(action="Việc không đơn vị")
    api = client.post("/api/tasks/", {"action": "Việc không đơn vị"})
    assert api.status_code == 403 and not Task.objects.exists()


TEXT = "Kính gửi: Phòng Nội vụ\nĐề nghị báo cáo trước ngày 10/4/2026.\n".encode()


@pytest.mark.parametrize(
    ("name", "content", "inline"),
    [
        ("quyet-dinh.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", True),
        ("anh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, True),
        ("trang.html", TEXT, False),  # names that would make a browser render or run them
        ("hinh.svg", TEXT, False),
        ("trang-that.html", b"<html><script>alert(1)</script>Kinh gui</html>", False),
    ],
)
def test_evidence_and_originals_are_served_so_that_they_cannot_run(
    deployment, login, tmp_path, name, content, inline
):
    task = Task.objects.create(unit=Unit.objects.get(name="Sở Nội vụ"), action="Báo cáo")
    client = login("xem")
    try:
        evidence = add_evidence(task, SimpleUploadedFile(name, content), None)
    except UploadRejected:
        evidence = None  # refused at upload (hostile content): never served
    if evidence is not None:
        answer = client.get(f"/minh-chung/{evidence.pk}/")
        assert answer["Content-Type"] == "application/octet-stream"
        assert answer["Content-Disposition"].startswith("attachment")
        assert answer["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in answer["Content-Security-Policy"]
    if inline:  # originals: PDFs and photos shown beside the fields, the rest downloaded
        return
    original = tmp_path / name
    original.write_bytes(content)
    try:
        doc = ingest_file(original).document
    except UploadRejected:
        return
    if doc is None:
        return
    answer = client.get(f"/van-ban/{doc.pk}/tep/")
    assert answer["Content-Type"].startswith("text/plain")
    assert answer["Content-Disposition"].startswith("attachment")
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in answer["Content-Security-Policy"]
    assert "sandbox" in answer["Content-Security-Policy"]


def test_a_wrong_api_password_answers_401_with_the_basic_challenge(deployment):
    refused = Client().get("/api/units/", **_basic("noivu", "sai"))
    assert refused.status_code == 401
    assert refused["WWW-Authenticate"].startswith("Basic")
