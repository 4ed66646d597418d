"""What a user meets when something goes wrong: Vietnamese pages in the site's layout with a way
back (403, 404, 405, 500), and Vietnamese JSON from the API. DEBUG is off, as in production."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import path

from cchc.web import urls as site_urls
from cchc.web.error_pages import server_error


def _broken_view(request):
    raise RuntimeError("a bug")


# the URLs of test_an_uncaught_error_answers_the_vietnamese_500_page
urlpatterns = [path("hong/", _broken_view)]
handler500 = site_urls.handler500  # the site's own


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


def test_an_unknown_page_answers_a_vietnamese_404_in_the_layout(login):
    answer = login("xem").get("/khong-co-trang-nay/")
    page = answer.content.decode()
    assert answer.status_code == 404
    assert "Không tìm thấy trang này" in page
    assert "Not Found" not in page
    assert 'class="topbar"' in page  # the menu: the user is still in the site
    assert 'href="/"' in page  # a way back


def test_a_missing_document_answers_the_same_404_page(login):
    answer = login("xem").get("/van-ban/999999/")
    assert answer.status_code == 404
    assert "Không tìm thấy trang này" in answer.content.decode()


def test_a_refused_page_answers_a_vietnamese_403_with_the_reason(login):
    answer = login("xem").get("/nhat-ky/")
    page = answer.content.decode()
    assert answer.status_code == 403
    assert "Bạn không có quyền" in page
    assert "Chỉ lãnh đạo và quản trị xem được nhật ký." in page
    assert "403 Forbidden" not in page
    assert 'href="/"' in page


def test_opening_the_log_out_address_answers_a_405_page_not_a_blank_one(login):
    answer = login("xem").get("/dang-xuat/")
    page = answer.content.decode()
    assert answer.status_code == 405
    assert "Địa chỉ này không mở trực tiếp được" in page
    assert answer["Allow"] == "POST, OPTIONS"
    assert 'href="/"' in page


def test_the_500_page_renders_without_a_request_context_or_the_database():
    # no `db` fixture: any query would fail this test
    answer = server_error(RequestFactory().get("/van-ban/"))
    page = answer.content.decode()
    assert answer.status_code == 500
    assert "Hệ thống gặp sự cố" in page
    assert 'href="/"' in page
    assert "Server Error" not in page


def test_the_api_answers_errors_as_json_in_vietnamese(login):
    client = login("xem")
    assert client.get("/api/khong-co/").json() == {"detail": "Không tìm thấy."}
    assert client.get("/api/documents/999999/").json() == {"detail": "Không tìm thấy."}
    answer = client.delete("/api/units/1/")
    assert answer.status_code == 405
    assert "không" in answer.json()["detail"].lower()
    assert client.logout() is None
    answer = client.get("/api/documents/", HTTP_AUTHORIZATION="Basic !!!")
    assert answer.status_code in (401, 403)
    assert "Tiêu đề Basic không hợp lệ" in answer.json()["detail"]


def test_an_api_validation_error_reads_in_vietnamese(login):
    answer = login("noivu").post("/api/tasks/", {}, content_type="application/json")
    assert answer.status_code == 400
    assert "Trường này là bắt buộc." in str(answer.json())


def test_a_form_sent_without_its_csrf_token_answers_a_vietnamese_page(deployment):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    answer = client.post("/dang-nhap/", {"username": "xem", "password": "x"})
    page = answer.content.decode()
    assert answer.status_code == 403
    assert "phiên làm việc đã hết hạn" in page
    assert "CSRF verification failed" not in page


@pytest.mark.urls("tests.test_web_error_pages")
def test_an_uncaught_error_answers_the_vietnamese_500_page(login):
    client = login("xem")
    client.raise_request_exception = False
    answer = client.get("/hong/")
    assert answer.status_code == 500
    assert "Hệ thống gặp sự cố" in answer.content.decode()


def test_a_bad_filter_leads_back_to_the_page_it_came_from_not_elsewhere(login):
    client = login("vanthu")
    came_from = "http://testserver/so/van-ban-di/?tu=01/01/2026"
    answer = client.get("/so/van-ban-di/?tu=31/02/2026", HTTP_REFERER=came_from)
    assert answer.status_code == 400
    assert f'href="{came_from}"' in answer.content.decode()
    assert "Quay lại trang trước" in answer.content.decode()
    foreign = client.get("/so/van-ban-di/?tu=31/02/2026", HTTP_REFERER="https://evil.example/x")
    assert foreign.status_code == 400 and "evil.example" not in foreign.content.decode()
