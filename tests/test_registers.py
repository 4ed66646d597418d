"""The văn thư's registers of Nghị định 30/2020 (Phụ lục IV) this app keeps: sổ đăng ký văn bản
đi and sổ theo dõi giải quyết văn bản đến, on the page, as .xlsx and as a printable .docx."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import docx
import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cchc.web.accounts.models import Unit
from cchc.web.documents.ingest import ingest_file
from cchc.web.documents.models import Document, Register
from cchc.web.outgoing import registers, services
from cchc.web.outgoing.models import DraftReview
from cchc.web.work.models import Task

FIXTURES = Path(__file__).parent / "fixtures"


def user(name: str):
    return get_user_model().objects.get(username=name)


def issued(
    subject: str,
    day: date,
    answers=(),
    recipients: str = "Sở Nội vụ tỉnh Bình Long",
    type: str = "Công văn",
):
    """A công văn of Phòng Nội vụ walked to issued on `day` through the services (approved
    the day before: a document is issued between its approval and today)."""
    text = f"ỦY BAN NHÂN DÂN\nTHỊ XÃ AN PHÚ\n{subject}\nKính gửi: {recipients}.\nNội dung.\n"
    draft = services.create_draft(
        user("noivu"),
        subject=subject,
        type=type,
        unit=Unit.objects.get(name="Sở Nội vụ"),
        upload=SimpleUploadedFile("du-thao.txt", text.encode()),
        recipients=recipients,
        answers=list(answers),
    )
    services.submit(draft, user("noivu"))
    services.review(draft, user("lanhdao"), "duyet")
    approved = timezone.make_aware(datetime(day.year, day.month, day.day, 8) - timedelta(days=1))
    DraftReview.objects.filter(draft=draft).update(at=approved)
    services.give_number(draft, user("vanthu"))
    services.issue(draft, user("vanthu"), day, copies=2)
    return draft


@pytest.fixture
def incoming(deployment):
    return ingest_file(FIXTURES / "cong-van-so-noi-vu-de-nghi-bao-cao.txt").document


def xlsx_rows(content: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [tuple("" if v is None else v for v in row) for row in sheet.iter_rows(values_only=True)]


def docx_rows(content: bytes) -> tuple[list[list[str]], docx.document.Document]:
    document = docx.Document(io.BytesIO(content))
    table = document.tables[0]
    return [[c.text for c in row.cells] for row in table.rows], document


# --- sổ đăng ký văn bản đi ---------------------------------------------------------------


def test_the_outgoing_register_lists_the_period_asked_for(login, deployment):
    march = issued("V/v báo cáo tháng 3", date(2026, 3, 20))
    issued("V/v báo cáo tháng 5", date(2026, 5, 4))
    page = login("vanthu").get("/so/van-ban-di/?tu=01/03/2026&den=31/03/2026")
    text = page.content.decode()
    assert page.status_code == 200
    assert march.notation in text and "V/v báo cáo tháng 3" in text
    assert "V/v báo cáo tháng 5" not in text
    whole_year = login("vanthu").get("/so/van-ban-di/?tu=01/01/2026&den=31/12/2026")
    assert "V/v báo cáo tháng 5" in whole_year.content.decode()


def test_the_outgoing_register_is_filtered_by_register(login, deployment):
    draft = issued("V/v trong sổ thường", date(2026, 3, 20))
    secret = Register.objects.create(name="Sổ văn bản đi mật", direction="di", secret=True)
    client = login("vanthu")
    listed = client.get(f"/so/van-ban-di/?tu=01/01/2026&so={draft.register_id}").content
    assert "V/v trong sổ thường" in listed.decode()
    assert (
        f'Số cấp gần nhất trong kỳ: <a href="/van-ban/{draft.issued_document_id}/">1/UBND-SNV</a>'
        in listed.decode()
    )
    other = client.get(f"/so/van-ban-di/?tu=01/01/2026&so={secret.pk}").content.decode()
    assert "V/v trong sổ thường" not in other and "1/UBND-SNV" not in other


def test_the_outgoing_register_exports_as_xlsx_with_the_columns_of_phu_luc_iv(login, deployment):
    first = issued("V/v báo cáo thứ nhất", date(2026, 3, 20), recipients="Sở Nội vụ\nLưu: VT")
    second = issued("V/v báo cáo thứ hai", date(2026, 3, 21))
    answer = login("vanthu").get("/so/van-ban-di/?tu=01/03/2026&den=31/03/2026&dinh-dang=xlsx")
    assert answer.status_code == 200 and answer["Content-Disposition"].endswith('.xlsx"')
    rows = xlsx_rows(answer.content)
    assert rows[0][0] == "SỔ ĐĂNG KÝ VĂN BẢN ĐI"
    assert list(rows[2][: len(registers.OUTGOING_COLUMNS)]) == registers.OUTGOING_COLUMNS
    body = rows[3:]
    assert [r[:3] for r in body] == [
        (1, "UBND-SNV", "20/03/2026"),
        (2, "UBND-SNV", "21/03/2026"),
    ]
    assert (first.notation, second.notation) == ("1/UBND-SNV", "2/UBND-SNV")
    assert body[0][3] == "Công văn V/v báo cáo thứ nhất"
    assert body[0][4].startswith("Nguyễn Văn Bình")
    assert body[0][5] == "Sở Nội vụ\nLưu: VT"
    assert body[0][6].startswith("Sở Nội vụ") and body[0][7] == 2


def test_the_outgoing_register_prints_as_a_landscape_docx(login, deployment):
    draft = issued("V/v báo cáo in sổ", date(2026, 3, 20))
    answer = login("xem").get("/so/van-ban-di/?tu=01/03/2026&den=31/03/2026&dinh-dang=docx")
    assert answer.status_code == 200
    rows, document = docx_rows(answer.content)
    assert rows[0] == registers.OUTGOING_COLUMNS
    assert rows[1][:3] == ["1", "UBND-SNV", "20/03/2026"] and draft.notation == "1/UBND-SNV"
    assert len(rows) == 2
    section = document.sections[0]
    assert section.page_width > section.page_height


def test_an_outgoing_document_filed_directly_is_in_the_register(login, deployment, sample_path):
    doc = ingest_file(sample_path("quyet-dinh-kiem-tra-cchc.txt"), direction="di").document
    assert doc.date is not None
    day = doc.date.strftime("%d/%m/%Y")
    rows = xlsx_rows(
        login("vanthu").get(f"/so/van-ban-di/?tu={day}&den={day}&dinh-dang=xlsx").content
    )
    number, symbol = doc.number.split("/", 1)
    assert [r[:2] for r in rows[3:]] == [(int(number), symbol)]


# --- sổ theo dõi giải quyết văn bản đến ----------------------------------------------------


def _tasks(doc: Document) -> dict[str, Task]:
    nv = Unit.objects.get(name="Sở Nội vụ")
    vp = Unit.objects.get(name="Văn phòng UBND tỉnh")
    late = Task.objects.create(
        document=doc,
        unit=nv,
        action="Báo cáo rà soát",
        deadline=date(2026, 3, 10),
        state="confirmed",
        status="done",
        completed_at=timezone.make_aware(datetime(2026, 3, 13, 9)),
    )
    open_ = Task.objects.create(
        document=doc,
        unit=vp,
        action="Tổng hợp số liệu",
        deadline=date(2026, 3, 5),
        state="confirmed",
    )
    proposal = Task.objects.create(
        document=doc, unit=vp, action="Việc máy đề xuất", state="proposed"
    )
    return {"late": late, "open": open_, "proposal": proposal}


def test_the_tracking_register_shows_progress_lateness_and_the_answer(login, incoming):
    tasks = _tasks(incoming)
    answer = issued("V/v trả lời Sở Nội vụ", date(2026, 3, 12), answers=[incoming])
    client = login("lanhdao")
    received = incoming.received_date.strftime("%d/%m/%Y")
    page = client.get(f"/so/giai-quyet-van-ban-den/?tu={received}&den={received}").content.decode()
    assert "318/SNV-CCHC" in page and "Việc máy đề xuất" not in page  # proposals are no work
    assert "Trễ 3 ngày" in page and answer.notation in page
    content = client.get(
        f"/so/giai-quyet-van-ban-den/?tu={received}&den={received}&dinh-dang=xlsx"
    ).content
    rows = xlsx_rows(content)
    assert rows[0][0] == "SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN"
    assert list(rows[2][: len(registers.TRACKING_COLUMNS)]) == registers.TRACKING_COLUMNS
    body = {r[4]: r for r in rows[3:]}
    assert set(body) == {tasks["late"].action, tasks["open"].action}
    late = body["Báo cáo rà soát"]
    assert late[0] == incoming.incoming_number and late[3] == "Sở Nội vụ"
    assert late[5] == "10/03/2026" and late[6:8] == ("Hoàn thành", "Trễ 3 ngày")
    assert late[8] == answer.notation
    still_open = body["Tổng hợp số liệu"]
    assert still_open[6] == "Chưa làm" and still_open[7].startswith("Quá hạn")

    rows, _document = docx_rows(
        client.get(
            f"/so/giai-quyet-van-ban-den/?tu={received}&den={received}&dinh-dang=docx"
        ).content
    )
    assert rows[0] == registers.TRACKING_COLUMNS and len(rows) == 3


def test_the_tracking_register_leaves_out_other_periods(login, incoming):
    _tasks(incoming)
    page = login("lanhdao").get("/so/giai-quyet-van-ban-den/?tu=01/01/2000&den=31/12/2000")
    assert "318/SNV-CCHC" not in page.content.decode()


# --- bounded work and bad input -------------------------------------------------------------


def _incoming_with_work(count: int, start: int = 0) -> None:
    """`count` registered incoming documents, each with one confirmed task of Phòng Nội vụ."""
    nv = Unit.objects.get(name="Sở Nội vụ")
    register = Register.default("den")
    docs = [
        Document(
            sha256=f"{start + i:064x}",
            original=f"originals/{start + i}.txt",
            original_name=f"{start + i}.txt",
            content_type="text/plain",
            size=1,
            register=register,
            incoming_number=start + i + 1,
            received_date=date(2026, 4, 1),
            type="Công văn",
            number=f"{start + i + 1}/SNV-CCHC",
            subject=f"V/v số {start + i + 1}",
            text="",
        )
        for i in range(count)
    ]
    for doc in docs:
        doc.derive()
    Document.objects.bulk_create(docs)
    Task.objects.bulk_create(
        Task(document=doc, unit=nv, action=f"Việc của {doc.number}", state="confirmed")
        for doc in docs
    )


def test_a_register_page_reads_the_same_few_queries_however_many_rows(
    login, deployment, django_assert_max_num_queries
):
    client = login("lanhdao")
    _incoming_with_work(3)
    url = "/so/giai-quyet-van-ban-den/?tu=01/04/2026&den=30/04/2026"
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    _incoming_with_work(120, start=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert "Sau ›" in page and "50/SNV-CCHC" in page and "51/SNV-CCHC" not in page
    last = client.get(url + "&page=3").content.decode()
    assert "123/SNV-CCHC" in last and "Sau ›" not in last


@pytest.mark.parametrize(
    "query",
    ["tu=32/13/2026", "tu=01/05/2026&den=01/04/2026", "dinh-dang=pdf", "so=²", "so=999999"],
)
def test_a_bad_period_or_format_answers_400(login, deployment, query):
    assert login("vanthu").get(f"/so/van-ban-di/?{query}").status_code == 400
    assert login("vanthu").get(f"/so/giai-quyet-van-ban-den/?{query}").status_code == 400


def test_the_outgoing_register_writes_recipients_a_line_each_and_the_type_once(login, deployment):
    report = issued(
        "Báo cáo kết quả rà soát thủ tục hành chính",
        date(2026, 3, 20),
        recipients="- UBND thị xã;;\n- Lưu: VT, NV.",
        type="Báo cáo",
    )
    assert report.notation == "1/BC-UBND"
    query = "/so/van-ban-di/?tu=01/03/2026&den=31/03/2026"
    client = login("vanthu")
    row = xlsx_rows(client.get(query + "&dinh-dang=xlsx").content)[3]
    assert row[:2] == (1, "BC-UBND")
    assert row[3] == "Báo cáo kết quả rà soát thủ tục hành chính"  # not "Báo cáo Báo cáo …"
    assert row[5] == "UBND thị xã\nLưu: VT, NV"
    printed, _document = docx_rows(client.get(query + "&dinh-dang=docx").content)
    assert printed[1][:2] == ["1", "BC-UBND"] and printed[1][5] == "UBND thị xã\nLưu: VT, NV"
    page = client.get(query).content.decode()
    assert "UBND thị xã<br>Lưu: VT, NV" in page and ";;" not in page
    assert "Báo cáo Báo cáo" not in page


def test_the_outgoing_register_runs_by_number_within_the_period(login, deployment):
    first = issued("V/v số một, phát hành sau", date(2026, 3, 25))
    second = issued("V/v số hai, phát hành trước", date(2026, 3, 21))
    assert (first.number, second.number) == (1, 2)
    rows = xlsx_rows(
        login("vanthu").get("/so/van-ban-di/?tu=01/03/2026&den=31/03/2026&dinh-dang=xlsx").content
    )
    assert [r[0] for r in rows[3:]] == [1, 2]
    page = login("vanthu").get("/so/van-ban-di/?tu=01/03/2026&den=31/03/2026").content.decode()
    assert page.index("V/v số một") < page.index("V/v số hai")


# --- sổ đăng ký văn bản đến -----------------------------------------------------------------


def test_the_incoming_register_exports_its_period_in_number_order(login, deployment, tmp_path):
    from cchc.web.work import flow

    texts = {
        "a.txt": "UBND TỈNH BÌNH LONG\nSố: 11/UBND-VX\nV/v thứ nhất\nKính gửi: UBND thị xã.\n",
        "b.txt": "SỞ NỘI VỤ\nSố: 22/SNV-CCHC\nV/v thứ hai\nKính gửi: UBND thị xã.\n",
    }
    docs = []
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        docs.append(ingest_file(tmp_path / name, user("vanthu")).document)
    Document.objects.filter(pk=docs[1].pk).update(register_note="bản chụp")
    old = Document.objects.filter(pk=docs[0].pk)
    old.update(received_date=date(2025, 12, 30))  # another year: outside the period asked
    client = login("xem")
    answer = client.get("/van-ban/den/?start=01/01/2026&end=31/12/2026&dinh-dang=xlsx")
    assert answer.status_code == 200 and answer["Content-Disposition"].endswith('.xlsx"')
    rows = xlsx_rows(answer.content)
    assert rows[0][0] == "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"
    assert list(rows[2]) == flow.INCOMING_COLUMNS
    [row] = rows[3:]
    assert row[1] == docs[1].incoming_number and row[3] == "22/SNV-CCHC"
    assert row[9] == "bản chụp"
    printed = client.get("/van-ban/den/?start=01/01/2025&end=31/12/2026&dinh-dang=docx")
    table, document = docx_rows(printed.content)
    assert table[0] == flow.INCOMING_COLUMNS
    assert [r[3] for r in table[1:]] == ["11/UBND-VX", "22/SNV-CCHC"]  # ngày đến ascending
    assert document.sections[0].page_width > document.sections[0].page_height
    assert client.get("/van-ban/den/?dinh-dang=pdf").status_code == 400
    assert "dinh-dang=xlsx" in client.get("/van-ban/den/").content.decode()


def test_the_outgoing_register_pages_across_years_by_number_and_shows_the_last_number(
    login, deployment, monkeypatch
):
    """A period of two years, three lines a page: the first year's numbered documents, then
    the one it filed directly (no number of the register), then the next year's; the last
    number given is the latest year's highest."""
    from cchc.web.outgoing import views

    monkeypatch.setattr(views, "PER_PAGE", 3)
    last_year = timezone.localdate().year - 1
    early = [issued(f"V/v văn bản năm trước số {n}", date(last_year, 3, n)) for n in (1, 2, 3)]
    Document.objects.create(
        sha256="f" * 64,
        original="luu.txt",
        original_name="luu.txt",
        content_type="text/plain",
        size=1,
        text="",
        direction="di",
        register=early[0].register,
        date=date(last_year, 12, 30),
        subject="V/v văn bản lưu trực tiếp",
    )
    today = timezone.localdate()
    late = [issued(f"V/v văn bản năm nay số {n}", today) for n in (4, 5)]
    client = login("vanthu")
    period = f"/so/van-ban-di/?tu=01/01/{last_year}&den=31/12/{today.year}"

    def subjects(page: int) -> list[str]:
        text = client.get(f"{period}&page={page}").content.decode()
        return [s for s in re.findall(r"V/v văn bản [^<]*", text) if "Công văn" not in s]

    first, second = subjects(1), subjects(2)
    assert first == [f"V/v văn bản năm trước số {n}" for n in (1, 2, 3)]
    assert second == ["V/v văn bản lưu trực tiếp", *(f"V/v văn bản năm nay số {n}" for n in (4, 5))]
    page = client.get(f"{period}&page=2").content.decode()
    assert "Sau ›" not in page and "Sau ›" in client.get(period).content.decode()
    assert subjects(3) == []
    shown = f'Số cấp gần nhất trong kỳ: <a href="/van-ban/{late[-1].issued_document_id}/">'
    assert shown + f"{late[-1].notation}</a>" in page
    earlier = client.get(f"/so/van-ban-di/?tu=01/01/{last_year}&den=31/12/{last_year}")
    assert f">{early[-1].notation}</a>" in earlier.content.decode().split("Số cấp gần nhất")[1]
