"""The audit page (/nhat-ky/): actions, objects and field names in Vietnamese, people by their
full names, and filters by person, action, object type and dates that refuse bad values with a
message instead of a 500."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from cchc.web.accounts.models import AuditEntry, Unit, audit


@pytest.fixture
def logged(deployment):
    """Three entries: a document edit by noivu, a task change by anlac last month, a system one."""
    users = get_user_model().objects
    unit = Unit.objects.first()
    noivu, anlac = users.get(username="noivu"), users.get(username="anlac")
    audit(noivu, "document-edit", unit, "Sửa number, signer_title của 12/UBND-VP")
    old = audit(anlac, "task-status", unit, "Chưa làm → Đang làm: báo cáo quý")
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=40))
    audit(None, "ingest", unit, "Nhập văn bản 12/UBND-VP từ tệp a.pdf")
    return {"noivu": noivu, "anlac": anlac}


def rows(answer) -> str:
    page = answer.content.decode()
    return page[page.index("<tbody>") : page.index("</tbody>")]


def test_the_audit_page_shows_actions_objects_and_fields_in_vietnamese(login, logged):
    answer = login("lanhdao").get("/nhat-ky/")
    body = rows(answer)
    assert answer.status_code == 200
    assert "Sửa văn bản" in body and "document-edit" not in body
    assert "Đổi trạng thái công việc" in body and "task-status" not in body
    assert "Sửa số, ký hiệu, chức vụ người ký của 12/UBND-VP" in body
    assert "đơn vị" in body  # the object type, not the model code "unit"
    assert "Hệ thống" in body


def test_the_audit_page_names_people_by_their_full_name(login, logged):
    body = rows(login("lanhdao").get("/nhat-ky/"))
    full_name = logged["noivu"].get_full_name()
    assert full_name and full_name in body
    assert ">noivu<" not in body


def test_the_audit_page_filters_by_person_action_object_and_dates(login, logged):
    client = login("lanhdao")
    body = rows(client.get("/nhat-ky/", {"user": logged["anlac"].pk}))
    assert "Đổi trạng thái công việc" in body and "Sửa văn bản" not in body
    body = rows(client.get("/nhat-ky/", {"action": "ingest"}))
    assert "Nhập văn bản 12/UBND-VP" in body and "Sửa văn bản" not in body
    assert "Nhập văn bản 12/UBND-VP" in rows(client.get("/nhat-ky/", {"object_type": "unit"}))
    since = (timezone.localdate() - timedelta(days=7)).strftime("%d/%m/%Y")
    body = rows(client.get("/nhat-ky/", {"since": since}))
    assert "Sửa văn bản" in body and "Đổi trạng thái công việc" not in body
    until = (timezone.localdate() - timedelta(days=30)).isoformat()
    body = rows(client.get("/nhat-ky/", {"until": until}))
    assert "Đổi trạng thái công việc" in body and "Sửa văn bản" not in body


@pytest.mark.parametrize(
    "params, message",
    [
        ({"user": "99999999999999999999"}, "Không có người này."),
        ({"user": "²"}, "Không có người này."),
        ({"action": "hack"}, "Không có loại việc này."),
        ({"object_type": "<b>"}, "Không có loại đối tượng này."),
        ({"since": "31/02/2026"}, "Ngày không hợp lệ"),
        ({"until": "1/1/99999999999999999999"}, "Ngày không hợp lệ"),
        ({"since": "10/10/2026", "until": "01/10/2026"}, "phải trước hoặc bằng"),
    ],
)
def test_a_bad_audit_filter_answers_a_message_not_a_500(login, logged, params, message):
    answer = login("lanhdao").get("/nhat-ky/", params)
    assert answer.status_code == 200
    assert message in answer.content.decode()
    assert "Sửa văn bản" in rows(answer)  # the bad filter filtered nothing


def test_the_audit_date_filters_are_dd_mm_yyyy_text_inputs(login, logged):
    page = login("lanhdao").get("/nhat-ky/").content.decode()
    assert 'name="since"' in page and 'placeholder="dd/mm/yyyy"' in page
    assert 'type="date"' not in page
