"""Upgrading to the exchange fields (documents 0016): documents stored before get their
signature summary and edXML sender from the machine JSON, and the signed ones their signature
words in the search index, so the registry and search filters find them at once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cchc.web.documents import search

BEFORE = [("documents", "0015_registers_and_direction")]
AFTER = [("documents", "0016_exchange_and_signatures")]
BROKEN = {"intact": False, "modified_after": False, "trusted": False}
VALID = {"intact": True, "modified_after": False, "trusted": True}


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _ids(value: str) -> list[int]:
    query = search.Query.parse("ky cuong")
    return sorted(search.search(query, {"signature": value}).ids)


@pytest.mark.django_db(transaction=True)
def test_upgrading_sums_up_stored_signatures_and_keeps_the_sender():
    old = _migrate(BEFORE)
    Document = old.get_model("documents", "Document")

    def document(n: int, machine: dict) -> object:
        doc = Document.objects.create(
            sha256=f"{n:064x}",
            original=f"{n}.pdf",
            original_name=f"{n}.pdf",
            content_type="application/pdf",
            size=1,
            text="Tăng cường kỷ luật, kỷ cương hành chính.",
            machine=machine,
        )
        search.index_document(doc)  # as the version before indexed it (no signature words)
        return doc

    broken = document(1, {"signatures": [VALID, BROKEN]})
    valid = document(2, {"signatures": [VALID]})
    unsigned = document(3, {})
    package = document(
        4,
        {
            "edxml": {
                "kind": "document",
                "sender": {"organ_id": "000.15.31.H99", "name": "Sở Xây dựng"},
                "document_id": "000.15.31.H99,2026/11/05,1287/SXD-VP",
            }
        },
    )

    new = _migrate(AFTER)
    Document = new.get_model("documents", "Document")
    states = dict(Document.objects.values_list("pk", "signature_state"))
    assert states == {broken.pk: "hong", valid.pk: "hop-le", unsigned.pk: "", package.pk: ""}
    row = Document.objects.get(pk=package.pk)
    assert (row.sender_organ_id, row.sender_name) == ("000.15.31.H99", "Sở Xây dựng")
    assert row.edxml_id == "000.15.31.H99,2026/11/05,1287/SXD-VP"
    assert _ids("hong") == [broken.pk]
    assert _ids("co") == [broken.pk, valid.pk]
    assert _ids("khong") == [unsigned.pk, package.pk]
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
