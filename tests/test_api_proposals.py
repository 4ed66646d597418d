"""The proposals API: an office's scripts run the same flow as the direction page, with the same
rights; `/api/tasks/` lists confirmed work only."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from cchc.web.accounts.models import AuditEntry, Unit
from cchc.web.documents.ingest import ingest_file
from cchc.web.work.models import Notification, Task, TaskChange

FIXTURE = Path(__file__).parent / "fixtures" / "cong-van-giao-viec-noi-vu-an-lac.txt"
QUY_CHE = "rà soát quy chế làm việc"


@pytest.fixture
def doc(deployment):
    noivu = get_user_model().objects.get(username="noivu")
    return ingest_file(FIXTURE, noivu).document


@pytest.fixture
def proposal(doc) -> Task:
    return Task.objects.get(document=doc, state=Task.State.PROPOSED, action__contains=QUY_CHE)


def _ids(answer) -> list[int]:
    data = answer.json()
    return [row["id"] for row in (data["results"] if isinstance(data, dict) else data)]


def test_proposals_are_listed_by_document_with_their_sentence_and_confidence(
    doc, proposal, login, sample_path
):
    other = ingest_file(sample_path("cong-van-tang-cuong-cchc.txt")).document
    client = login("xem")
    answer = client.get(f"/api/proposals/?document={doc.pk}")
    assert answer.status_code == 200
    rows = answer.json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    assert {r["document"] for r in rows} == {doc.pk}
    row = next(r for r in rows if r["id"] == proposal.pk)
    assert QUY_CHE in row["source"] and row["confidence"] == proposal.confidence
    assert row["state"] == "proposed"
    assert other.pk in {r["document"] for r in _rows(client.get("/api/proposals/"))}
    assert client.get("/api/proposals/?document=abc").status_code == 400
    assert proposal.pk not in _ids(client.get(f"/api/tasks/?document={doc.pk}"))


def _rows(answer):
    data = answer.json()
    return data["results"] if isinstance(data, dict) else data


def test_patch_edits_a_proposal_and_keeps_the_machines_reading(proposal, login):
    machine = dict(proposal.machine)
    client = login("lanhdao")
    answer = client.patch(
        f"/api/proposals/{proposal.pk}/",
        {"deadline": "2026-05-30", "action": "Rà soát quy chế làm việc"},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    proposal.refresh_from_db()
    assert str(proposal.deadline) == "2026-05-30" and proposal.state == Task.State.PROPOSED
    assert proposal.machine == machine
    assert set(TaskChange.objects.filter(task=proposal).values_list("field", flat=True)) == {
        "deadline",
        "action",
    }
    bad = client.patch(
        f"/api/proposals/{proposal.pk}/", {"unit": 10**9}, content_type="application/json"
    )
    assert bad.status_code == 400


def test_confirm_with_edits_makes_it_work_listed_by_the_tasks_api(doc, proposal, login):
    client = login("lanhdao")
    noivu = get_user_model().objects.get(username="noivu")
    answer = client.post(
        f"/api/proposals/{proposal.pk}/confirm/",
        {"assignee": noivu.pk, "deadline": "2026-05-02"},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["id"] == proposal.pk
    proposal.refresh_from_db()
    assert proposal.state == Task.State.CONFIRMED and proposal.confirmed_by.username == "lanhdao"
    assert proposal.assignee == noivu and proposal.confirmed_at is not None
    assert proposal.pk in _ids(client.get(f"/api/tasks/?document={doc.pk}"))
    assert proposal.pk not in _ids(client.get(f"/api/proposals/?document={doc.pk}"))
    assert Notification.objects.filter(user=noivu, kind="assigned").exists()
    assert AuditEntry.objects.filter(action="task-confirm", object_id=str(proposal.pk)).exists()
    again = client.post(f"/api/proposals/{proposal.pk}/confirm/")
    assert again.status_code == 404  # no longer a proposal


def test_discard_keeps_the_row(proposal, login):
    answer = login("quantri").post(
        f"/api/proposals/{proposal.pk}/discard/",
        {"reason": "câu kết"},
        content_type="application/json",
    )
    assert answer.status_code == 200
    proposal.refresh_from_db()
    assert proposal.state == Task.State.DISCARDED
    assert TaskChange.objects.get(task=proposal, field="state").reason == "câu kết"


@pytest.mark.parametrize("who", ["noivu", "anlac", "vanthu", "truongnv", "xem"])
def test_only_those_who_direct_decide_proposals(proposal, login, who):
    client = login(who)
    edits = {"unit": Unit.objects.get(name="UBND phường An Lạc").pk}
    for method, url in (
        ("post", f"/api/proposals/{proposal.pk}/confirm/"),
        ("post", f"/api/proposals/{proposal.pk}/discard/"),
        ("patch", f"/api/proposals/{proposal.pk}/"),
    ):
        answer = getattr(client, method)(url, edits, content_type="application/json")
        assert answer.status_code == 403, (who, url)
    proposal.refresh_from_db()
    assert proposal.state == Task.State.PROPOSED and proposal.unit.name == "Sở Nội vụ"
