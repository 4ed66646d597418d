"""Documents as offices exchange them, on the web side: an ingested edXML package keeps each
attachment and its sender; revoke/update/replace messages act on the document they name; status
messages go to the outbox as the workflow moves; a document is exported as a package; the
registry and search filter on digital signatures."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, TestCase

from cchc import edxml
from cchc.web.accounts.models import Unit
from cchc.web.documents import exchange
from cchc.web.documents.ingest import accept_upload, ingest_file, run_job
from cchc.web.documents.models import Attachment, Document, IngestJob, StatusMessage
from cchc.web.params import InvalidRequest
from tests.edxml_packages import OURS, SENDER, package_bytes, write_package

ANNEX = "Phụ lục: danh sách thủ tục hành chính cần rà soát.\n".encode()


def _user(name: str):
    return get_user_model().objects.get(username=name)


def _client(name: str) -> Client:
    client = Client()
    client.force_login(_user(name))
    return client


@pytest.fixture
def outbox(tmp_path, monkeypatch):
    folder = tmp_path / "outbox"
    monkeypatch.setenv(exchange.OUTBOX_ENV, str(folder))
    return folder


@pytest.fixture
def town(deployment):
    """The deployment's own unit carries its mã định danh (the package's To)."""
    unit = Unit.objects.active().get(parent=None)
    unit.organ_id = OURS
    unit.save()
    return unit


def _ingest(tmp_path, name: str, **kwargs) -> Document:
    job = ingest_file(write_package(tmp_path, name, **kwargs))
    assert job.status == IngestJob.Status.DONE, job.message
    return Document.objects.get(pk=job.document_id)


# --- ingest -----------------------------------------------------------------------------------


def test_each_attachment_of_a_package_is_stored_and_downloadable(deployment, tmp_path):
    doc = _ingest(tmp_path, "goi.edxml", attachments=[("phu-luc.txt", ANNEX)])
    items = list(doc.attachments.all())
    assert [(a.name, a.main) for a in items] == [
        ("cong-van-1287.txt", True),
        ("phu-luc.txt", False),
    ]
    assert items[1].size == len(ANNEX)
    assert items[1].sha256 == hashlib.sha256(ANNEX).hexdigest()
    answer = _client("xem").get(f"/van-ban/{doc.pk}/dinh-kem/1/")
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == ANNEX
    assert "phu-luc.txt" in answer["Content-Disposition"]
    assert Client().get(f"/van-ban/{doc.pk}/dinh-kem/1/").status_code == 302  # log in first
    assert _client("xem").get(f"/van-ban/{doc.pk}/dinh-kem/9/").status_code == 404


def test_a_package_keeps_its_sender_and_reads_its_header_into_the_intake(deployment, tmp_path):
    doc = _ingest(tmp_path, "goi.edxml")
    assert (doc.sender_organ_id, doc.sender_name) == (SENDER, "Sở Xây dựng tỉnh Bình Long")
    assert doc.edxml_id == "000.15.31.H99,2026/11/05,1287/SXD-VP"
    assert doc.urgency == Document.Urgency.URGENT  # Priority 1
    assert doc.handling_deadline == date(2026, 12, 10)  # DueDate
    assert doc.received_via == Document.ReceivedVia.ELECTRONIC
    assert doc.tasks.filter(state="proposed").count() == 2  # the main attachment's text


def test_a_sender_known_as_a_unit_gives_that_units_name_as_issuer(deployment, tmp_path):
    unit, _ = Unit.objects.get_or_create(name="Sở Xây dựng", defaults={"kind": Unit.Kind.AGENCY})
    unit.organ_id = SENDER
    unit.save()
    doc = _ingest(tmp_path, "goi.edxml")
    assert doc.issuer == "Sở Xây dựng"


def test_a_bad_package_stores_nothing_and_names_the_file_and_element(deployment, tmp_path):
    text = package_bytes(attachments=[("phu-luc.txt", ANNEX)]).decode()
    broken = text.replace("<ContentTransferEncoded>", "<ContentTransferEncoded>!!!not base64!!!", 2)
    path = tmp_path / "hong.edxml"
    path.write_text(broken, encoding="utf-8")
    job = ingest_file(path)
    assert job.status == IngestJob.Status.FAILED
    assert "hong.edxml" in job.message and "base64" in job.message
    assert not Document.objects.exists() and not Attachment.objects.exists()


def test_an_uploaded_package_goes_the_same_way(deployment):
    job = run_job(accept_upload(iter([package_bytes()]), "goi.edxml", _user("vanthu")))
    assert job.status == IngestJob.Status.DONE, job.message
    assert job.document.attachments.count() == 1
    assert job.document.sender_organ_id == SENDER


# --- revoke, update, replace ----------------------------------------------------------------


def test_a_revoke_message_marks_the_document_and_flags_its_tasks(deployment, tmp_path):
    first = _ingest(tmp_path, "goi.edxml")
    revoke = _ingest(tmp_path, "thu-hoi.edxml", business=1, reason="Ban hành nhầm")
    first.refresh_from_db()
    assert first.exchange_state == Document.ExchangeState.REVOKED
    assert first.revoked_by == revoke and first.revoked_at is not None
    assert any("thu hồi văn bản" in w for w in revoke.warnings)
    assert revoke.exchange_state == Document.ExchangeState.REVOKE_MESSAGE
    proposals = list(first.tasks.filter(state="proposed"))
    assert len(proposals) == 2  # flagged, not deleted
    assert all(t.machine["revoked"]["by"] == revoke.pk for t in proposals)
    assert all(t.changes.filter(new="Văn bản bị thu hồi").exists() for t in proposals)
    page = _client("xem").get(f"/van-ban/{first.pk}/").content.decode()
    assert "Văn bản đã bị thu hồi" in page and "văn bản bị thu hồi" in page
    registry = _client("xem").get("/van-ban/").content.decode()
    assert "Đã bị thu hồi" in registry and "Gói tin thu hồi" in registry
    page = _client("xem").get(f"/van-ban/{revoke.pk}/").content.decode()
    assert "không phải văn bản cần xử lý" in page and f"/van-ban/{first.pk}/" in page


def test_a_proposal_of_a_revoked_document_cannot_be_confirmed(deployment, tmp_path):
    from cchc.web.work import flow

    first = _ingest(tmp_path, "goi.edxml")
    _ingest(tmp_path, "thu-hoi.edxml", business=1)
    proposal = first.tasks.filter(state="proposed").first()
    with pytest.raises(InvalidRequest, match="đã bị thu hồi"):
        flow.confirm(proposal, _user("lanhdao"))
    proposal.refresh_from_db()
    assert proposal.state == "proposed"
    flow.discard(proposal, _user("lanhdao"), "văn bản bị thu hồi")  # a decision is still possible
    proposal.refresh_from_db()
    assert proposal.state == "discarded"


def test_a_revoke_of_an_unknown_document_is_stored_with_a_warning(deployment, tmp_path):
    doc = _ingest(
        tmp_path,
        "thu-hoi.edxml",
        business=1,
        document_id="000.15.31.H99,2026/11/05,9999/SXD-VP",
        code_number="9999",
    )
    assert any("chưa có trong sổ" in w for w in doc.warnings)
    assert not Document.objects.exclude(exchange_state="").exists()  # a normal document


@pytest.mark.parametrize(
    ("business", "state"),
    [(2, Document.ExchangeState.UPDATED), (3, Document.ExchangeState.REPLACED)],
)
def test_an_update_or_replace_links_the_new_package_to_the_old(
    deployment, tmp_path, business, state
):
    first = _ingest(tmp_path, "goi.edxml")
    newer = _ingest(tmp_path, "moi.edxml", business=business)
    first.refresh_from_db()
    assert newer.replaces == first and first.exchange_state == state
    assert list(first.replaced_by.all()) == [newer]
    assert first.revoked_at is None


# --- status messages ------------------------------------------------------------------------


def _statuses(outbox) -> list[str]:
    found = []
    for path in sorted(outbox.glob("*.edxml")):
        package = edxml.read_package(path)
        assert package.sender.organ_id == OURS
        assert package.response_for[0].document_id == "000.15.31.H99,2026/11/05,1287/SXD-VP"
        found.append(package.status.code)
    return sorted(found)


def test_status_messages_follow_the_workflow_once_each(town, tmp_path, outbox):
    from cchc.web.work import assign, flow

    with_capture = TestCase.captureOnCommitCallbacks
    with with_capture(execute=True):
        doc = _ingest(tmp_path, "goi.edxml")
    assert _statuses(outbox) == ["03"]  # numbered as it came in: đã tiếp nhận
    leader = _user("lanhdao")
    office = Unit.objects.get(name="Sở Nội vụ")
    decisions = [
        flow.Decision(t, "confirm", flow.Edits(unit=office, unit_set=True))
        for t in flow.proposals(doc)
    ]
    with with_capture(execute=True):
        flow.direct(doc, leader, "Giao Văn phòng", "direct", decisions)
    assert _statuses(outbox) == ["03", "04"]
    tasks = list(doc.tasks.filter(state="confirmed", parent=None))
    with with_capture(execute=True):
        assign.set_status(tasks[0], "doing", leader)
    assert _statuses(outbox) == ["03", "04", "05"]
    with with_capture(execute=True):
        assign.set_status(tasks[0], "done", leader)
    assert _statuses(outbox) == ["03", "04", "05"]  # one task still open
    with with_capture(execute=True):
        for task in tasks[1:]:
            task.refresh_from_db()
            assign.set_status(task, "done", leader)
    assert _statuses(outbox) == ["03", "04", "05", "06"]
    with with_capture(execute=True):
        doc.refresh_from_db()
        doc.save()
    assert StatusMessage.objects.filter(document=doc).count() == 4
    assert len(list(outbox.glob("*.edxml"))) == 4
    assert not list(outbox.glob(".*"))  # no temporary file left


def test_no_status_message_for_a_document_that_did_not_come_as_a_package(town, outbox, sample_path):
    ingest_file(sample_path("cong-van-tang-cuong-cchc.txt"))
    assert not StatusMessage.objects.exists() and not outbox.exists()


# --- export ---------------------------------------------------------------------------------


def test_export_gives_a_package_that_reads_back_with_the_same_fields(town, tmp_path):
    doc = _ingest(tmp_path, "goi.edxml", attachments=[("phu-luc.txt", ANNEX)])
    answer = _client("vanthu").post(f"/van-ban/{doc.pk}/edxml/")
    assert answer.status_code == 200
    assert answer["Content-Disposition"].startswith("attachment")
    out = tmp_path / "xuat.edxml"
    out.write_bytes(answer.content)
    package = edxml.read_package(out)
    assert package.sender.organ_id == OURS
    assert (package.code, package.date, package.subject) == (doc.number, "2026-11-05", doc.subject)
    assert [a.name for a in package.attachments] == ["cong-van-1287.txt", "phu-luc.txt"]
    assert package.attachments[1].data == ANNEX


def _answer(town, tmp_path):
    """An issued answer (a draft with its document) to an incoming package."""
    from cchc.web.outgoing.models import Draft

    incoming = _ingest(tmp_path, "goi.edxml")
    reply = ingest_file(
        tmp_path / "tl.txt"
        if (tmp_path / "tl.txt").write_text(
            "UBND THỊ XÃ AN PHÚ\nSố: 45/UBND-VP\nAn Phú, ngày 20 tháng 11 năm 2026\n"
            "V/v báo cáo kết quả CCHC quý IV\nKính gửi: Sở Xây dựng tỉnh Bình Long\n"
            "UBND thị xã An Phú báo cáo như sau.\n",
            encoding="utf-8",
        )
        else None,
        direction="di",
    ).document
    draft = Draft.objects.create(subject="Trả lời", unit=town, issued_document=reply)
    draft.answers.add(incoming)
    return incoming, draft


def test_export_of_an_answer_names_the_answered_document_in_response_for(town, tmp_path):
    incoming, draft = _answer(town, tmp_path)
    name, data = exchange.export_package(Document.objects.get(pk=draft.issued_document_id))
    out = tmp_path / name
    out.write_bytes(data)
    package = edxml.read_package(out)
    assert package.response_for[0].document_id == incoming.edxml_id
    assert package.response_for[0].organ_id == SENDER
    assert [r.organ_id for r in package.receivers] == [SENDER]


def test_export_of_a_document_that_answers_nothing_sends_it_to_its_known_recipients(town, tmp_path):
    Unit.objects.filter(name="Sở Nội vụ").update(organ_id="000.00.15.H10")
    source = tmp_path / "kh.txt"
    source.write_text(
        "UBND TỈNH BÌNH LONG\nSố: 12/UBND-VP\nBình Long, ngày 20 tháng 11 năm 2026\n"
        "V/v rà soát thủ tục hành chính\nKính gửi:\n- Sở Nội vụ;\n- Công ty Cổ phần An Phú.\n"
        "UBND tỉnh đề nghị các đơn vị rà soát.\n",
        encoding="utf-8",
    )
    doc = ingest_file(source, direction="di").document
    assert "Sở Nội vụ" in doc.recipients
    out = tmp_path / "xuat.edxml"
    out.write_bytes(exchange.export_package(doc)[1])
    package = edxml.read_package(out)
    assert package.response_for == []
    # the company has no mã định danh in the registry: left for the LGSP, not invented
    assert [(r.organ_id, r.name) for r in package.receivers] == [("000.00.15.H10", "Sở Nội vụ")]


def test_the_issued_drafts_page_offers_the_package_to_the_clerk_only(town, tmp_path, login):
    _incoming, draft = _answer(town, tmp_path)
    button = f'action="/van-ban/{draft.issued_document_id}/edxml/"'
    assert button in login("vanthu").get(f"/van-ban-di/{draft.pk}/").content.decode()
    assert button not in login("noivu").get(f"/van-ban-di/{draft.pk}/").content.decode()


def test_export_without_a_mã_định_danh_says_how_to_set_it(deployment, tmp_path):
    doc = _ingest(tmp_path, "goi.edxml")
    answer = _client("vanthu").post(f"/van-ban/{doc.pk}/edxml/")
    assert answer.status_code == 400
    assert "mã định danh" in answer.content.decode()


def test_export_is_refused_to_an_officer(town, tmp_path):
    doc = _ingest(tmp_path, "goi.edxml")
    assert _client("noivu").post(f"/van-ban/{doc.pk}/edxml/").status_code == 403


def test_a_folder_with_a_package_and_its_revoke_is_read_in_one_go(deployment, tmp_path):
    """The watched folder and `cchc ingest DIR` store a batch in one transaction: the revoke
    finds the package stored just before it in the same batch."""
    from cchc.web.documents.watch import ingest_paths

    folder = tmp_path / "den"
    folder.mkdir()
    write_package(folder, "1-goi.edxml", attachments=[("phu-luc.txt", ANNEX)])
    write_package(folder, "2-thu-hoi.edxml", business=1)
    said = []
    assert ingest_paths([str(folder)], "den", said.append, workers=1) == 0, said
    first = Document.objects.get(original_name="1-goi.edxml")
    revoke = Document.objects.get(original_name="2-thu-hoi.edxml")
    assert first.exchange_state == Document.ExchangeState.REVOKED
    assert first.revoked_by == revoke
    assert first.attachments.count() == 2 and revoke.attachments.count() == 1


def test_a_revoke_is_answered_by_15_and_stops_the_revoked_documents_statuses(
    town, tmp_path, outbox
):
    with TestCase.captureOnCommitCallbacks(execute=True):
        first = _ingest(tmp_path, "goi.edxml")
    with TestCase.captureOnCommitCallbacks(execute=True):
        revoke = _ingest(tmp_path, "thu-hoi.edxml", business=1)
    codes = dict(StatusMessage.objects.values_list("document_id", "code"))
    assert codes == {first.pk: "03", revoke.pk: "15"}
    assert _statuses(outbox) == ["03", "15"]
    with TestCase.captureOnCommitCallbacks(execute=True):
        first.refresh_from_db()
        first.handling = Document.Handling.INFORMATION
        first.save()
    assert StatusMessage.objects.filter(document=first).count() == 1  # revoked: nothing more
