"""The periodic report draft: what it reads from the database, its period's name and its
recipients (from data, not code)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc.knowledge import report_recipients
from cchc.web.documents.models import Document
from cchc.web.par import reports
from tests.conftest import plan_with_tasks

BIG_TEXT = "Giao Phòng Nội vụ rà soát thủ tục hành chính. " * 50_000  # ~2.4 MB


def _plan_with_tasks(count: int) -> Document:
    return plan_with_tasks(BIG_TEXT, count, "18/KH-UBND")[0]


def test_the_periodic_report_never_loads_a_documents_text_or_machine_json(deployment):
    _plan_with_tasks(200)
    with CaptureQueriesContext(connection) as queries:
        _draft, tables = reports.periodic_report(2026, "Q1")
    sql = [q["sql"] for q in queries.captured_queries]
    assert len(sql) < 15  # a fixed number of queries, not one per task
    document_columns = [s for s in sql if '"documents_document"."' in s]
    assert document_columns and not any(
        '"documents_document"."text"' in s or '"documents_document"."machine"' in s
        for s in document_columns
    )
    assert tables[0].rows[0][2] == 200  # the tasks are all counted
    late = tables[2].rows  # overdue: cited by the document's type, number and date
    assert late and late[0][2] == "Kế hoạch số 18/KH-UBND ngày 05/01/2026"


def test_the_periodic_report_names_its_period_in_words_and_its_recipients_from_data(deployment):
    draft, _tables = reports.periodic_report(2026, "H1")
    assert draft.title.endswith("6 tháng đầu năm 2026")
    # the demo is a province: it reports to the ministry; a xã reports to the province
    assert draft.recipients[0] == "Bộ Nội vụ (báo cáo)"
    assert "Thường trực HĐND tỉnh" in draft.recipients
    commune = report_recipients("periodic", "xã")
    assert commune[0] == "UBND tỉnh (báo cáo)" and "Thường trực HĐND xã" in commune
    draft, _tables = reports.periodic_report(2026, "Y")
    assert draft.title.endswith("cải cách hành chính năm 2026")
