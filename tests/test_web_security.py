"""Log-in everywhere, CSRF, safe serving of originals, corrections beside the machine value."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from cchc.web.documents.ingest import ingest_file
from cchc.web.documents.models import Correction


def _patterns(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if not route.startswith("quan-tri/"):
                yield from _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


def _concrete(route: str) -> str:
    route = route.lstrip("^").rstrip("$")
    route = re.sub(r"<int:\w+>|\(\?P<\w+>[^)]*\)", "1", route)
    route = re.sub(r"<(?:str:)?\w+>", "x", route)
    return "/" + route.replace("\\.", ".").replace("\\", "")


OPEN = ("/dang-nhap/", "/lich/feed/")


def test_every_page_and_api_endpoint_needs_a_log_in(db):
    routes = sorted({_concrete(r) for r in _patterns()})
    assert len(routes) > 20
    client = Client()
    for url in routes:
        if url.startswith(OPEN) or "(?" in url:
            continue
        answer = client.get(url)
        if url.startswith("/api/"):
            assert answer.status_code in (401, 403), url
        else:
            assert answer.status_code == 302 and "/dang-nhap/" in answer["Location"], url


def test_posts_without_a_csrf_token_are_refused(deployment):
    from django.contrib.auth import get_user_model

    client = Client(enforce_csrf_checks=True)
    client.force_login(get_user_model().objects.get(username="noivu"))
    assert client.post("/van-ban/nhap/", {}).status_code == 403
    assert client.post("/api/tasks/", {"action": "x"}).status_code == 403


def test_the_login_page_logs_in_with_the_demo_password(deployment):
    client = Client()
    answer = client.post("/dang-nhap/", {"username": "noivu", "password": deployment.PASSWORD})
    assert answer.status_code == 302
    assert client.get("/").status_code == 200
    wrong = Client().post("/dang-nhap/", {"username": "noivu", "password": "sai"})
    assert "không đúng" in wrong.content.decode()


def test_an_original_is_served_with_the_type_of_its_content(deployment, login, tmp_path):
    lying = tmp_path / "anh.png"  # a text document whose name says PNG
    lying.write_text("Kính gửi: Phòng Nội vụ\nĐề nghị báo cáo trước ngày 10/4/2026.\n", "utf-8")
    doc = ingest_file(lying).document
    answer = login("xem").get(f"/van-ban/{doc.pk}/tep/")
    assert answer["Content-Type"] == "text/plain; charset=utf-8"
    assert answer["Content-Disposition"].startswith("attachment")
    assert answer["X-Content-Type-Options"] == "nosniff"


def test_a_correction_keeps_the_machines_value_and_who_made_it(deployment, login, sample_path):
    doc = ingest_file(sample_path("thong-bao-ket-luan.txt")).document
    client = login("noivu")
    client.post(f"/van-ban/{doc.pk}/sua/", {"number": "33/TB-SNV-2", "date": "28/03/2026"})
    doc.refresh_from_db()
    assert doc.number == "33/TB-SNV-2" and doc.date.isoformat() == "2026-03-28"
    fix = Correction.objects.get(field="number")
    assert (fix.machine_value, fix.value, fix.user.username) == (
        "33/TB-SNV",
        "33/TB-SNV-2",
        "noivu",
    )
    page = client.get(f"/van-ban/{doc.pk}/").content.decode()
    assert "Máy đọc: “33/TB-SNV”" in page


def test_a_bad_date_correction_is_refused_with_a_message(deployment, login, sample_path):
    doc = ingest_file(sample_path("thong-bao-ket-luan.txt")).document
    answer = login("noivu").post(f"/van-ban/{doc.pk}/sua/", {"date": "31/02/2026"}, follow=True)
    assert "Ngày không hợp lệ" in answer.content.decode()
    doc.refresh_from_db()
    assert doc.date.isoformat() == "2026-03-27"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"subject": 123}, "Trích yếu: phải là chuỗi"),
        ({"number": ["a"]}, "Số, ký hiệu: phải là chuỗi"),
        ({"date": "1/1/99999999999999999999"}, "Ngày không hợp lệ"),
    ],
)
def test_an_api_correction_that_is_no_text_is_a_400_with_a_message(
    deployment, login, sample_path, values, message
):
    doc = ingest_file(sample_path("thong-bao-ket-luan.txt")).document
    answer = login("noivu").patch(
        f"/api/documents/{doc.pk}/", values, content_type="application/json"
    )
    assert answer.status_code == 400 and message in str(answer.json())
    assert not Correction.objects.exists()


def test_a_document_edit_with_a_huge_year_is_refused_with_a_message(
    deployment, login, sample_path
):
    doc = ingest_file(sample_path("thong-bao-ket-luan.txt")).document
    answer = login("noivu").post(
        f"/van-ban/{doc.pk}/sua/", {"date": "1/1/99999999999999999999"}, follow=True
    )
    assert answer.status_code == 200 and "Ngày không hợp lệ" in answer.content.decode()


@pytest.mark.parametrize("username", ["xem"])
def test_a_viewer_cannot_correct_or_upload(deployment, login, sample_path, username):
    doc = ingest_file(sample_path("thong-bao-ket-luan.txt")).document
    client = login(username)
    assert client.post(f"/van-ban/{doc.pk}/sua/", {"number": "1/X"}).status_code == 403
    assert client.post("/api/upload/", {}).status_code == 403
