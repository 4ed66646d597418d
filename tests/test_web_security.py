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


# open without a log-in: the login page, the units' secret calendar feeds, and the public survey
# questionnaire, which shows nothing without a valid one-time code (tests/test_survey.py)
OPEN = ("/dang-nhap/", "/lich/feed/", "/khao-sat/")


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


def test_a_document_edit_with_a_huge_year_is_refused_with_a_message(deployment, login, sample_path):
    doc = ingest_file(sample_path("thong-bao-ket-luan.txt")).document
    answer = login("noivu").post(
        f"/van-ban/{doc.pk}/sua/", {"date": "1/1/99999999999999999999"}, follow=True
    )
    assert answer.status_code == 400 and "Ngày không hợp lệ" in answer.content.decode()


@pytest.mark.parametrize("username", ["xem"])
def test_a_viewer_cannot_correct_or_upload(deployment, login, sample_path, username):
    doc = ingest_file(sample_path("thong-bao-ket-luan.txt")).document
    client = login(username)
    assert client.post(f"/van-ban/{doc.pk}/sua/", {"number": "1/X"}).status_code == 403
    assert client.post("/api/upload/", {}).status_code == 403


def test_the_admin_cannot_add_change_or_delete_audit_entries(deployment, login):
    from cchc.web.accounts.models import AuditEntry

    client = login("quantri")
    entry = AuditEntry.objects.create(action="login", summary="Đăng nhập")
    count = AuditEntry.objects.count()
    assert client.get("/quan-tri/accounts/auditentry/").status_code == 200
    assert client.get("/quan-tri/accounts/auditentry/add/").status_code == 403
    forged = {"action": "delete", "summary": "Giả mạo", "object_type": "x", "object_id": "1"}
    assert client.post("/quan-tri/accounts/auditentry/add/", forged).status_code == 403
    change = f"/quan-tri/accounts/auditentry/{entry.pk}/change/"
    assert client.post(change, {"action": "x", "summary": "Sửa"}).status_code in (302, 403)
    delete = f"/quan-tri/accounts/auditentry/{entry.pk}/delete/"
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.count() == count
    entry.refresh_from_db()
    assert entry.summary == "Đăng nhập"


def test_pages_carry_a_content_security_policy_without_inline_scripts(deployment, login):
    answer = login("xem").get("/")
    policy = answer["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "object-src 'none'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'self'" in policy


def test_templates_have_no_inline_scripts_or_event_handlers():
    from pathlib import Path

    import cchc.web

    templates = Path(cchc.web.__file__).parent / "templates"
    for template in templates.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"\son[a-z]+\s*=", text), template  # onclick=, onchange=…
        for script in re.findall(r"<script[^>]*>", text):
            assert "src=" in script, template


def _text_pdf(path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 8, "UY BAN NHAN DAN\nSo: 12/TB-UBND\nTHONG BAO\nVe viec hop giao ban.")
    pdf.output(str(path))
    return path


def test_an_original_pdf_and_an_evidence_file_are_served_sandboxed(deployment, login, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cchc.web.work.models import Task

    doc = ingest_file(_text_pdf(tmp_path / "thong-bao.pdf")).document
    client = login("noivu")
    answer = client.get(f"/van-ban/{doc.pk}/tep/")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert "sandbox" in answer["Content-Security-Policy"].split("; ")
    assert answer["X-Content-Type-Options"] == "nosniff"
    from cchc.web.accounts.models import Unit

    unit = Unit.objects.get(name="Sở Nội vụ")
    task = Task.objects.create(unit=unit, action="Họp giao ban")
    upload = SimpleUploadedFile("bien-ban.pdf", (tmp_path / "thong-bao.pdf").read_bytes())
    client.post(f"/cong-viec/{task.pk}/cap-nhat/", {"evidence": upload})
    evidence = client.get(f"/minh-chung/{task.evidence.get().pk}/")
    assert "sandbox" in evidence["Content-Security-Policy"].split("; ")
    assert evidence["X-Content-Type-Options"] == "nosniff"


def test_a_pdf_original_is_shown_as_pictures_of_its_pages_not_in_the_browsers_viewer(
    deployment, login, tmp_path
):
    """Chromium's PDF viewer will not start under the sandbox the original is served with (a
    blank 'blocked' frame), and it would run the PDF's JavaScript: the page shows pictures."""
    import io

    from PIL import Image

    doc = ingest_file(_text_pdf(tmp_path / "thong-bao.pdf")).document
    client = login("xem")
    page = client.get(f"/van-ban/{doc.pk}/").content.decode()
    assert "<iframe" not in page
    assert f"/van-ban/{doc.pk}/trang/1.png" in page
    picture = client.get(f"/van-ban/{doc.pk}/trang/1.png")
    assert picture.status_code == 200 and picture["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(picture.content)).size[0] > 500
    assert client.get(f"/van-ban/{doc.pk}/trang/1.png").content == picture.content  # kept
    assert client.get(f"/van-ban/{doc.pk}/trang/99.png").status_code == 404
    original = client.get(f"/van-ban/{doc.pk}/tep/")
    assert original["Content-Disposition"].startswith("attachment")
