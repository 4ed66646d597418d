"""No page loads what it does not show (issue 14 §2 High): a document's full text and machine
JSON (a 538 KB upload with 5,000 duties was loaded once per task until the worker died at 20 GB)
are read only by the pages that show them (the document's own page, its edit form, search's
snippets). Every list page and the task page are walked here with a long document given work."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc.web.documents.models import IngestJob
from tests.conftest import plan_with_tasks

LONG = "Giao Sở Nội vụ rà soát thủ tục hành chính. " * 20_000

PAGES = [
    "/",
    "/van-ban/",
    "/van-ban/nhap/",
    "/cong-viec/",
    "/lich/",
    "/viec-cua-toi/",
    "/van-ban/den/",
    "/van-ban/cho-chi-dao/",
    "/so/giai-quyet-van-ban-den/",
    "/chi-so/",
]


@pytest.fixture
def long_document(deployment):
    document, tasks = plan_with_tasks(LONG, 20, "99/KH-UBND", "ke-hoach-dai.txt")
    IngestJob.objects.create(
        original_name="ke-hoach-dai.txt", stored_path="x", sha256="e" * 64, document=document,
        status="done",
    )  # fmt: skip
    return document, tasks


def _reads_of_text(sql: list[str]) -> list[str]:
    return [
        s[:160]
        for s in sql
        if '"documents_document"."text"' in s or '"documents_document"."machine"' in s
    ]


@pytest.mark.parametrize("url", PAGES)
def test_a_list_page_never_loads_a_documents_text_or_machine_json(login, long_document, url):
    client = login("lanhdao")
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(url)
    assert answer.status_code == 200, (url, answer.status_code)
    assert _reads_of_text([q["sql"] for q in queries.captured_queries]) == []


def test_the_task_page_does_not_load_its_documents_text(login, long_document):
    _document, tasks = long_document
    client = login("lanhdao")
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(f"/cong-viec/{tasks[0].pk}/")
    assert answer.status_code == 200
    assert "99/KH-UBND" in answer.content.decode()
    assert _reads_of_text([q["sql"] for q in queries.captured_queries]) == []
