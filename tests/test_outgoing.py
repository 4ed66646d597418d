"""The way of an outgoing document through the pages, as the office walks it: an officer drafts
an answer to an incoming document, the leader returns and approves it, the văn thư numbers and
issues it, and the task the incoming document gave is closed by the answer."""

from __future__ import annotations

import itertools
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import close_old_connections, connection
from django.utils import timezone

from cchc.notation import number_and_notation, type_code, unit_abbreviation
from cchc.text import running_name
from cchc.web.accounts.models import AuditEntry, Unit
from cchc.web.documents.ingest import ingest_file
from cchc.web.documents.models import Correction
from cchc.web.outgoing import services
from cchc.web.outgoing.models import Draft, DraftReview, DraftVersion
from cchc.web.work.models import Notification, Task

FIXTURES = Path(__file__).parent / "fixtures"
INCOMING = FIXTURES / "cong-van-so-noi-vu-de-nghi-bao-cao.txt"


def answer_text(version: int) -> bytes:
    """An answer of the town to Sở Nội vụ's request, as Phòng Nội vụ drafts it."""
    return f"""ỦY BAN NHÂN DÂN
THỊ XÃ AN PHÚ

Số:      /UBND-NV
V/v báo cáo kết quả rà soát thủ tục hành chính quý I năm 2026

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

An Phú, ngày      tháng 3 năm 2026

Kính gửi: Sở Nội vụ tỉnh Bình Long.

Thực hiện Công văn số 318/SNV-CCHC ngày 02/3/2026 của Sở Nội vụ, Ủy ban nhân dân thị xã
An Phú báo cáo kết quả rà soát thủ tục hành chính quý I năm 2026 như sau (bản {version}).

Nơi nhận:
- Như trên;
- Lưu: VT, NV.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Nguyễn Văn Bình
""".encode()


def upload(version: int, name: str = "tra-loi-so-noi-vu.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, answer_text(version))


def user(name: str):
    return get_user_model().objects.get(username=name)


@pytest.fixture
def incoming(deployment):
    """Sở Nội vụ's request, registered, with Phòng Nội vụ's confirmed task to answer it."""
    doc = ingest_file(INCOMING, direction="den").document
    task = Task.objects.create(
        document=doc,
        unit=Unit.objects.get(name="Sở Nội vụ"),
        action="Báo cáo kết quả rà soát thủ tục hành chính quý I",
        deadline=date(2026, 3, 25),
        state="confirmed",
    )
    return doc, task


# --- the ký hiệu (core) ------------------------------------------------------------------


def test_a_cong_van_takes_the_issuer_and_the_drafting_unit():
    assert number_and_notation(15, "Công văn", "UBND", "NV") == "15/UBND-NV"


def test_other_types_take_their_code_and_the_issuer():
    assert number_and_notation(12, "Quyết định", "UBND", "NV") == "12/QĐ-UBND"
    assert number_and_notation(3, "Kế hoạch", "UBND") == "3/KH-UBND"
    assert [type_code(t) for t in ("Báo cáo", "Thông báo", "Chỉ thị", "Tờ trình")] == [
        "BC",
        "TB",
        "CT",
        "TTr",
    ]


def test_unit_abbreviations_come_from_their_names():
    assert unit_abbreviation("Phòng Nội vụ", "P. Nội vụ") == "NV"
    assert unit_abbreviation("Văn phòng HĐND và UBND thị xã", "VP HĐND-UBND") == "VP"
    assert unit_abbreviation("UBND thị xã An Phú") == "UBND"
    assert unit_abbreviation("Phòng Tài chính - Kế hoạch") == "TCKH"
    assert unit_abbreviation("Ban Quản lý dự án") == "QLDA"


# --- the chain ------------------------------------------------------------------------------


def test_an_answer_goes_from_draft_to_issued_and_closes_the_task_it_answers(
    client, login, incoming
):
    doc, task = incoming

    # noivu starts the answer from the incoming document: subject and answer pre-filled
    page = login("noivu").get(f"/van-ban-di/moi/?tra-loi={doc.pk}")
    assert page.status_code == 200
    assert "V/v trả lời" in page.content.decode() and "318/SNV-CCHC" in page.content.decode()
    answer = client.post(
        f"/van-ban-di/moi/?tra-loi={doc.pk}",
        {
            "subject": "V/v báo cáo kết quả rà soát thủ tục hành chính quý I năm 2026",
            "type": "Công văn",
            "recipients": "- Sở Nội vụ tỉnh Bình Long;\n- Lưu: VT, NV.",
            "answers": [doc.pk],
            "file": upload(1),
        },
    )
    draft = Draft.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/van-ban-di/{draft.pk}/"
    assert draft.unit.name == "Sở Nội vụ" and list(draft.answers.all()) == [doc]
    client.post(f"/van-ban-di/{draft.pk}/ban-moi/", {"file": upload(2), "note": "sửa số liệu"})
    client.post(f"/van-ban-di/{draft.pk}/trinh-ky/", {"approver": user("lanhdao").pk})
    draft.refresh_from_db()
    assert draft.state == "trinh-ky" and draft.approver == user("lanhdao")

    # the officer cannot approve nor number
    assert client.post(f"/van-ban-di/{draft.pk}/duyet/", {"decision": "duyet"}).status_code == 403
    assert client.post(f"/van-ban-di/{draft.pk}/cap-so/").status_code == 403

    # lanhdao returns with a comment; a return without one is refused
    login("lanhdao")
    client.post(f"/van-ban-di/{draft.pk}/duyet/", {"decision": "tra-lai", "comment": ""})
    draft.refresh_from_db()
    assert draft.state == "trinh-ky"
    client.post(
        f"/van-ban-di/{draft.pk}/duyet/",
        {"decision": "tra-lai", "comment": "Bổ sung số thủ tục đã rà soát."},
    )
    draft.refresh_from_db()
    assert draft.state == "tra-lai"
    page = client.get(f"/van-ban-di/{draft.pk}/").content.decode()
    assert "Bổ sung số thủ tục đã rà soát." in page

    # noivu uploads v3 and submits again; lanhdao approves v3
    login("noivu")
    client.post(f"/van-ban-di/{draft.pk}/ban-moi/", {"file": upload(3)})
    client.post(f"/van-ban-di/{draft.pk}/trinh-ky/")
    login("lanhdao")
    client.post(f"/van-ban-di/{draft.pk}/duyet/", {"decision": "duyet", "comment": "Đồng ý."})
    draft.refresh_from_db()
    assert draft.state == "da-duyet"
    assert [v.number for v in draft.versions.all()] == [3, 2, 1]  # every version kept
    first = draft.versions.get(number=1)
    download = client.get(f"/van-ban-di/ban/{first.pk}/tep/")
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == answer_text(1)
    approval = DraftReview.objects.get(draft=draft, decision="duyet")
    assert approval.version.number == 3 and draft.signer_name.startswith("Nguyễn Văn Bình")

    # the văn thư numbers: 1/UBND-SNV, as Phụ lục III gives a công văn Sở Nội vụ drafts
    login("vanthu")
    page = client.get(f"/van-ban-di/{draft.pk}/").content.decode()
    assert 'value="UBND-SNV"' in page
    client.post(f"/van-ban-di/{draft.pk}/cap-so/")
    draft.refresh_from_db()
    assert (draft.state, draft.number, draft.notation) == ("da-cap-so", 1, "1/UBND-SNV")

    # and issues it: the last version filed as an outgoing document, its fields the draft's
    today = timezone.localdate()
    client.post(
        f"/van-ban-di/{draft.pk}/phat-hanh/",
        {
            "issued": f"{today:%d/%m/%Y}",
            "notation": "1/UBND-SNV",
            "recipients": "Sở Nội vụ tỉnh Bình Long\nLưu: VT, NV",
            "copies": "3",
        },
    )
    draft.refresh_from_db()
    issued = draft.issued_document
    assert draft.state == "da-phat-hanh" and issued is not None
    assert issued.direction == "di" and issued.number == "1/UBND-SNV"
    assert issued.date == today and issued.issuer == "UBND tỉnh Bình Long"
    assert "(bản 3)" in issued.text
    assert issued.register.direction == "di"
    assert Correction.objects.filter(document=issued, field="date").exists()

    # the văn thư may not close Phòng Nội vụ's task: it is offered to the unit to close
    page = client.get(f"/van-ban-di/{draft.pk}/").content.decode()
    assert "đơn vị Sở Nội vụ tự đóng" in page and f'value="{task.pk}"' not in page
    assert client.post(f"/van-ban-di/{draft.pk}/dong-viec/", {"task": [task.pk]}).status_code == 403

    # the task it answers is proposed for closing to its unit; confirming closes it
    login("noivu")
    page = client.get(f"/van-ban-di/{draft.pk}/").content.decode()
    assert "Đề xuất đóng công việc" in page and f'value="{task.pk}"' in page
    client.post(f"/van-ban-di/{draft.pk}/dong-viec/", {"task": [task.pk]})
    task.refresh_from_db()
    assert task.status == "done" and list(task.answers.all()) == [issued]
    assert task.notes.filter(text="Đã trả lời bằng văn bản số 1/UBND-SNV").exists()
    page = client.get(f"/van-ban-di/{draft.pk}/").content.decode()
    assert "Đề xuất đóng công việc" not in page

    # the registers show it
    register = client.get(f"/so/van-ban-di/?tu={today:%d/%m/%Y}&den={today:%d/%m/%Y}")
    register = register.content.decode()
    assert '<td>1</td><td><a href="/van-ban-di/' in register and ">UBND-SNV</a></td>" in register
    assert "Sở Nội vụ tỉnh Bình Long<br>Lưu: VT, NV" in register
    tracking = client.get("/so/giai-quyet-van-ban-den/?tu=01/01/2000&den=31/12/2099")
    text = tracking.content.decode()
    assert "318/SNV-CCHC" in text and "1/UBND-SNV" in text and "Hoàn thành" in text

    # every step is in the audit log
    actions = set(AuditEntry.objects.filter(object_type="draft").values_list("action", flat=True))
    assert actions >= {
        "draft-create",
        "draft-version",
        "draft-submit",
        "draft-review",
        "draft-number",
        "draft-issue",
    }
    states = list(draft.events.values_list("state_to", flat=True))
    assert states == [
        "du-thao",
        "trinh-ky",
        "tra-lai",
        "trinh-ky",
        "da-duyet",
        "da-cap-so",
        "da-phat-hanh",
    ]


def test_the_document_page_link_starts_an_answer_prefilled(login, incoming):
    doc, _task = incoming
    page = login("noivu").get(f"/van-ban-di/moi/?tra-loi={doc.pk}").content.decode()
    assert f'name="answers" value="{doc.pk}"' in page
    assert "SỞ NỘI VỤ" in page  # the recipient is the issuer, as the document prints it


_SERIAL = itertools.count(100)


def _draft_in(state: str, author: str = "noivu") -> Draft:
    """A draft of Phòng Nội vụ walked through the services up to `state`."""
    draft = services.create_draft(
        user(author),
        subject="V/v báo cáo",
        type="Công văn",
        unit=Unit.objects.get(name="Sở Nội vụ"),
        upload=upload(next(_SERIAL), f"{state}.txt"),  # each its own file
    )
    if state == "du-thao":
        return draft
    services.submit(draft, user(author))
    if state == "trinh-ky":
        return draft
    services.review(draft, user("lanhdao"), "duyet")
    if state == "da-duyet":
        return draft
    services.give_number(draft, user("vanthu"))
    return draft


def test_wrong_roles_are_refused_and_change_nothing(login, deployment):
    submitted = _draft_in("trinh-ky")
    approved = _draft_in("da-duyet")
    numbered = _draft_in("da-cap-so")
    client = login("anlac")  # an officer of another unit
    assert (
        client.post(f"/van-ban-di/{submitted.pk}/ban-moi/", {"file": upload(9)}).status_code == 403
    )
    assert (
        client.post(f"/van-ban-di/{submitted.pk}/duyet/", {"decision": "duyet"}).status_code == 403
    )
    assert client.post(f"/van-ban-di/{approved.pk}/cap-so/").status_code == 403
    issue = {"issued": "20/03/2026"}
    assert client.post(f"/van-ban-di/{numbered.pk}/phat-hanh/", issue).status_code == 403
    login("xem")
    assert client.get("/van-ban-di/moi/").status_code == 403
    login("truongnv")  # a unit head may not sign off nor number
    assert (
        client.post(f"/van-ban-di/{submitted.pk}/duyet/", {"decision": "duyet"}).status_code == 403
    )
    assert client.post(f"/van-ban-di/{approved.pk}/cap-so/").status_code == 403
    assert [d.state for d in Draft.objects.order_by("pk")] == ["trinh-ky", "da-duyet", "da-cap-so"]
    assert DraftVersion.objects.count() == 3


def test_a_step_out_of_turn_is_a_message_not_a_change(login, deployment):
    draft = _draft_in("du-thao")
    client = login("vanthu")
    answer = client.post(f"/van-ban-di/{draft.pk}/cap-so/", follow=True)
    assert "không thể chuyển sang" in answer.content.decode()
    draft.refresh_from_db()
    assert draft.state == "du-thao" and draft.number is None


def test_the_vanthu_corrects_the_notation_before_issuing(login, deployment):
    draft = _draft_in("da-duyet")
    client = login("vanthu")
    client.post(f"/van-ban-di/{draft.pk}/cap-so/", {"symbol": "UBND-NV.TCCB"})
    draft.refresh_from_db()
    assert draft.notation == "1/UBND-NV.TCCB"
    answer = client.post(
        f"/van-ban-di/{draft.pk}/phat-hanh/",
        {"issued": f"{timezone.localdate():%d/%m/%Y}", "notation": "7/UBND"},
    )
    assert answer.status_code == 400 and 'value="7/UBND"' in answer.content.decode()
    draft.refresh_from_db()
    assert draft.state == "da-cap-so"  # a ký hiệu that drops the number given is refused


def test_a_draft_must_be_docx_pdf_or_txt(login, deployment):
    client = login("noivu")
    answer = client.post(
        "/van-ban-di/moi/",
        {
            "subject": "V/v thử",
            "type": "Công văn",
            "file": SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20),
        },
    )
    assert answer.status_code == 400 and "dự thảo phải là tệp" in answer.content.decode()
    assert not Draft.objects.exists()


def test_other_types_are_numbered_with_their_code(deployment):
    draft = services.create_draft(
        user("noivu"),
        subject="Kế hoạch rà soát thủ tục hành chính năm 2026",
        type="Kế hoạch",
        unit=Unit.objects.get(name="Sở Nội vụ"),
        upload=upload(42, "ke-hoach.txt"),
    )
    services.submit(draft, user("noivu"))
    services.review(draft, user("lanhdao"), "duyet")
    services.give_number(draft, user("vanthu"))
    assert draft.notation == "1/KH-UBND"


@pytest.mark.django_db(transaction=True)
def test_two_drafts_numbered_at_once_get_different_numbers(media):
    from cchc.web import demo

    demo.create_deployment()
    drafts = [_draft_in("da-duyet"), _draft_in("da-duyet")]
    start = threading.Barrier(2)
    errors = []

    def number(draft):
        try:
            start.wait()
            services.give_number(draft, user("vanthu"))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=number, args=(d,)) for d in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    numbers = sorted(Draft.objects.values_list("number", flat=True))
    assert numbers == [1, 2]
    assert sorted(Draft.objects.values_list("notation", flat=True)) == ["1/UBND-SNV", "2/UBND-SNV"]


# --- regressions found by a new user -------------------------------------------------------


def _issued_answer(doc, author: str = "noivu") -> Draft:
    """Phòng Nội vụ's answer to `doc`, approved, numbered and issued today."""
    draft = services.create_draft(
        user(author),
        subject="V/v trả lời Sở Nội vụ",
        type="Công văn",
        unit=Unit.objects.get(name="Sở Nội vụ"),
        upload=upload(next(_SERIAL), "tra-loi.txt"),
        answers=[doc],
    )
    services.submit(draft, user(author))
    services.review(draft, user("lanhdao"), "duyet")
    services.give_number(draft, user("vanthu"))
    services.issue(draft, user("vanthu"), timezone.localdate())
    return draft


def test_an_answer_closes_only_the_tasks_the_user_may_change_and_tells_their_unit(
    client, login, incoming
):
    doc, own = incoming
    ward = Task.objects.create(
        document=doc,
        unit=Unit.objects.get(name="UBND phường An Lạc"),
        action="Phường báo cáo số liệu",
        state="confirmed",
    )
    draft = _issued_answer(doc)
    login("noivu")
    page = client.get(f"/van-ban-di/{draft.pk}/").content.decode()
    assert f'name="task" value="{own.pk}" checked' in page  # its own unit's task: ticked
    assert f'value="{ward.pk}"' not in page  # the ward's: no box to tick
    assert "đơn vị UBND phường An Lạc tự đóng" in page
    # the ward's task smuggled in refuses the whole request: nothing is closed
    answer = client.post(f"/van-ban-di/{draft.pk}/dong-viec/", {"task": [own.pk, ward.pk]})
    assert answer.status_code == 403
    own.refresh_from_db()
    ward.refresh_from_db()
    assert own.status != "done" and ward.status != "done"
    assert not Notification.objects.filter(kind="answered").exists()

    client.post(f"/van-ban-di/{draft.pk}/dong-viec/", {"task": [own.pk]})
    own.refresh_from_db()
    assert own.status == "done"
    told = set(
        Notification.objects.filter(kind="answered").values_list("user__username", flat=True)
    )
    assert "truongnv" in told and "noivu" not in told and "anlac" not in told

    # the ward closes its own (it may change it), and the leader may too: An Lạc is told
    login("lanhdao")
    client.post(f"/van-ban-di/{draft.pk}/dong-viec/", {"task": [ward.pk]})
    ward.refresh_from_db()
    assert ward.status == "done"
    note = Notification.objects.get(kind="answered", user=user("anlac"))
    assert draft.notation in note.text and note.url == f"/cong-viec/{ward.pk}/"


def test_each_step_tells_who_acts_next(client, login, deployment):
    draft = _draft_in("du-thao")
    services.submit(draft, user("noivu"))  # to any signer: the leaders are told
    leaders = set(
        Notification.objects.filter(kind="draft-submitted").values_list("user__username", flat=True)
    )
    assert leaders == {"lanhdao"}
    services.review(draft, user("lanhdao"), "tra-lai", "Sửa trích yếu.")
    returned = Notification.objects.get(kind="draft-returned")
    assert returned.user == user("noivu") and "Sửa trích yếu." in returned.text
    assert returned.url == f"/van-ban-di/{draft.pk}/"
    Notification.objects.all().delete()
    services.submit(draft, user("noivu"), approver=user("lanhdao"))
    assert list(Notification.objects.values_list("user__username", "kind")) == [
        ("lanhdao", "draft-submitted")
    ]
    services.review(draft, user("lanhdao"), "duyet")
    approved = Notification.objects.filter(kind="draft-approved")
    assert {n.user.username for n in approved} == {"noivu", "vanthu"}
    assert "chờ cấp số" in approved.get(user=user("vanthu")).text
    services.give_number(draft, user("vanthu"))
    services.issue(draft, user("vanthu"), timezone.localdate())
    issued = Notification.objects.get(kind="draft-issued")
    assert issued.user == user("noivu") and draft.notation in issued.text


def test_a_new_draft_form_sent_twice_makes_one_draft(client, login, deployment):
    login("noivu")
    form = {"subject": "V/v gửi hai lần", "type": "Công văn", "recipients": "Sở Nội vụ"}
    first = client.post("/van-ban-di/moi/", {**form, "file": upload(7)})
    again = client.post("/van-ban-di/moi/", {**form, "file": upload(7)}, follow=True)
    draft = Draft.objects.get()
    assert first["Location"] == f"/van-ban-di/{draft.pk}/"
    assert again.redirect_chain[-1][0] == f"/van-ban-di/{draft.pk}/"
    assert f'<a href="/van-ban-di/{draft.pk}/">' in again.content.decode()
    assert "vừa được tạo" in again.content.decode()
    assert DraftVersion.objects.count() == 1
    # another file with the same subject is another draft
    client.post("/van-ban-di/moi/", {**form, "file": upload(8)})
    assert Draft.objects.count() == 2


def test_a_new_draft_offers_only_the_units_the_user_acts_for(client, login, deployment):
    login("noivu")
    page = client.get("/van-ban-di/moi/").content.decode()
    nv, ward = Unit.objects.get(name="Sở Nội vụ"), Unit.objects.get(name="UBND phường An Lạc")
    assert f'<option value="{nv.pk}"' in page and f'<option value="{ward.pk}"' not in page
    answer = client.post(
        "/van-ban-di/moi/",
        {"subject": "V/v của phường", "type": "Công văn", "unit": ward.pk, "file": upload(9)},
    )
    text = answer.content.decode()
    assert answer.status_code == 403 and "cho đơn vị mình làm việc" in text  # not a bare 403
    assert "V/v của phường" in text  # the form comes back with what was typed
    assert not Draft.objects.exists()
    leader = login("lanhdao").get("/van-ban-di/moi/").content.decode()
    assert f'<option value="{ward.pk}"' in leader


def test_an_issue_date_lies_between_the_approval_and_today(client, login, deployment):
    draft = _draft_in("da-cap-so")
    login("vanthu")
    today = timezone.localdate()
    form = {"notation": draft.notation, "recipients": "Sở Nội vụ\nLưu: VT", "copies": "4"}
    before = client.post(f"/van-ban-di/{draft.pk}/phat-hanh/", {**form, "issued": "01/01/2026"})
    text = before.content.decode()
    assert before.status_code == 400 and "trước ngày dự thảo được duyệt" in text
    assert 'value="01/01/2026"' in text and 'value="4"' in text and "Lưu: VT</textarea>" in text
    tomorrow = f"{today + timedelta(days=1):%d/%m/%Y}"
    after = client.post(f"/van-ban-di/{draft.pk}/phat-hanh/", {**form, "issued": tomorrow})
    assert after.status_code == 400 and "không được sau hôm nay" in after.content.decode()
    wrong = client.post(f"/van-ban-di/{draft.pk}/phat-hanh/", {**form, "issued": "32/13/2026"})
    assert wrong.status_code == 400 and "Ngày phát hành" in wrong.content.decode()
    draft.refresh_from_db()
    assert draft.state == "da-cap-so" and draft.issued_document is None
    done = client.post(
        f"/van-ban-di/{draft.pk}/phat-hanh/", {**form, "issued": f"{today:%d/%m/%Y}"}
    )
    assert done.status_code == 302
    draft.refresh_from_db()
    assert draft.state == "da-phat-hanh" and draft.issued_date == today


def test_a_returned_comment_is_kept_when_the_step_is_refused(client, login, deployment):
    draft = _draft_in("du-thao")  # not submitted: a review is out of turn
    answer = login("lanhdao").post(
        f"/van-ban-di/{draft.pk}/duyet/", {"decision": "tra-lai", "comment": "Ý kiến dài"}
    )
    assert answer.status_code == 400 and "không thể chuyển sang" in answer.content.decode()


def test_the_list_counts_documents_not_drafts(client, login, incoming):
    doc, _task = incoming
    _issued_answer(doc)
    page = login("xem").get("/van-ban-di/").content.decode()
    assert "1 văn bản" in page and "1 dự thảo" not in page
    issued_only = login("xem").get("/van-ban-di/?tinh-trang=da-phat-hanh").content.decode()
    assert "1 văn bản (đã phát hành)" in issued_only


def test_an_all_caps_issuer_is_written_as_running_text():
    assert running_name("ỦY BAN NHÂN DÂN THỊ XÃ AN PHÚ") == "Ủy ban nhân dân thị xã An Phú"
    assert running_name("SỞ NỘI VỤ TỈNH BÌNH LONG") == "Sở Nội vụ tỉnh Bình Long"
    assert running_name("UBND PHƯỜNG AN LẠC") == "UBND phường An Lạc"
    assert (
        running_name("SỞ KẾ HOẠCH VÀ ĐẦU TƯ TỈNH BÌNH LONG")
        == "Sở Kế hoạch và Đầu tư tỉnh Bình Long"
    )
    assert running_name("UỶ BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH") == (
        "Ủy ban nhân dân thành phố Hồ Chí Minh"
    )
    assert running_name("Sở Nội vụ tỉnh Bình Long") == "Sở Nội vụ tỉnh Bình Long"  # as it is


def test_the_suggested_subject_names_the_issuer_in_running_text(login, deployment):
    doc = ingest_file(INCOMING, direction="den").document
    doc.issuer = "ỦY BAN NHÂN DÂN THỊ XÃ AN PHÚ"
    assert services.answer_subject(doc).endswith("của Ủy ban nhân dân thị xã An Phú")
