"""Bad query parameters answer 400 with a Vietnamese message, never a 500: every page and API
endpoint that reads a number, a year or an id from the URL validates it first."""

from __future__ import annotations

import pytest

HUGE = "99999999999999999999"

BAD_GETS = [
    "/van-ban/?unit=²",
    f"/van-ban/?unit={HUGE}",
    "/api/documents/?unit=²",
    f"/api/documents/?unit={HUGE}",
    f"/api/tasks/?unit={HUGE}",
    "/api/tasks/?unit=²",
    "/tim-kiem/?q=cai+cach&unit=²",
    f"/tim-kiem/?q=cai+cach&unit={HUGE}",
    f"/api/search/?q=cai+cach&unit={HUGE}",
    "/cong-viec/?unit=²",
    f"/cong-viec/?unit={HUGE}",
    "/lich/?unit=²",
    f"/lich/?unit={HUGE}",
    "/lich/?year=9999&month=12",
    "/lich/?year=1&month=1",
    f"/van-ban/nhap/trang-thai/?ids={HUGE}",
    "/chi-so/?framework=²",
    f"/chi-so/?framework={HUGE}",
]


@pytest.mark.parametrize("url", BAD_GETS)
def test_a_bad_parameter_answers_400_with_a_message(login, url):
    client = login("lanhdao")
    response = client.get(url)
    assert response.status_code == 400, (url, response.status_code)
    if response["Content-Type"].startswith("application/json"):
        body = str(response.json()["detail"])
    else:
        body = response.content.decode()
    assert "không hợp lệ" in body, body[:400]


def test_a_bad_date_in_the_document_edit_keeps_the_other_fields(login, deployment, sample_path):
    from cchc.web.documents.ingest import ingest_file
    from cchc.web.documents.models import Document

    document = ingest_file(sample_path("cong-van-tang-cuong-cchc.txt")).document
    assert isinstance(document, Document)
    client = login("lanhdao")
    response = client.post(
        f"/van-ban/{document.pk}/sua/",
        {"number": "123/UBND-VP", "date": "1/1/" + HUGE},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "123/UBND-VP" in body  # what was typed is shown again, not thrown away
    assert "ngày" in body.lower()
    document.refresh_from_db()
    assert document.number != "123/UBND-VP"  # nothing half-saved


def test_a_bad_id_posted_to_a_form_answers_400_with_a_message(login, deployment):
    from cchc.web.accounts.models import Unit
    from cchc.web.par.models import Assessment
    from cchc.web.work.models import Task

    unit = Unit.objects.get(name="UBND phường An Lạc")
    task = Task.objects.create(unit=unit, action="Rà soát thủ tục")
    client = login("lanhdao")
    posts = [
        (f"/cong-viec/{task.pk}/cap-nhat/", {"answer": "²"}),
        ("/cong-viec/moi/", {"action": "Họp", "unit": "²", "kind": "task"}),
        ("/cong-viec/moi/", {"action": "Họp", "unit": HUGE, "kind": "task"}),
    ]
    if assessment := Assessment.objects.first():
        posts.append((f"/chi-so/danh-gia/{assessment.pk}/ke-hoach/", {"criterion": ["²"]}))
    for url, data in posts:
        answer = client.post(url, data)
        assert answer.status_code == 400, (url, data, answer.status_code)
        assert "không hợp lệ" in answer.content.decode()
    assert not Task.objects.filter(action="Họp").exists()
