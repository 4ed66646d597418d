"""Whom the leaders delegate (issue 15 §1: "leaders, or whom they delegate"): a person whose
profile says `directs` has the direction queue, directs documents, and may be submitted to;
the same person without it is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from cchc.web.documents.ingest import ingest_file
from cchc.web.documents.models import Document
from cchc.web.work import flow
from tests.test_flow_incoming import _direct

FIXTURE = Path(__file__).parent / "fixtures" / "cong-van-giao-viec-noi-vu-an-lac.txt"


def _user(name: str):
    return get_user_model().objects.get(username=name)


@pytest.fixture
def waiting(deployment):
    doc = ingest_file(FIXTURE, _user("vanthu")).document
    return flow.submit(doc, _user("vanthu"))  # to the leaders, no one in particular


def test_a_delegate_directs_and_the_same_person_without_delegation_cannot(waiting, login):
    delegate = _user("vanphong")  # a chuyên viên of Văn phòng
    client = login("vanphong")
    assert client.get("/van-ban/cho-chi-dao/").status_code == 403
    assert client.get(f"/van-ban/{waiting.pk}/chi-dao/").status_code == 403
    with pytest.raises(flow.FlowError):
        flow.submit(waiting, _user("vanthu"), to_user=delegate)  # not someone who directs

    delegate.profile.directs = True
    delegate.profile.save()
    client = login("vanphong")
    queue = client.get("/van-ban/cho-chi-dao/")
    assert queue.status_code == 200 and f'href="/van-ban/{waiting.pk}/"' in queue.content.decode()
    assert client.get(f"/van-ban/{waiting.pk}/chi-dao/").status_code == 200
    flow.submit(waiting, _user("vanthu"), to_user=_user("vanphong"))  # may be submitted to
    answer = _direct(client, waiting, {"text": "Để biết.", "outcome": "inform"})
    assert answer.status_code == 302
    waiting.refresh_from_db()
    assert waiting.handling == Document.Handling.INFORMATION
