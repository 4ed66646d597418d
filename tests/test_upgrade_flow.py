"""Upgrading to the flow of Nghị định 30: tasks of earlier versions were live work and stay so,
documents already stored stay out of the direction queue, and số đến goes on where it was."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("documents", "0014_ingest_job_started_at"), ("work", "0004_task_recurrence_rule")]
AFTER = [("documents", "0015_registers_and_direction"), ("work", "0005_proposals_and_task_history")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_upgrading_keeps_tasks_live_and_documents_out_of_the_queue():
    old = _migrate(BEFORE)
    Document = old.get_model("documents", "Document")
    Task = old.get_model("work", "Task")
    Counter = old.get_model("documents", "IncomingCounter")

    def document(n: int, direction: str = "den") -> object:
        return Document.objects.create(
            sha256=f"{n:064x}",
            original=f"{n}.txt",
            original_name=f"{n}.txt",
            content_type="text/plain",
            size=1,
            direction=direction,
            incoming_number=n if direction == "den" else None,
            received_date=date(2025, 3, n) if direction == "den" else None,
            text="",
        )

    with_work, without_work, outgoing = document(1), document(2), document(3, "di")
    task = Task.objects.create(document=with_work, action="Báo cáo kết quả", status="doing")
    Counter.objects.create(year=2025, last=41)

    new = _migrate(AFTER)
    Task = new.get_model("work", "Task")
    Document = new.get_model("documents", "Document")
    RegisterCounter = new.get_model("documents", "RegisterCounter")
    assert Task.objects.get(pk=task.pk).state == "confirmed"
    assert Task.objects.get(pk=task.pk).status == "doing"
    handling = dict(Document.objects.values_list("pk", "handling"))
    assert handling == {with_work.pk: "da-phan-cong", without_work.pk: "de-biet", outgoing.pk: ""}
    registers = dict(Document.objects.values_list("pk", "register__name"))
    assert registers[with_work.pk] == registers[without_work.pk] == "Sổ văn bản đến"
    assert registers[outgoing.pk] == "Sổ văn bản đi"
    counter = RegisterCounter.objects.get(year=2025)
    assert (counter.register.name, counter.last) == ("Sổ văn bản đến", 41)
    _migrate(_latest())  # and on to the last migration of every app, as `migrate` would


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
