"""Tasks of the deployment's units: matching, fan-out and roll-up, permissions, history, feeds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from cchc.web.accounts.models import AuditEntry, Unit
from cchc.web.documents.ingest import ingest_file
from cchc.web.work import assign
from cchc.web.work.models import Task


@pytest.fixture
def congvan(deployment, sample_path):
    """The sample công văn with its tasks confirmed as the leader would (they are proposals
    until then: tests/test_flow_incoming.py)."""
    doc = ingest_file(sample_path("cong-van-tang-cuong-cchc.txt")).document
    assert doc.tasks.exclude(state=Task.State.PROPOSED).count() == 0
    doc.tasks.update(state=Task.State.CONFIRMED)
    return doc


def user(name: str):
    return get_user_model().objects.get(username=name)


@pytest.mark.parametrize(
    ("printed", "unit"),
    [
        # names of the former thị xã's bodies (ended 30/06/2025) stand for their successors
        ("Phòng Nội vụ", "Sở Nội vụ"),
        ("P. Nội vụ", "Sở Nội vụ"),
        ("Phòng Nội vụ là cơ quan thường trực", "Sở Nội vụ"),
        ("Trưởng phòng Nội vụ", "Sở Nội vụ"),
        ("Giám đốc Sở Nội vụ", "Sở Nội vụ"),
        ("Chủ tịch UBND phường An Lạc", "UBND phường An Lạc"),
        ("Văn phòng UBND thị xã", "Văn phòng UBND tỉnh"),
        ("Bộ Tài chính", None),
    ],
)
def test_a_printed_lead_matches_the_unit_of_the_registry(deployment, printed, unit):
    found = assign.match_unit(printed)
    assert (Unit.objects.get(pk=found).name if found else None) == unit


def test_collective_names_fan_out_to_the_kinds_they_name(deployment):
    communes = {u.name for u in assign.collective_units("uy ban nhan dan cac phuong, xa")}
    assert communes == set(
        Unit.objects.active().filter(kind=Unit.Kind.COMMUNE).values_list("name", flat=True)
    )  # the merged phường/xã of the former thị xã are not given new work
    departments = assign.collective_units("thu truong cac co quan chuyen mon thuoc ubnd tinh")
    assert {u.kind for u in departments} == {Unit.Kind.PROVINCE_BODY}
    assert assign.collective_units("cac bo, nganh trung uong") == []


def test_a_collective_task_is_done_when_every_unit_is_done(congvan):
    parent = congvan.tasks.get(collective=True, deadline="2026-03-25")
    children = list(parent.children.all())
    assign.set_status(children[0], Task.Status.DONE, user("anlac"))
    parent.refresh_from_db()
    assert parent.status == Task.Status.DOING
    for child in children[1:]:
        assign.set_status(child, Task.Status.DONE, user("lanhdao"))
    parent.refresh_from_db()
    assert parent.status == Task.Status.DONE


def test_a_status_change_writes_history_and_audit(congvan):
    task = congvan.tasks.filter(unit__name="Sở Nội vụ").first()
    assign.set_status(task, Task.Status.DOING, user("noivu"), "Đã dự thảo kế hoạch")
    note = task.notes.get()
    assert (note.status_from, note.status_to, note.text) == ("todo", "doing", "Đã dự thảo kế hoạch")
    entry = AuditEntry.objects.filter(action="task-status").get()
    assert entry.user.username == "noivu" and entry.object_id == str(task.pk)


def test_an_officer_moves_their_unit_task_to_done_on_the_page(congvan, login):
    task = congvan.tasks.filter(unit__name="Sở Nội vụ").first()
    answer = login("noivu").post(
        f"/cong-viec/{task.pk}/cap-nhat/", {"status": "done", "note": "xong"}
    )
    assert answer.status_code == 302
    task.refresh_from_db()
    assert task.status == Task.Status.DONE and task.completed_at is not None


def test_an_officer_is_refused_on_another_units_task_in_pages_and_api(congvan, login):
    task = congvan.tasks.filter(unit__name="Văn phòng UBND tỉnh").first()
    client = login("noivu")
    assert client.post(f"/cong-viec/{task.pk}/cap-nhat/", {"status": "done"}).status_code == 403
    api = client.patch(
        f"/api/tasks/{task.pk}/", {"status": "done"}, content_type="application/json"
    )
    assert api.status_code == 403
    task.refresh_from_db()
    assert task.status == Task.Status.TODO


def test_the_api_lets_an_officer_update_their_own_task(congvan, login):
    task = congvan.tasks.filter(unit__name="Sở Nội vụ").first()
    api = login("noivu").patch(
        f"/api/tasks/{task.pk}/", {"status": "doing"}, content_type="application/json"
    )
    assert api.status_code == 200 and api.json()["status"] == "doing"
    assert task.notes.get().status_to == "doing"


def test_a_viewer_changes_nothing(congvan, login):
    task = congvan.tasks.filter(unit__name="Sở Nội vụ").first()
    client = login("xem")
    assert client.post(f"/cong-viec/{task.pk}/cap-nhat/", {"status": "done"}).status_code == 403
    assert client.post("/api/tasks/", {"action": "x"}).status_code == 403
    assert client.get("/cong-viec/moi/").status_code == 403


def test_an_officer_creates_tasks_only_for_their_unit(deployment, login):
    client = login("noivu")
    other = Unit.objects.get(name="Sở Tư pháp")
    refused = client.post("/api/tasks/", {"action": "Rà soát", "unit": other.pk})
    assert refused.status_code == 403
    own = Unit.objects.get(name="Sở Nội vụ")
    made = client.post(
        "/api/tasks/", {"action": "Rà soát quy chế", "unit": own.pk, "deadline": "2026-12-15"}
    )
    assert made.status_code == 201 and Task.objects.get().unit == own


def test_the_board_puts_overdue_work_first_and_shows_the_units_tasks(congvan, login):
    page = login("noivu").get("/cong-viec/")
    columns = {key: tasks for key, _label, tasks, _count, _more in page.context["columns"]}
    today = timezone.localdate()
    assert all(t.deadline < today for t in columns["overdue"])
    assert all(t.unit.name == "Sở Nội vụ" for c in columns.values() for t in c)


def test_evidence_is_kept_and_downloaded_as_an_attachment(congvan, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    task = congvan.tasks.filter(unit__name="Sở Nội vụ").first()
    client = login("noivu")
    upload = SimpleUploadedFile("bien-ban.html", b"<script>alert(1)</script>", "text/html")
    client.post(f"/cong-viec/{task.pk}/cap-nhat/", {"evidence": upload})
    evidence = task.evidence.get()
    answer = client.get(f"/minh-chung/{evidence.pk}/")
    assert answer["Content-Type"] == "application/octet-stream"
    assert answer["Content-Disposition"].startswith("attachment")


def test_the_unit_feed_lists_its_open_deadlines(congvan, client):
    unit = Unit.objects.get(name="Sở Nội vụ")
    feed = client.get(f"/lich/feed/{unit.feed_token}.ics")
    body = feed.content.decode()
    assert feed["Content-Type"].startswith("text/calendar")
    assert "DTSTART;VALUE=DATE:20260331" in body
    assert client.get("/lich/feed/doan-bua.ics").status_code == 404


def test_the_unit_feed_reads_no_documents_text(deployment, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cchc.web.documents.models import Document

    unit = Unit.objects.get(name="Sở Nội vụ")
    doc = Document.objects.create(
        sha256="a" * 64, original="x", original_name="ke-hoach.txt", content_type="text/plain",
        size=1, type="Kế hoạch", number="12/KH-UBND", text="Nội dung rất dài. " * 1000,
        machine={"text": "x" * 10000},
    )  # fmt: skip
    for n in range(3):
        Task.objects.create(unit=unit, document=doc, action=f"Việc {n}", recurrence="FREQ=MONTHLY")
    with CaptureQueriesContext(connection) as queries:
        body = client.get(f"/lich/feed/{unit.feed_token}.ics").content.decode()
    assert "12/KH-UBND" in body and "Việc 2" in body
    reads = " ".join(q["sql"] for q in queries.captured_queries)
    assert '"text"' not in reads and '"machine"' not in reads


@pytest.mark.parametrize(
    "rule",
    [
        "garbage",
        "FREQ=MINUTELY",
        "FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=DAILY;UNTIL=99991231",
        "FREQ=YEARLY;BYMONTH=13",
        "FREQ=MONTHLY;BYMONTHDAY=x",
    ],
)
def test_a_recurrence_the_feed_cannot_expand_is_left_out(deployment, client, rule):
    unit = Unit.objects.get(name="Sở Nội vụ")
    Task.objects.create(unit=unit, action="Báo cáo định kỳ", recurrence=rule)
    Task.objects.create(unit=unit, action="Báo cáo tháng", recurrence="FREQ=MONTHLY;BYMONTHDAY=25")
    feed = client.get(f"/lich/feed/{unit.feed_token}.ics")
    body = feed.content.decode()
    assert feed.status_code == 200
    assert body.count("Báo cáo tháng") >= 4 and "Báo cáo định kỳ" not in body


def test_the_dashboard_gives_each_units_on_time_rate(congvan, login):
    tasks = list(Task.objects.filter(unit__name="Sở Nội vụ").exclude(deadline=None))
    late = tasks[0]
    late.deadline = timezone.localdate() - timedelta(days=5)
    late.save()
    assign.set_status(late, Task.Status.DONE, user("noivu"))
    page = login("lanhdao").get("/")
    row = next(r for r in page.context["rows"] if r.unit.name == "Sở Nội vụ")
    assert row.done == 1 and row.done_on_time == 0 and row.on_time_rate == 0
    assert "<svg" in page.content.decode()


def test_every_page_renders_tasks_without_a_unit(congvan, login):
    Task.objects.create(action="Việc chưa giao cho đơn vị nào", lead_text="Sở Tài chính")
    client = login("lanhdao")
    for url in (
        "/cong-viec/?unit=all",
        "/lich/?year=2026&month=3&unit=all",
        "/",
        f"/van-ban/{congvan.pk}/",
        f"/cong-viec/{Task.objects.last().pk}/",
    ):
        assert client.get(url).status_code == 200, url


def test_the_api_takes_evidence_and_answers_for_ones_own_task_only(congvan, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    own = congvan.tasks.filter(unit__name="Sở Nội vụ").first()
    other = congvan.tasks.filter(unit__name="Văn phòng UBND tỉnh").first()
    client = login("noivu")
    sent = client.post(
        f"/api/tasks/{own.pk}/evidence/",
        {"files": SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 x")},
    )
    assert sent.status_code == 201 and own.evidence.get().name == "bao-cao.pdf"
    refused = client.post(
        f"/api/tasks/{other.pk}/evidence/", {"files": SimpleUploadedFile("x.pdf", b"%PDF-1.4 x")}
    )
    assert refused.status_code == 403 and not other.evidence.exists()
    linked = client.patch(
        f"/api/tasks/{own.pk}/", {"answers": [congvan.pk]}, content_type="application/json"
    )
    assert linked.status_code == 200 and list(own.answers.all()) == [congvan]


def test_unit_matching_follows_units_changed_where_no_signal_is_sent(deployment):
    """Another process (a gunicorn or Celery worker) changes units: here a queryset update,
    which sends no signal to this process's cache."""
    assert assign.match_unit("Phòng Tài nguyên và Môi trường") is None
    Unit.objects.filter(name="Sở Nội vụ").update(aliases="Phòng Tài nguyên và Môi trường")
    assert (
        assign.match_unit("Phòng Tài nguyên và Môi trường") == Unit.objects.get(name="Sở Nội vụ").pk
    )
    Unit.objects.filter(name="Sở Nội vụ").update(aliases="")
    assert assign.match_unit("Phòng Tài nguyên và Môi trường") is None
    Unit.objects.filter(name="Sở Tư pháp").update(name="Phòng Tư pháp mới")
    assert assign.match_unit("Phòng Tư pháp mới") is not None


def test_a_task_created_done_through_the_api_has_its_completion_time_and_history(deployment, login):
    own = Unit.objects.get(name="Sở Nội vụ")
    made = login("noivu").post(
        "/api/tasks/", {"action": "Rà soát quy chế", "unit": own.pk, "status": "done"}
    )
    assert made.status_code == 201 and made.json()["status"] == "done"
    task = Task.objects.get()
    assert task.completed_at is not None and made.json()["completed_at"]
    assert task.notes.get().status_to == "done"
    assert AuditEntry.objects.filter(action="task-status").exists()


def test_a_corrected_document_date_moves_its_relative_deadlines(deployment, login, tmp_path):
    path = tmp_path / "cv.txt"
    path.write_text(
        "ỦY BAN NHÂN DÂN\nTHỊ XÃ AN PHÚ\nSố: 9/UBND-NV\nAn Phú, ngày 02 tháng 3 năm 2026\n\n"
        "V/v rà soát thủ tục hành chính\n\n"
        "1. Phòng Nội vụ rà soát thủ tục hành chính, báo cáo trong 10 ngày kể từ ngày ký.\n"
        "2. Phòng Tư pháp rà soát văn bản quy phạm pháp luật, hoàn thành trước ngày 30/6/2026.\n",
        encoding="utf-8",
    )
    doc = ingest_file(path).document
    relative = doc.tasks.get(unit__name="Sở Nội vụ")
    fixed = doc.tasks.get(unit__name="Sở Tư pháp")
    assert relative.deadline.isoformat() == "2026-03-12"
    response = login("noivu").patch(
        f"/api/documents/{doc.pk}/", {"date": "05/03/2026"}, content_type="application/json"
    )
    assert response.status_code == 200
    relative.refresh_from_db()
    fixed.refresh_from_db()
    assert relative.deadline.isoformat() == "2026-03-15"
    assert fixed.deadline.isoformat() == "2026-06-30"


def test_a_deadline_changed_by_hand_stays_when_the_document_date_is_corrected(
    deployment, login, tmp_path
):
    path = tmp_path / "cv.txt"
    path.write_text(
        "ỦY BAN NHÂN DÂN\nTHỊ XÃ AN PHÚ\nSố: 9/UBND-NV\nAn Phú, ngày 02 tháng 3 năm 2026\n\n"
        "V/v rà soát thủ tục hành chính\n\n"
        "1. Phòng Nội vụ rà soát thủ tục hành chính, báo cáo trong 10 ngày kể từ ngày ký.\n",
        encoding="utf-8",
    )
    doc = ingest_file(path).document
    task = doc.tasks.get()
    Task.objects.filter(pk=task.pk).update(deadline="2026-04-01")
    login("noivu").patch(
        f"/api/documents/{doc.pk}/", {"date": "05/03/2026"}, content_type="application/json"
    )
    task.refresh_from_db()
    assert task.deadline.isoformat() == "2026-04-01"


@pytest.mark.parametrize(
    "username, sees",
    [("anlac", True), ("lanhdao", True), ("noivu", False), ("xem", False)],
)
def test_a_units_secret_feed_address_is_shown_to_that_unit_and_leaders_only(
    deployment, login, username, sees
):
    unit = Unit.objects.get(name="UBND phường An Lạc")  # anlac's unit
    page = login(username).get(f"/lich/?unit={unit.pk}").content.decode()
    assert (unit.feed_token in page) is sees


def test_rotating_a_feed_gives_a_new_address_and_the_old_one_stops(deployment, login, client):
    unit = Unit.objects.get(name="UBND phường An Lạc")
    old = unit.feed_token
    assert client.get(f"/lich/feed/{old}.ics").status_code == 200
    login("noivu").post(f"/lich/don-vi/{unit.pk}/doi-dia-chi/")  # another unit's officer
    unit.refresh_from_db()
    assert unit.feed_token == old
    answer = login("anlac").post(f"/lich/don-vi/{unit.pk}/doi-dia-chi/")
    assert answer.status_code == 302
    unit.refresh_from_db()
    assert unit.feed_token != old
    client.logout()
    assert client.get(f"/lich/feed/{old}.ics").status_code == 404
    assert client.get(f"/lich/feed/{unit.feed_token}.ics").status_code == 200
    assert AuditEntry.objects.filter(action="unit-feed", object_id=unit.pk).exists()


def test_the_dashboard_chart_writes_rates_with_a_decimal_comma(deployment):
    from cchc.web.work.stats import UnitRow, on_time_chart

    unit = Unit.objects.get(name="UBND phường An Lạc")
    svg = on_time_chart([UnitRow(unit, total=3, done=3, done_on_time=2, overdue=0, due_week=0)])
    assert "66,7%" in svg and "66.7" not in svg


@pytest.mark.parametrize("rule", ["garbage", "FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30"])
def test_a_recurrence_the_calendar_cannot_expand_is_refused_on_the_page_and_the_api(
    deployment, login, rule
):
    unit = Unit.objects.get(name="UBND phường An Lạc")
    client = login("anlac")
    fields = {"action": "Báo cáo định kỳ", "unit": unit.pk, "kind": "report", "recurrence": rule}
    page = client.post("/cong-viec/moi/", fields)
    assert page.status_code == 200 and "Quy tắc lặp lại không hợp lệ" in page.content.decode()
    answer = client.post("/api/tasks/", fields, content_type="application/json")
    assert answer.status_code == 400 and "recurrence" in answer.json()
    assert not Task.objects.filter(action="Báo cáo định kỳ").exists()


def test_a_task_deadline_is_typed_day_first(deployment, login):
    unit = Unit.objects.get(name="UBND phường An Lạc")
    login("anlac").post(
        "/cong-viec/moi/",
        {"action": "Rà soát thủ tục", "unit": unit.pk, "kind": "task", "deadline": "05/03/2027"},
    )
    assert Task.objects.get(action="Rà soát thủ tục").deadline.isoformat() == "2027-03-05"
