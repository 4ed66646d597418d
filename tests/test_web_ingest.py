"""Ingest into the registry: the real pipeline, one record per content, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from cchc.web.documents.ingest import accept_upload, ingest_file
from cchc.web.documents.models import Citation, Document, IngestJob
from cchc.web.documents.store import UploadRejected, safe_name
from cchc.web.work.models import Task
from tests.documents import EXPECTED, write_docx


def test_ingest_stores_the_parsed_fields_and_keeps_the_original(deployment, media, tmp_path):
    job = ingest_file(write_docx(tmp_path / "412.docx"))
    assert job.status == IngestJob.Status.DONE, job.message
    doc = job.document
    assert (doc.type, doc.number, doc.issuer) == (
        EXPECTED["type"],
        EXPECTED["number"],
        EXPECTED["issuer"],
    )
    assert doc.date.isoformat() == EXPECTED["date"]
    assert doc.signer_name == EXPECTED["signer"]
    assert doc.machine["number"] == EXPECTED["number"]  # the machine's values are kept
    assert (Path(media) / doc.original).read_bytes()[:2] == b"PK"
    assert doc.content_type.endswith("wordprocessingml.document")
    assert doc.incoming_number == 1


def test_the_same_content_twice_is_recorded_once(deployment, sample_path, tmp_path):
    first = ingest_file(sample_path("cong-van-tang-cuong-cchc.txt"))
    copy = tmp_path / "ban-sao-khac-ten.txt"
    copy.write_bytes(sample_path("cong-van-tang-cuong-cchc.txt").read_bytes())
    second = ingest_file(copy)
    assert second.status == IngestJob.Status.DUPLICATE
    assert second.document == first.document
    assert Document.objects.count() == 1


def test_incoming_numbers_run_on_within_the_year(deployment, sample_path):
    a = ingest_file(sample_path("cong-van-tang-cuong-cchc.txt")).document
    b = ingest_file(sample_path("thong-bao-ket-luan.txt")).document
    assert (a.incoming_number, b.incoming_number) == (1, 2)


def test_tasks_of_a_document_go_to_the_units_of_the_registry(deployment, sample_path):
    doc = ingest_file(sample_path("cong-van-tang-cuong-cchc.txt")).document
    noi_vu = doc.tasks.filter(unit__name="Sở Nội vụ")  # "Phòng Nội vụ" (ended) → Sở Nội vụ
    assert noi_vu.exists()
    dated = doc.tasks.get(deadline="2026-03-31")
    assert dated.unit.name == "Sở Nội vụ"
    # "UBND các phường, xã" fans out to the phường/xã of today (not to those merged in 2025)
    collective = doc.tasks.get(collective=True, deadline="2026-03-25")
    assert sorted(c.unit.name for c in collective.children.all()) == [
        "UBND phường An Lạc",
        "UBND xã Phú Mỹ",
    ]


def test_citations_link_in_both_orders_of_arrival(deployment, sample_path, tmp_path):
    answer = tmp_path / "bao-cao.txt"
    answer.write_text(
        "ỦY BAN NHÂN DÂN\nPHƯỜNG AN LẠC\nSố: 15/BC-UBND\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "An Lạc, ngày 20 tháng 3 năm 2026\n\nBÁO CÁO\nKết quả thực hiện Công văn số "
        "412/UBND-NV ngày 14/3/2026 của UBND thị xã\n\nThực hiện Công văn số 412/UBND-NV ngày "
        "14/3/2026 của UBND thị xã An Phú, UBND phường báo cáo như sau: đã quán triệt.\n",
        encoding="utf-8",
    )
    reply = ingest_file(answer).document
    cited = Citation.objects.get(document=reply, number="412/UBND-NV")
    assert cited.target is None  # not in the registry yet
    original = ingest_file(sample_path("cong-van-tang-cuong-cchc.txt")).document
    cited.refresh_from_db()
    assert cited.target == original


def test_documents_stored_together_are_stored_as_one_by_one(deployment, sample_path, tmp_path):
    """`save_documents` (a batch in one transaction): số đến in order, a citation of a document
    later in the same batch linked, tasks, search entries and audit entries for each."""
    import cchc
    from cchc.web.accounts.models import AuditEntry
    from cchc.web.documents import search
    from cchc.web.documents.ingest import accept_path, save_documents

    reply = tmp_path / "bao-cao.txt"
    reply.write_text(
        "ỦY BAN NHÂN DÂN\nPHƯỜNG AN LẠC\nSố: 15/BC-UBND\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "An Lạc, ngày 20 tháng 3 năm 2026\n\nBÁO CÁO\nKết quả thực hiện Công văn số "
        "412/UBND-NV ngày 14/3/2026\n\nThực hiện Công văn số 412/UBND-NV ngày 14/3/2026 của "
        "UBND thị xã An Phú, UBND phường báo cáo như sau: đã quán triệt.\n",
        encoding="utf-8",
    )
    paths = [reply, sample_path("cong-van-tang-cuong-cchc.txt")]
    paths.append(sample_path("thong-bao-ket-luan.txt"))
    items = [(cchc.parse_file(path), accept_path(path)) for path in paths]
    answer, original, third = save_documents(items)
    assert [d.incoming_number for d in (answer, original, third)] == [1, 2, 3]
    assert original.number == "412/UBND-NV"
    assert Citation.objects.get(document=answer, number="412/UBND-NV").target == original
    assert original.tasks.filter(unit__name="Sở Nội vụ").exists()
    found = search.search(search.Query.parse("412/UBND-NV"), {})
    assert original.pk in found.ids
    assert AuditEntry.objects.filter(action="ingest").count() == 3


def test_a_damaged_file_fails_its_job_with_its_name_and_writes_no_document(deployment, tmp_path):
    broken = tmp_path / "hong.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj <<>> garbage")
    job = ingest_file(broken)
    assert job.status == IngestJob.Status.FAILED
    assert "hong.pdf" in job.message
    assert Document.objects.count() == 0


def test_an_empty_upload_is_refused_with_its_name(deployment):
    with pytest.raises(UploadRejected, match=r"rong\.txt: tệp rỗng"):
        accept_upload(iter([b""]), "rong.txt")


def test_an_upload_over_the_size_limit_is_refused_and_leaves_no_file(deployment, settings, media):
    settings.CCHC_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(UploadRejected, match=r"lon\.txt: tệp quá lớn"):
        accept_upload(iter([b"x" * 600, b"y" * 600]), "lon.txt")
    assert not any(p.is_file() for p in Path(media).rglob("*"))


def test_a_binary_file_that_is_no_document_is_refused_at_upload(deployment, media):
    with pytest.raises(UploadRejected, match=r"chuong-trinh\.pdf: định dạng không hỗ trợ"):
        accept_upload(iter([b"MZ\x90\x00\x03\x00\x00\x00" * 64]), "chuong-trinh.pdf")
    assert not any(p.is_file() for p in Path(media).rglob("*"))


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("van\x00ban.pdf", "vanban.pdf"),
        ("", "tep-khong-ten"),
        ("Công văn 412.docx", "Công văn 412.docx"),
    ],
)
def test_file_names_lose_directories_and_control_characters(given, shown):
    assert safe_name(given) == shown


def test_stored_files_are_named_by_content_not_by_the_upload_name(deployment, media):
    job = accept_upload(iter([b"%PDF-1.4 fake"]), "../../x.txt")
    assert job.stored_path.startswith("originals/") and job.stored_path.endswith(".pdf")
    assert ".." not in job.stored_path


def test_a_task_document_without_tasks_creates_none(deployment, tmp_path):
    plain = tmp_path / "thu-moi.txt"
    plain.write_text("Thư mời dự hội nghị tổng kết năm 2025 tại hội trường.\n", encoding="utf-8")
    job = ingest_file(plain)
    assert job.status == IngestJob.Status.DONE
    assert Task.objects.count() == 0


def test_a_watched_folder_ingests_each_new_file_once(deployment, sample_path, tmp_path):
    from cchc.web.documents.watch import watch

    folder = tmp_path / "den"
    folder.mkdir()
    (folder / "cv.txt").write_bytes(sample_path("cong-van-tang-cuong-cchc.txt").read_bytes())
    (folder / "ban-sao.txt").write_bytes(sample_path("cong-van-tang-cuong-cchc.txt").read_bytes())
    said: list[str] = []
    watch(folder, "den", interval=0.01, say=said.append, rounds=3)
    assert Document.objects.count() == 1
    assert sum("đã nhập" in line for line in said) == 1
    assert sum("trùng" in line for line in said) == 1


def test_a_folder_is_parsed_in_worker_processes_and_stored_once_each(
    deployment, sample_path, tmp_path
):
    from cchc.web.documents.watch import ingest_paths

    folder = tmp_path / "thu-muc"
    folder.mkdir()
    for name in ("cong-van-tang-cuong-cchc.txt", "thong-bao-ket-luan.txt", "ke-hoach-cchc-2026.md"):
        (folder / name).write_bytes(sample_path(name).read_bytes())
    (folder / "ban-sao.txt").write_bytes(sample_path("thong-bao-ket-luan.txt").read_bytes())
    (folder / "hong.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<>> garbage")
    said: list[str] = []
    failed = ingest_paths([str(folder)], "den", said.append, workers=2)
    assert failed == 1 and any("hong.pdf" in line for line in said)
    assert sorted(Document.objects.values_list("number", flat=True)) == [
        "18/KH-UBND",
        "33/TB-SNV",
        "412/UBND-NV",
    ]
    assert Task.objects.filter(document__number="412/UBND-NV").exists()
    # stored together: of two files with the same content, the later in the folder's order is
    # a duplicate of the first
    statuses = dict(IngestJob.objects.values_list("original_name", "status"))
    assert statuses["ban-sao.txt"] == IngestJob.Status.DONE
    assert statuses["thong-bao-ket-luan.txt"] == IngestJob.Status.DUPLICATE


# --- the one upload path (page and API) ----------------------------------------------------

UPLOAD_URLS = ["/van-ban/nhap/", "/api/upload/"]


def _upload(client, url: str, name: str, content: bytes, **data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        url,
        {"files": SimpleUploadedFile(name, content), **data},
        HTTP_ACCEPT="application/json",
    )


@pytest.mark.parametrize("url", UPLOAD_URLS)
def test_an_upload_to_no_register_is_refused_with_a_message(login, media, url):
    response = _upload(login("noivu"), url, "cv.txt", b"Cong van so 1", direction="xyz")
    assert response.status_code == 400
    assert "Sổ không hợp lệ" in str(response.json())
    assert not IngestJob.objects.exists() and not Document.objects.exists()


@pytest.mark.parametrize("url", UPLOAD_URLS)
def test_a_file_name_over_1_kb_answers_a_message_not_a_bare_400(login, media, url):
    name = "cong-van-" + "a" * 1100 + ".txt"
    body = (
        b'--XX\r\nContent-Disposition: form-data; name="files"; filename="'
        + name.encode()
        + b'"\r\nContent-Type: text/plain\r\n\r\nCong van\r\n--XX--\r\n'
    )
    response = login("noivu").generic(
        "POST", url, body, content_type="multipart/form-data; boundary=XX"
    )
    assert response.status_code == 400
    assert "Tên tệp quá dài" in response.json()["detail"]


@pytest.mark.parametrize("url", UPLOAD_URLS)
def test_a_user_with_too_many_unfinished_jobs_has_further_uploads_refused(
    login, media, settings, url
):
    settings.CCHC_MAX_QUEUED_JOBS = 2
    client = login("noivu")
    officer = get_user_model().objects.get(username="noivu")
    for n in range(2):
        IngestJob.objects.create(
            original_name=f"scan-{n}.pdf", stored_path="x", sha256=str(n), created_by=officer
        )
    response = _upload(client, url, "them.txt", b"Cong van so 2 ve cai cach hanh chinh")
    job = response.json()["jobs"][0]
    assert job["status"] == "failed" and "đang có 2 tệp chờ xử lý" in job["message"]
    assert IngestJob.objects.count() == 2  # nothing queued, nothing stored
    assert not (media / "originals").exists() or not any((media / "originals").rglob("*.txt"))


def test_a_refused_upload_keeps_the_stored_file_an_evidence_row_points_to(
    deployment, login, media, sample_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cchc.web.work.services import add_evidence

    page = b"<html><body><script>alert(1)</script>Bao cao</body></html>"
    task = ingest_file(sample_path("cong-van-tang-cuong-cchc.txt")).document.tasks.first()
    officer = get_user_model().objects.get(username="noivu")
    evidence = add_evidence(task, SimpleUploadedFile("bao-cao.html", page), officer)
    refused = _upload(login("anlac"), "/api/upload/", "cong-van.txt", page)
    assert refused.json()["jobs"][0]["status"] == "failed"
    assert (media / evidence.path).read_bytes() == page
    assert login("noivu").get(f"/minh-chung/{evidence.pk}/").status_code == 200


@pytest.mark.parametrize("ids", ["99999999999999999999", "1,abc", "-1"])
def test_job_status_with_ids_that_are_no_ids_is_a_400(login, ids):
    response = login("noivu").get("/van-ban/nhap/trang-thai/", {"ids": ids})
    assert response.status_code == 400
    assert "không hợp lệ" in response.json()["detail"]


def test_one_ingest_creates_at_most_the_cap_of_tasks_and_says_how_many_were_left(
    deployment, settings, tmp_path
):
    settings.CCHC_MAX_TASKS_PER_DOCUMENT = 5
    duties = "\n".join(
        f"{n}. Phòng Nội vụ rà soát thủ tục hành chính số {n}, hoàn thành trước ngày 30/6/2026."
        for n in range(1, 41)
    )
    path = tmp_path / "ke-hoach.txt"
    path.write_text(
        "ỦY BAN NHÂN DÂN\nTHỊ XÃ AN PHÚ\nSố: 7/KH-UBND\n\nKẾ HOẠCH\nCải cách hành chính\n\n"
        + duties
        + "\n",
        encoding="utf-8",
    )
    job = ingest_file(path)
    parsed = len(job.document.machine["tasks"])
    assert parsed > 5
    assert Task.objects.filter(parent=None).count() == 5
    assert f"giao {parsed} việc; chỉ 5 việc đầu" in job.message
    assert any("chỉ 5 việc đầu" in w for w in job.document.warnings)


def test_a_watched_folder_reads_no_symbolic_link(deployment, tmp_path):
    from cchc.web.documents.watch import ingest_paths, watch

    secret = tmp_path / "secret_key.txt"
    secret.write_text("Khóa bí mật của máy chủ: abcdef\n", encoding="utf-8")
    elsewhere = tmp_path / "noi-khac"
    elsewhere.mkdir()
    (elsewhere / "mat.txt").write_text("Văn bản mật ở thư mục khác\n", encoding="utf-8")
    folder = tmp_path / "den"
    folder.mkdir()
    (folder / "khoa.txt").symlink_to(secret)
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "thu-muc").symlink_to(elsewhere, target_is_directory=True)
    said: list[str] = []
    watch(folder, "den", interval=0.01, say=said.append, rounds=3)
    assert ingest_paths([str(folder)], "den", said.append) == 0
    assert not Document.objects.exists() and not IngestJob.objects.exists()


def test_a_file_swapped_for_a_link_is_refused_by_the_watched_folders_reader(deployment, tmp_path):
    from cchc.web.documents.ingest import accept_path

    link = tmp_path / "cv.txt"
    link.symlink_to("/etc/passwd")
    with pytest.raises(UploadRejected, match="liên kết"):
        accept_path(link, follow_links=False)
