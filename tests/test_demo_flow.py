"""The demo as `make demo` loads it: the flow has run, so the boards, the dashboard and the
registers show work, not only proposals waiting for a leader."""

from __future__ import annotations

import pytest


@pytest.fixture
def loaded(deployment, settings):
    jobs = deployment.ingest_samples()
    deployment.create_flow(jobs)
    return {job.original_name: job.document for job in jobs if job.document_id}


def test_the_leader_directed_three_samples_and_two_wait(loaded):
    from cchc.web import demo
    from cchc.web.documents.models import Document

    handling = {name: Document.objects.get(pk=doc.pk).handling for name, doc in loaded.items()}
    directed = [n for n, h in handling.items() if h == Document.Handling.DIRECTED]
    waiting = [n for n, h in handling.items() if h == Document.Handling.WAITING]
    assert sorted(directed) == sorted(demo.DIRECTED)
    assert len(waiting) == len(loaded) - len(directed) > 0


def test_confirmed_work_has_named_people_one_late_completion_and_one_answer(loaded):
    from cchc.web.work.models import Task

    work = Task.work.all()
    assert work.count() > 10
    assert work.filter(assignee__username="noivu").exists()
    assert not Task.objects.filter(state=Task.State.PROPOSED, document__handling="da-phan-cong")
    late_done = [t for t in work.filter(status=Task.Status.DONE) if t.days_late]
    assert late_done, "the demo shows one task finished after its deadline"
