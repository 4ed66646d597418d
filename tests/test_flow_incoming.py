"""The flow of an incoming document (Nghị định 30/2020): vào sổ, trình, chỉ đạo; the machine's
tasks stay proposals, on no board, calendar, feed, figure, report or API, until confirmed."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import docx
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cchc.extract.closing import is_closing_formula
from cchc.web.accounts.models import AuditEntry, Unit
from cchc.web.documents.ingest import ingest_file
from cchc.web.documents.models import Document, Instruction, Register
from cchc.web.par import reports
from cchc.web.work import flow
from cchc.web.work.models import Notification, Task, TaskChange

FIXTURE = Path(__file__).parent / "fixtures" / "cong-van-giao-viec-noi-vu-an-lac.txt"
NOI_VU, AN_LAC = "Sở Nội vụ", "UBND phường An Lạc"  # Phòng Nội vụ (ended) → Sở Nội vụ
QUY_CHE = "rà soát quy chế làm việc"  # a duty of Phòng Nội vụ in the fixture
SO_HOA = "thủ tục hành chính năm 2025"  # UBND phường An Lạc's (as the parser cuts it today)


def _user(name: str):
    return get_user_model().objects.get(username=name)


@pytest.fixture
def doc(deployment) -> Document:
    """The fixture as the officer noivu uploaded it."""
    return ingest_file(FIXTURE, _user("noivu")).document


def _proposals(doc):
    return list(Task.objects.filter(document=doc, state=Task.State.PROPOSED, parent=None))


def _proposal(doc, words: str) -> Task:
    return next(t for t in _proposals(doc) if words in t.action)


def _form(doc, data: dict, rest: str | None = "discard") -> dict:
    """The direction form as the page posts it: the state it was shown from, and each proposal
    the data does not decide at `rest` ("discard", "keep"; None: left out, as a script might)."""
    data = {"state": flow.direction_state(doc), **data}
    for t in _proposals(doc) if rest else ():
        if f"p{t.pk}-verdict" not in data:
            data.update({f"p{t.pk}-verdict": rest, f"p{t.pk}-action": t.action})
            if rest == "keep":  # as the page shows it: the machine's lead and deadline
                data[f"p{t.pk}-unit"] = t.unit_id or ""
                data[f"p{t.pk}-support"] = "; ".join(t.support)
                data[f"p{t.pk}-deadline"] = t.deadline.strftime("%d/%m/%Y") if t.deadline else ""
    return data


def _direct(client, doc, data: dict, rest: str | None = "discard"):
    return client.post(f"/van-ban/{doc.pk}/chi-dao/", _form(doc, data, rest))


# --- closing formulas -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "nghiêm túc thực hiện",
        "thi hành Quyết định này",
        "khẩn trương triển khai, thực hiện./",
        "tổ chức thực hiện",
        "Nghiêm túc triển khai thực hiện; kết quả thực hiện là cơ sở để đánh giá, xếp loại",
    ],
)
def test_closing_formulas_are_recognised(text):
    assert is_closing_formula(text)


@pytest.mark.parametrize(
    "text",
    [
        "tổ chức thực hiện rà soát quy chế làm việc, báo cáo trước ngày 30/4/2026",
        "nghiêm túc thực hiện chế độ báo cáo định kỳ hằng quý",
    ],
)
def test_duties_that_begin_like_a_formula_are_kept(text):
    assert not is_closing_formula(text)


def test_closing_formulas_of_an_ingested_document_are_not_proposed(doc, sample_path):
    actions = [t.action for t in Task.objects.filter(document=doc)]
    assert any(QUY_CHE in a for a in actions)
    assert not any("nghiêm túc thực hiện" in a.lower() for a in actions)
    decision = ingest_file(sample_path("quyet-dinh-kiem-tra-cchc.txt")).document
    assert not decision.tasks.filter(action__icontains="thi hành Quyết định này").exists()


# --- proposals stay proposals -----------------------------------------------------------------


def _surfaces(client, unit: Unit) -> dict[str, str]:
    """Every place work shows, as the leader sees it."""
    feed = client.get(f"/lich/feed/{unit.feed_token}.ics").content.decode()
    dashboard = client.get("/")
    return {
        "board": client.get(f"/cong-viec/?unit={unit.pk}").content.decode(),
        "calendar": client.get("/lich/?year=2026&month=4").content.decode()
        + client.get("/lich/?year=2026&month=5").content.decode(),
        "feed": feed.replace("\r\n ", ""),
        "dashboard": str(dashboard.context["totals"]) + str(list(dashboard.context["due_week"])),
        "report": str(reports.periodic_report(2026, "Q2", _user("lanhdao"))[1]),
        "api": client.get("/api/tasks/?unit=" + str(unit.pk)).content.decode(),
    }


FIGURES = ("dashboard", "report")


def test_proposals_show_nowhere_until_confirmed_and_everywhere_after(deployment, login):
    client = login("lanhdao")
    noi_vu = Unit.objects.get(name=NOI_VU)
    before = _surfaces(client, noi_vu)
    doc = ingest_file(FIXTURE, _user("noivu")).document
    proposal = _proposal(doc, QUY_CHE)
    assert proposal.unit == noi_vu and proposal.confidence is not None
    assert not Task.work.filter(document=doc).exists()
    now = _surfaces(client, noi_vu)
    for name, shown in now.items():
        assert QUY_CHE not in shown, f"a proposal reached the {name}"
        if name in FIGURES:
            assert shown == before[name], f"a proposal counted in the {name}"

    answer = _direct(
        client,
        doc,
        {
            "text": "Giao Phòng Nội vụ thực hiện.",
            "outcome": "direct",
            f"p{proposal.pk}-verdict": "confirm",
            f"p{proposal.pk}-action": proposal.action,
            f"p{proposal.pk}-unit": noi_vu.pk,
            f"p{proposal.pk}-deadline": "30/04/2026",
        },
    )
    assert answer.status_code == 302
    after = _surfaces(client, noi_vu)
    for name in ("board", "calendar", "feed", "api"):
        assert QUY_CHE in after[name], name
    assert after["dashboard"] != before["dashboard"]
    assert after["report"] != before["report"]


def test_an_officers_upload_gives_no_work_and_an_officer_cannot_confirm(doc, login):
    assert doc.created_by.username == "noivu"
    client = login("noivu")
    assert _proposals(doc)
    assert not Task.work.filter(document=doc).exists()
    an_lac = _proposal(doc, SO_HOA)
    assert an_lac.unit.name == AN_LAC  # another unit's work: a proposal only
    assert client.get(f"/van-ban/{doc.pk}/chi-dao/").status_code == 403
    refused = _direct(
        client,
        doc,
        {"outcome": "direct", f"p{an_lac.pk}-verdict": "confirm", f"p{an_lac.pk}-action": "x"},
    )
    assert refused.status_code == 403
    assert client.post(f"/api/proposals/{an_lac.pk}/confirm/").status_code == 403
    assert not Task.work.filter(document=doc).exists()


# --- vào sổ -----------------------------------------------------------------------------------


def test_register_shows_the_appendix_iv_columns_filtered_by_register_and_period(doc, login):
    client = login("xem")
    page = client.get("/van-ban/den/").content.decode()
    for column in ("Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu", "Tên loại và trích yếu"):
        assert column in page
    for column in ("Đơn vị hoặc người nhận", "Ngày chuyển", "Ký nhận", "Ghi chú"):
        assert column in page
    assert doc.number in page
    secret = Register.objects.create(name="Sổ văn bản mật đến", direction="den", secret=True)
    assert doc.number not in client.get(f"/van-ban/den/?register={secret.pk}").content.decode()
    assert doc.number not in client.get("/van-ban/den/?end=01/01/2000").content.decode()
    today = doc.received_date.strftime("%d/%m/%Y")
    assert doc.number in client.get(f"/van-ban/den/?start={today}&end={today}").content.decode()
    assert client.get("/van-ban/den/?start=31/02/2026").status_code == 400
    assert client.get("/van-ban/den/?register=abc").status_code == 400


def test_ingest_registers_an_incoming_document_with_the_next_number(deployment):
    by_clerk = ingest_file(FIXTURE, _user("vanthu")).document
    assert by_clerk.handling == Document.Handling.REGISTERED
    assert by_clerk.incoming_number == 1 and by_clerk.register.is_default


def test_a_units_upload_waits_for_the_clerk_to_give_its_number(doc, login):
    assert doc.handling == Document.Handling.REGISTERED and doc.incoming_number is None
    clerk_copy = ingest_file(FIXTURE, _user("vanthu"))
    assert clerk_copy.status == "duplicate"  # the văn thư finds it registered, not lost
    client = login("vanthu")
    form = client.get(f"/van-ban/{doc.pk}/vao-so/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["register"] = doc.register_id
    data["unit"] = ""
    assert client.post(f"/van-ban/{doc.pk}/vao-so/", data).status_code == 302
    doc.refresh_from_db()
    assert doc.incoming_number == 1
    assert "số đến (trống) → 1" in AuditEntry.objects.filter(action="document-intake").get().summary


def test_intake_moves_the_document_to_another_register_with_its_next_number(deployment, login):
    doc = ingest_file(FIXTURE, _user("vanthu")).document  # numbered as it came in
    secret = Register.objects.create(name="Sổ văn bản mật đến", direction="den", secret=True)
    client = login("vanthu")
    assert client.get(f"/van-ban/{doc.pk}/vao-so/").status_code == 200
    answer = client.post(
        f"/van-ban/{doc.pk}/vao-so/",
        {
            "register": secret.pk,
            "urgency": "hoa-toc",
            "secrecy": "mat",
            "handling_deadline": "25/04/2026",
            "page_count": "2",
            "received_via": "giay",
            "unit": Unit.objects.get(name=NOI_VU).pk,
            "transferred_date": "07/04/2026",
            "received_by": "Vũ Đức Long",
            "register_note": "Bản chính",
        },
    )
    assert answer.status_code == 302
    doc.refresh_from_db()
    assert (doc.register, doc.incoming_number) == (secret, 1)
    assert (doc.urgency, doc.secrecy, doc.handling_deadline) == (
        "hoa-toc",
        "mat",
        date(2026, 4, 25),
    )
    entry = AuditEntry.objects.get(action="document-intake", object_id=str(doc.pk))
    assert "số đến 1 → 1" in entry.summary and "Sổ văn bản mật đến" in entry.summary
    bad = client.post(f"/van-ban/{doc.pk}/vao-so/", {"register": secret.pk, "page_count": "x"})
    assert bad.status_code == 400
    assert login("noivu").post(f"/van-ban/{doc.pk}/vao-so/", {}).status_code == 403


def test_submitting_puts_the_document_in_the_queue_most_urgent_first(
    deployment, login, sample_path
):
    first = ingest_file(FIXTURE).document
    urgent = ingest_file(sample_path("thong-bao-ket-luan.txt")).document
    Document.objects.filter(pk=urgent.pk).update(urgency=Document.Urgency.EXPRESS)
    clerk = login("vanthu")
    assert clerk.post(f"/van-ban/{first.pk}/trinh/", {}).status_code == 302
    assert clerk.post(f"/van-ban/{urgent.pk}/trinh/", {}).status_code == 302
    leader = login("lanhdao")
    queue = list(leader.get("/van-ban/cho-chi-dao/").context["page"])
    assert [d.pk for d in queue] == [urgent.pk, first.pk]
    assert login("truongnv").get("/van-ban/cho-chi-dao/").context["page"].paginator.count == 0
    assert login("noivu").get("/van-ban/cho-chi-dao/").status_code == 403
    # submitted to one leader: not in the queue of the others
    leader_user = _user("lanhdao")
    clerk = login("vanthu")
    clerk.post(f"/van-ban/{first.pk}/trinh/", {"submitted_to": _user("quantri").pk})
    assert first.pk not in [d.pk for d in flow.direction_queue(leader_user)]
    assert Notification.objects.filter(user__username="quantri", kind="to-direct").exists()


# --- trình và phân công ------------------------------------------------------------------------


def test_direction_confirms_edits_merges_splits_and_discards_in_one_go(doc, login):
    noi_vu, an_lac = Unit.objects.get(name=NOI_VU), Unit.objects.get(name=AN_LAC)
    quy_che, chi_so = _proposal(doc, QUY_CHE), _proposal(doc, "Chỉ số CCHC")
    so_hoa = _proposal(doc, SO_HOA)
    machine = dict(so_hoa.machine)
    noivu = _user("noivu")
    client = login("lanhdao")

    def row(task, verdict, **extra):
        base = {"verdict": verdict, "action": task.action, "unit": task.unit_id or ""}
        return {f"p{task.pk}-{k}": v for k, v in {**base, **extra}.items()}

    answer = _direct(
        client,
        doc,
        {
            "text": "Phòng Nội vụ chủ trì; phường An Lạc hoàn thành đúng hạn.",
            "outcome": "direct",
            **row(quy_che, "confirm", assignee=noivu.pk, deadline="05/05/2026"),
            **row(chi_so, "merge", merge_into=quy_che.pk),
            **row(
                so_hoa,
                "confirm",
                action="Số hóa hồ sơ thủ tục hành chính năm 2025",
                unit=an_lac.pk,
                support="Phòng Văn hóa, Khoa học và Thông tin; Phòng Nội vụ",
                split="Niêm yết công khai thủ tục hành chính tại bộ phận một cửa",
            ),
            "n0-action": "Báo cáo kết quả về Văn phòng",
            "n0-unit": noi_vu.pk,
            "n0-deadline": "20/05/2026",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    doc.refresh_from_db()
    assert doc.handling == Document.Handling.DIRECTED
    instruction = Instruction.objects.get(document=doc)
    assert instruction.outcome == Instruction.Outcome.DIRECTED and "An Lạc" in instruction.text

    quy_che.refresh_from_db()
    assert quy_che.state == Task.State.CONFIRMED and quy_che.confirmed_by.username == "lanhdao"
    assert quy_che.assignee == noivu and quy_che.deadline == date(2026, 5, 5)
    assert "Chỉ số CCHC" in quy_che.action  # merged
    chi_so.refresh_from_db()
    assert chi_so.state == Task.State.DISCARDED  # never deleted
    so_hoa.refresh_from_db()
    assert so_hoa.state == Task.State.CONFIRMED and so_hoa.unit == an_lac
    assert so_hoa.support == ["Phòng Văn hóa, Khoa học và Thông tin", "Phòng Nội vụ"]
    assert so_hoa.machine == machine  # the machine's reading stays beside the edits
    assert TaskChange.objects.filter(task=so_hoa, field="action").exists()
    twin = Task.work.get(document=doc, action__startswith="Niêm yết")
    assert twin.unit == an_lac and twin.source_start == so_hoa.source_start
    added = Task.work.get(document=doc, action="Báo cáo kết quả về Văn phòng")
    assert added.unit == noi_vu and added.created_by.username == "lanhdao"

    # the person named is told; without one, the heads of the lead unit
    assert Notification.objects.filter(user=noivu, kind="assigned", url=f"/cong-viec/{quy_che.pk}/")
    assert Notification.objects.filter(user__username="truongnv", url=f"/cong-viec/{added.pk}/")
    assert AuditEntry.objects.filter(action="document-direct", object_id=str(doc.pk)).exists()
    page = client.get(f"/van-ban/{doc.pk}/").content.decode()
    assert "Phòng Nội vụ chủ trì; phường An Lạc" in page and "phieu-giai-quyet.docx" in page


def test_for_information_discards_every_proposal(doc, login):
    answer = _direct(login("lanhdao"), doc, {"text": "Để biết.", "outcome": "inform"}, rest="keep")
    assert answer.status_code == 302
    doc.refresh_from_db()
    assert doc.handling == Document.Handling.INFORMATION
    assert not _proposals(doc) and not Task.work.filter(document=doc).exists()
    assert Task.objects.filter(document=doc, state=Task.State.DISCARDED).exists()


def test_a_document_returned_to_the_clerk_keeps_its_proposals_and_says_why(doc, login):
    proposed = {t.pk for t in _proposals(doc)}
    leader = login("lanhdao")
    without_reason = _direct(leader, doc, {"outcome": "return"}, rest="keep")
    assert without_reason.status_code == 400
    assert not doc.instructions.exists()
    returned = _direct(
        leader,
        doc,
        {"text": "Văn bản gửi nhầm đơn vị, đề nghị kiểm tra lại.", "outcome": "return"},
        rest="keep",
    )
    assert returned.status_code == 302
    doc.refresh_from_db()
    assert (doc.handling, doc.submitted_to) == (Document.Handling.REGISTERED, None)
    assert {t.pk for t in _proposals(doc)} == proposed  # nothing decided
    [instruction] = doc.instructions.all()
    assert instruction.outcome == Instruction.Outcome.RETURNED
    note = Notification.objects.get(user__username="noivu", kind="returned")
    assert "gửi nhầm đơn vị" in note.text


def test_a_document_sent_on_to_a_unit_is_assigned_by_its_head_within_the_unit(doc, login):
    noi_vu, an_lac = Unit.objects.get(name=NOI_VU), Unit.objects.get(name=AN_LAC)
    head = login("truongnv")
    assert head.get(f"/van-ban/{doc.pk}/chi-dao/").status_code == 403
    forwarded = _direct(
        login("lanhdao"),
        doc,
        {"text": "Chuyển Phòng Nội vụ.", "outcome": "forward", "forward_unit": noi_vu.pk},
        rest="keep",
    )
    assert forwarded.status_code == 302
    doc.refresh_from_db()
    assert (doc.handling, doc.unit) == (Document.Handling.FORWARDED, noi_vu)
    assert Notification.objects.filter(user__username="truongnv", kind="forwarded").exists()
    head = login("truongnv")
    assert doc.pk in [d.pk for d in head.get("/van-ban/cho-chi-dao/").context["page"]]
    quy_che, so_hoa = _proposal(doc, QUY_CHE), _proposal(doc, SO_HOA)
    # another unit's work: refused, and nothing is written
    refused = _direct(
        head,
        doc,
        {"outcome": "direct", f"p{so_hoa.pk}-verdict": "confirm", f"p{so_hoa.pk}-action": "x"},
    )
    assert refused.status_code == 403
    assert head.post(f"/api/proposals/{so_hoa.pk}/", {"unit": an_lac.pk}).status_code in (403, 405)
    so_hoa.refresh_from_db()
    assert so_hoa.state == Task.State.PROPOSED and so_hoa.unit == an_lac
    # the head decides the proposals for the unit and those naming no unit; the other
    # unit's proposal is left as it is
    mine = {}
    for t in _proposals(doc):
        if t.pk not in (quy_che.pk, so_hoa.pk):
            mine.update({f"p{t.pk}-verdict": "discard", f"p{t.pk}-action": t.action})
    done = _direct(
        head,
        doc,
        {
            **mine,
            "outcome": "direct",
            f"p{quy_che.pk}-verdict": "confirm",
            f"p{quy_che.pk}-action": quy_che.action,
            f"p{quy_che.pk}-unit": noi_vu.pk,
            f"p{quy_che.pk}-assignee": _user("noivu").pk,
        },
        rest="keep",
    )
    assert done.status_code == 302
    quy_che.refresh_from_db()
    assert quy_che.state == Task.State.CONFIRMED and quy_che.assignee.username == "noivu"
    # the other unit's proposal, left undecided, is discarded with the reason, not lost
    so_hoa.refresh_from_db()
    assert so_hoa.state == Task.State.DISCARDED
    change = so_hoa.changes.get(field="state")
    assert change.user.username == "truongnv" and "chuyển Sở Nội vụ xử lý" in change.reason
    # a head may not send a document on
    again = _direct(head, doc, {"outcome": "forward", "forward_unit": an_lac.pk}, rest="keep")
    assert again.status_code == 403


def test_a_refused_direction_writes_nothing(doc, login):
    no_unit = _proposal(doc, QUY_CHE)
    other = _proposal(doc, SO_HOA)
    Task.objects.filter(pk=no_unit.pk).update(unit=None)
    before = (Instruction.objects.count(), AuditEntry.objects.count())
    answer = _direct(
        login("lanhdao"),
        doc,
        {
            "outcome": "direct",
            f"p{other.pk}-verdict": "confirm",
            f"p{other.pk}-action": other.action,
            f"p{other.pk}-unit": other.unit_id,
            f"p{no_unit.pk}-verdict": "confirm",
            f"p{no_unit.pk}-action": no_unit.action,
        },
    )
    assert answer.status_code == 400 and "Chọn đơn vị chủ trì" in answer.content.decode()
    assert (Instruction.objects.count(), AuditEntry.objects.count()) == before
    other.refresh_from_db()
    assert other.state == Task.State.PROPOSED


def test_confirming_a_collective_proposal_confirms_each_units_task(deployment, login, sample_path):
    doc = ingest_file(sample_path("cong-van-tang-cuong-cchc.txt")).document
    collective = next(t for t in _proposals(doc) if t.collective and t.children.exists())
    answer = _direct(
        login("lanhdao"),
        doc,
        {
            "outcome": "direct",
            f"p{collective.pk}-verdict": "confirm",
            f"p{collective.pk}-action": collective.action,
        },
    )
    assert answer.status_code == 302
    states = set(collective.children.values_list("state", flat=True))
    assert states == {Task.State.CONFIRMED}
    heads_told = Notification.objects.filter(url=f"/cong-viec/{collective.pk}/")
    assert all(n.user.profile.role == "head" for n in heads_told)


# --- phiếu giải quyết -----------------------------------------------------------------------


def test_handling_slip_carries_the_direction_units_and_deadlines(doc, login):
    client = login("lanhdao")
    proposal = _proposal(doc, QUY_CHE)
    _direct(
        client,
        doc,
        {
            "text": "Giao Phòng Nội vụ chủ trì thực hiện.",
            "outcome": "direct",
            f"p{proposal.pk}-verdict": "confirm",
            f"p{proposal.pk}-action": proposal.action,
            f"p{proposal.pk}-unit": proposal.unit_id,
            f"p{proposal.pk}-support": "UBND phường An Lạc",
            f"p{proposal.pk}-assignee": _user("noivu").pk,
            f"p{proposal.pk}-deadline": "30/04/2026",
        },
    )
    answer = login("xem").get(f"/van-ban/{doc.pk}/phieu-giai-quyet.docx")
    assert answer.status_code == 200 and "attachment" in answer["Content-Disposition"]
    slip = docx.Document(io.BytesIO(answer.content))
    text = "\n".join(p.text for p in slip.paragraphs)
    cells = [c.text for t in slip.tables for row in t.rows for c in row.cells]
    assert "UBND TỈNH BÌNH LONG" in text and "PHIẾU GIẢI QUYẾT VĂN BẢN ĐẾN" in text
    assert f"Số đến: {doc.incoming_number or '……'}" in text and doc.subject[:30] in text
    assert "Giao Phòng Nội vụ chủ trì thực hiện." in text and "Nguyễn Văn Bình" in text
    assert "Ý KIẾN CỦA ĐƠN VỊ" in text
    assert NOI_VU in cells and AN_LAC in cells and "30/04/2026" in cells
    assert "Trần Thị Mai (Sở Nội vụ)" in cells


# --- what a new user ran into (regressions) ---------------------------------------------------

UNDECIDED = "đề xuất chưa quyết định: giao, gộp hoặc loại từng đề xuất (hoặc chọn Để biết)"
CHI_SO = "Chỉ số CCHC"


def _shown_state(page: str) -> str:
    """The state the direction page's form carries (the hidden input the browser posts)."""
    return re.search(r'name="state" value="([^"]+)"', page).group(1)


def _nothing_written(doc, proposed: set[int], instructions: int = 0) -> None:
    assert doc.instructions.count() == instructions
    assert {t.pk for t in _proposals(doc)} == proposed
    assert not Task.work.filter(document=doc).exists() or instructions


def test_phan_cong_with_a_proposal_left_undecided_is_refused_and_keeps_the_input(doc, login):
    proposed = {t.pk for t in _proposals(doc)}
    quy_che = _proposal(doc, QUY_CHE)
    client = login("lanhdao")
    page = client.get(f"/van-ban/{doc.pk}/chi-dao/").content.decode()
    assert page.count('<option value="keep" selected>') == len(proposed)  # the explicit choice
    answer = _direct(
        client,
        doc,
        {
            "text": "Giao các đơn vị thực hiện đúng hạn.",
            "outcome": "direct",
            f"p{quy_che.pk}-verdict": "keep",
            f"p{quy_che.pk}-action": "Rà soát quy chế làm việc (sửa)",
            f"p{quy_che.pk}-unit": quy_che.unit_id,
        },
        rest="keep",
    )
    assert answer.status_code == 400
    shown = answer.content.decode()
    assert f"Còn {len(proposed)} {UNDECIDED}" in shown
    assert "Giao các đơn vị thực hiện đúng hạn." in shown  # the leader's input is kept
    assert "Rà soát quy chế làm việc (sửa)" in shown
    assert "Đã ghi ý kiến chỉ đạo" not in shown
    doc.refresh_from_db()
    assert doc.handling == Document.Handling.REGISTERED
    _nothing_written(doc, proposed)
    quy_che.refresh_from_db()
    assert quy_che.action != "Rà soát quy chế làm việc (sửa)" and quy_che.version == 1

    # one decided, the rest left at "để sau": refused, the count says how many are left
    one = _direct(
        client,
        doc,
        {
            "outcome": "direct",
            f"p{quy_che.pk}-verdict": "confirm",
            f"p{quy_che.pk}-action": quy_che.action,
            f"p{quy_che.pk}-unit": quy_che.unit_id,
        },
        rest="keep",
    )
    assert one.status_code == 400
    assert f"Còn {len(proposed) - 1} {UNDECIDED}" in one.content.decode()
    _nothing_written(doc, proposed)

    # every proposal discarded: no task at all is no "phân công" either
    none = _direct(client, doc, {"text": "Phân công.", "outcome": "direct"}, rest="discard")
    assert none.status_code == 400 and "Phân công chưa giao việc nào" in none.content.decode()
    _nothing_written(doc, proposed)
    assert not TaskChange.objects.filter(task__document=doc).exists()


def test_giao_tat_ca_gives_the_proposals_left_at_de_sau(doc, login):
    so_hoa = _proposal(doc, SO_HOA)
    no_lead = [t for t in _proposals(doc) if t.unit_id is None and not t.collective]
    data = {"text": "Các đơn vị thực hiện.", "outcome": "direct", "confirm_rest": "on"}
    data.update(
        {f"p{t.pk}-verdict": "discard" for t in no_lead}
        | {f"p{t.pk}-action": t.action for t in no_lead}
        | {f"p{so_hoa.pk}-verdict": "discard", f"p{so_hoa.pk}-action": so_hoa.action}
    )
    answer = _direct(login("lanhdao"), doc, data, rest="keep")
    assert answer.status_code == 302, answer.content.decode()[:3000]
    assert not _proposals(doc)
    so_hoa.refresh_from_db()
    assert so_hoa.state == Task.State.DISCARDED
    assert Task.work.filter(document=doc, action__contains=QUY_CHE).exists()


def test_a_stale_direction_form_is_refused_with_who_directed_and_writes_nothing(doc, login):
    client = login("lanhdao")
    page = client.get(f"/van-ban/{doc.pk}/chi-dao/").content.decode()
    shown = _shown_state(page)
    assert shown == flow.direction_state(doc)
    quy_che, chi_so = _proposal(doc, QUY_CHE), _proposal(doc, CHI_SO)
    form = _form(
        doc,
        {
            "text": "Giao Phòng Nội vụ.",
            "outcome": "direct",
            f"p{quy_che.pk}-verdict": "confirm",
            f"p{quy_che.pk}-action": quy_che.action,
            f"p{quy_che.pk}-unit": quy_che.unit_id,
            f"p{quy_che.pk}-deadline": "30/04/2026",
            f"p{chi_so.pk}-verdict": "confirm",
            f"p{chi_so.pk}-action": chi_so.action,
            f"p{chi_so.pk}-unit": chi_so.unit_id,
            "state": shown,
        },
    )
    done = client.post(f"/van-ban/{doc.pk}/chi-dao/", form, follow=True)
    assert done.redirect_chain[0][1] == 302 and "Đã ghi ý kiến chỉ đạo" in done.content.decode()
    state = (doc.instructions.count(), AuditEntry.objects.count(), Notification.objects.count())
    changes = TaskChange.objects.count()

    # the back button: the same form again, with a change to a task no longer proposed
    again = dict(form, **{f"p{quy_che.pk}-deadline": "01/06/2026"})
    answer = client.post(f"/van-ban/{doc.pk}/chi-dao/", again)
    assert answer.status_code == 409
    text = answer.content.decode()
    assert "Văn bản đã được cho ý kiến lúc" in text and "bởi Nguyễn Văn Bình" in text
    assert "hãy xem lại" in text and "Đã ghi ý kiến chỉ đạo" not in text
    assert _shown_state(text) == flow.direction_state(doc)  # shown again as it is now
    counts = (doc.instructions.count(), AuditEntry.objects.count(), Notification.objects.count())
    assert counts == state and TaskChange.objects.count() == changes
    quy_che.refresh_from_db()
    assert quy_che.deadline == date(2026, 4, 30)

    # a fresh state, but a decision on a task that is no longer a proposal: an error too
    fresh = dict(again, state=flow.direction_state(doc))
    answer = client.post(f"/van-ban/{doc.pk}/chi-dao/", fresh)
    assert answer.status_code == 409 and "không còn chờ quyết định" in answer.content.decode()
    assert doc.instructions.count() == 1 and TaskChange.objects.count() == changes

    # a form without its state is no direction either
    missing = {k: v for k, v in form.items() if k != "state"}
    assert client.post(f"/van-ban/{doc.pk}/chi-dao/", missing).status_code == 400
    assert doc.instructions.count() == 1


def test_a_proposal_edited_meanwhile_makes_the_open_form_stale(doc, login):
    client = login("lanhdao")
    shown = _shown_state(client.get(f"/van-ban/{doc.pk}/chi-dao/").content.decode())
    quy_che = _proposal(doc, QUY_CHE)
    edited = client.patch(
        f"/api/proposals/{quy_che.pk}/", {"deadline": "2026-05-30"}, content_type="application/json"
    )
    assert edited.status_code == 200
    answer = client.post(
        f"/van-ban/{doc.pk}/chi-dao/",
        _form(doc, {"text": "Để biết.", "outcome": "inform", "state": shown}, rest="keep"),
    )
    assert answer.status_code == 409 and "đã thay đổi" in answer.content.decode()
    assert not doc.instructions.exists() and _proposals(doc)


def test_submitting_twice_or_forwarding_twice_is_refused_and_tells_nobody_twice(doc, login):
    clerk = login("vanthu")
    leader = _user("lanhdao")
    assert clerk.post(f"/van-ban/{doc.pk}/trinh/", {"submitted_to": leader.pk}).status_code == 302
    twice = clerk.post(f"/van-ban/{doc.pk}/trinh/", {"submitted_to": leader.pk})
    assert twice.status_code == 409
    assert "đã được trình Nguyễn Văn Bình" in twice.content.decode()
    assert Notification.objects.filter(user=leader, kind="to-direct").count() == 1
    assert AuditEntry.objects.filter(action="document-submit").count() == 1

    noi_vu = Unit.objects.get(name=NOI_VU)
    client = login("lanhdao")
    shown = _shown_state(client.get(f"/van-ban/{doc.pk}/chi-dao/").content.decode())
    form = _form(
        doc,
        {"text": "Chuyển Phòng Nội vụ.", "outcome": "forward", "forward_unit": noi_vu.pk},
        rest="keep",
    )
    form["state"] = shown
    assert client.post(f"/van-ban/{doc.pk}/chi-dao/", form).status_code == 302
    second = client.post(f"/van-ban/{doc.pk}/chi-dao/", form)
    assert second.status_code == 409 and "Văn bản đã được cho ý kiến lúc" in second.content.decode()
    assert doc.instructions.count() == 1
    assert Notification.objects.filter(kind="forwarded").count() == 1
    # the service itself refuses sending it on to the same unit again
    with pytest.raises(flow.StaleState):
        flow.direct(doc, leader, "", "forward", forward_unit=noi_vu)
    # a document with a direction is not submitted again
    again = login("vanthu").post(f"/van-ban/{doc.pk}/trinh/", {})
    assert again.status_code == 409 and "không trình lại" in again.content.decode()
    doc.refresh_from_db()
    assert doc.handling == Document.Handling.FORWARDED


def test_the_assignee_is_a_chuyen_vien_or_head_of_the_lead_unit(doc, login):
    client = login("lanhdao")
    page = client.get(f"/van-ban/{doc.pk}/chi-dao/")
    quy_che = _proposal(doc, QUY_CHE)
    row = next(f for t, f, _ in page.context["rows"] if t.pk == quy_che.pk)
    labels = [label for value, label in row.fields["assignee"].choices if value]
    assert "Trần Thị Mai (Sở Nội vụ)" in labels
    assert "Phạm Thu Hằng (phường An Lạc) (UBND phường An Lạc)" in labels  # "Tên (đơn vị)"
    for outsider in ("Đỗ Minh Khoa", "Quản trị", "Nguyễn Văn Bình", "Hoàng Thị Lan"):
        assert not any(outsider in label for label in labels), outsider
    proposed = {t.pk for t in _proposals(doc)}
    for who in ("xem", "anlac", "quantri"):
        answer = _direct(
            client,
            doc,
            {
                "outcome": "direct",
                f"p{quy_che.pk}-verdict": "confirm",
                f"p{quy_che.pk}-action": quy_che.action,
                f"p{quy_che.pk}-unit": quy_che.unit_id,
                f"p{quy_che.pk}-assignee": _user(who).pk,
            },
        )
        assert answer.status_code == 400, who
        _nothing_written(doc, proposed)
    # the service says why, for pages and the API alike
    api = client.post(
        f"/api/proposals/{quy_che.pk}/confirm/",
        {"assignee": _user("xem").pk},
        content_type="application/json",
    )
    assert api.status_code == 400
    anlac = client.post(
        f"/api/proposals/{quy_che.pk}/confirm/",
        {"assignee": _user("anlac").pk},
        content_type="application/json",
    )
    assert anlac.status_code == 400
    assert "không phải chuyên viên hoặc trưởng đơn vị của Sở Nội vụ" in anlac.json()["detail"]
    quy_che.refresh_from_db()
    assert quy_che.state == Task.State.PROPOSED and quy_che.assignee is None
    with pytest.raises(flow.FlowError):
        flow.add_task(doc, _user("lanhdao"), flow.Edits(action="x", assignee=_user("xem")))
    # the head of the lead unit is fine
    ok = client.post(
        f"/api/proposals/{quy_che.pk}/confirm/",
        {"assignee": _user("truongnv").pk},
        content_type="application/json",
    )
    assert ok.status_code == 200


def test_for_information_with_a_proposal_set_to_giao_is_refused(doc, login):
    proposed = {t.pk for t in _proposals(doc)}
    quy_che = _proposal(doc, QUY_CHE)
    number = flow.proposal_numbers(doc)[quy_che.pk]
    answer = _direct(
        login("lanhdao"),
        doc,
        {
            "text": "Để biết.",
            "outcome": "inform",
            f"p{quy_che.pk}-verdict": "confirm",
            f"p{quy_che.pk}-action": quy_che.action,
            f"p{quy_che.pk}-unit": quy_che.unit_id,
        },
        rest="keep",
    )
    assert answer.status_code == 400
    assert f"đề xuất {number} đang chọn Giao" in answer.content.decode()
    doc.refresh_from_db()
    assert doc.handling == Document.Handling.REGISTERED
    _nothing_written(doc, proposed)


def test_merging_keeps_the_earlier_deadline_and_both_actions(doc, login):
    quy_che, chi_so = _proposal(doc, QUY_CHE), _proposal(doc, CHI_SO)
    assert quy_che.deadline == date(2026, 4, 30) and chi_so.deadline == date(2026, 5, 15)
    answer = _direct(
        login("lanhdao"),
        doc,
        {
            "outcome": "direct",
            f"p{quy_che.pk}-verdict": "merge",
            f"p{quy_che.pk}-merge_into": chi_so.pk,
            f"p{quy_che.pk}-action": quy_che.action,
            f"p{quy_che.pk}-unit": quy_che.unit_id,
            f"p{quy_che.pk}-deadline": "30/04/2026",
            f"p{chi_so.pk}-verdict": "confirm",
            f"p{chi_so.pk}-action": chi_so.action,
            f"p{chi_so.pk}-unit": chi_so.unit_id,
            f"p{chi_so.pk}-deadline": "15/05/2026",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:3000]
    chi_so.refresh_from_db()
    assert chi_so.state == Task.State.CONFIRMED and chi_so.deadline == date(2026, 4, 30)
    assert QUY_CHE in chi_so.action and CHI_SO in chi_so.action
    change = TaskChange.objects.get(task=chi_so, field="deadline")
    assert (change.old, change.new, change.reason) == ("15/05/2026", "30/04/2026", "Gộp đề xuất")


def test_a_direction_fills_the_registers_unit_and_transfer_date(doc, login, tmp_path):
    client = login("lanhdao")
    quy_che, chi_so = _proposal(doc, QUY_CHE), _proposal(doc, CHI_SO)

    def confirm(*tasks):
        return {
            f"p{t.pk}-{k}": v
            for t in tasks
            for k, v in {"verdict": "confirm", "action": t.action, "unit": t.unit_id}.items()
        }

    assert doc.unit is None and doc.transferred_date is None
    answer = _direct(client, doc, {"outcome": "direct", **confirm(quy_che, chi_so)})
    assert answer.status_code == 302
    doc.refresh_from_db()
    assert doc.transferred_date == timezone.localdate()
    assert doc.unit.name == NOI_VU  # every task's lead

    # two lead units: no đơn vị nhận, the register shows both leads
    path = tmp_path / "cong-van-519.txt"
    path.write_text(FIXTURE.read_text().replace("518/UBND-VP", "519/UBND-VP"))
    two = ingest_file(path, _user("vanthu")).document
    leads = confirm(_proposal(two, QUY_CHE), _proposal(two, SO_HOA))
    assert _direct(client, two, {"outcome": "direct", **leads}).status_code == 302
    two.refresh_from_db()
    assert two.unit is None and two.transferred_date == timezone.localdate()
    with CaptureQueriesContext(connection) as two_directed:
        page = client.get("/van-ban/den/")
    row = next(r for r in page.context["page"] if r.pk == two.pk)
    assert row.lead_units == [NOI_VU, AN_LAC]
    html = page.content.decode()
    assert f"{NOI_VU}; {AN_LAC}" in html
    assert timezone.localdate().strftime("%d/%m/%Y") in html
    # one query for the page's lead units, not one per row
    Document.objects.filter(pk=doc.pk).update(unit=None)
    with CaptureQueriesContext(connection) as both_without_unit:
        client.get("/van-ban/den/")
    assert len(both_without_unit) == len(two_directed)


def test_intake_refuses_impossible_deadlines_and_page_counts_in_vietnamese(doc, login):
    client = login("vanthu")
    base = {"register": doc.register_id, "urgency": "thuong", "secrecy": "thuong"}
    before = (doc.handling_deadline, doc.page_count)
    cases = [
        ({"handling_deadline": "01/01/1900"}, "trước ngày của văn bản (06/04/2026)"),
        ({"handling_deadline": "05/04/2026"}, "trước ngày của văn bản"),
        ({"handling_deadline": "01/01/3000"}, "phải từ 1900 đến 2999"),
        ({"page_count": "99999999999999"}, "Số trang từ 1 đến 10000."),
        ({"page_count": "0"}, "Số trang từ 1 đến 10000."),
        ({"page_count": "ba"}, "Nhập số nguyên."),
    ]
    for data, message in cases:
        answer = client.post(f"/van-ban/{doc.pk}/vao-so/", {**base, **data})
        assert answer.status_code == 400, data
        text = answer.content.decode()
        assert message in text, (data, message)
        assert "tổng thể" not in text and "Đảm bảo" not in text
    doc.refresh_from_db()
    assert (doc.handling_deadline, doc.page_count) == before
    fine = {**base, "handling_deadline": "06/04/2026", "page_count": "10000"}
    assert client.post(f"/van-ban/{doc.pk}/vao-so/", fine).status_code == 302
    doc.refresh_from_db()
    assert (doc.handling_deadline, doc.page_count) == (date(2026, 4, 6), 10000)


def test_proposals_are_numbered_in_the_order_of_the_text_and_the_wait_is_said(doc, login):
    client = login("lanhdao")
    ordered = sorted(_proposals(doc), key=lambda t: (t.source_start is None, t.source_start, t.pk))
    page = client.get(f"/van-ban/{doc.pk}/").content.decode()
    assert "Đề xuất #" not in page
    positions = [page.index(f"Đề xuất {n}.") for n in range(1, len(ordered) + 1)]
    assert positions == sorted(positions)
    assert page.index(QUY_CHE) < page.index("thủ tục hành chính tại bộ phận một cửa")
    waiting = f"Chưa giao việc: {len(ordered)} đề xuất đang chờ ý kiến chỉ đạo."
    assert waiting in page and "Văn bản không giao việc cụ thể." not in page
    direction = client.get(f"/van-ban/{doc.pk}/chi-dao/").content.decode()
    assert "Đề xuất #" not in direction and f">#{ordered[0].pk} " not in direction
    for n, task in enumerate(ordered, 1):
        legend = re.search(rf'id="proposal-{task.pk}">\s*<legend>([^<]*)', direction).group(1)
        assert legend.startswith(f"Đề xuất {n}"), legend
    assert f"Đề xuất 1: {ordered[0].action[:30]}" in direction  # the merge list
