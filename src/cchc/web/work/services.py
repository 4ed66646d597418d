"""What the work pages, the API and the other apps (par) share: evidence files, stored files
as downloads, and a task's creation with its status history."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils import timezone

from cchc.web.accounts.models import audit
from cchc.web.documents.ingest import safe_name, store_file
from cchc.web.work import assign
from cchc.web.work.models import Evidence, Task


def add_evidence(task: Task, upload, user) -> Evidence:
    """Store an uploaded evidence file for a task (any type: it is only ever downloaded)."""
    name = safe_name(upload.name)
    _sha, relative, size, kind = store_file(upload.chunks(), name)
    evidence = Evidence.objects.create(
        task=task, path=relative, name=name, content_type=kind, size=size, user=user
    )
    audit(user, "task-evidence", task, f"Đính kèm minh chứng {evidence.name}")
    return evidence


def rotate_feed(unit, user) -> None:
    """Give a unit's calendar feed a new secret address (after it leaked, or a person left)."""
    unit.new_feed_token()
    unit.save(update_fields=["feed_token"])
    audit(user, "unit-feed", unit, f"Đổi địa chỉ lịch iCalendar của {unit.name}")


def attachment(stored_path: str, name: str) -> FileResponse:
    """A stored evidence file as a download: never shown in the browser, whatever it holds."""
    path = Path(settings.MEDIA_ROOT) / stored_path
    if not stored_path or not path.is_file():
        raise Http404("Không tìm thấy tệp")
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=name,
        content_type="application/octet-stream",
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def create_task(task: Task, user, status: str = Task.Status.TODO) -> Task:
    """Save a task made by hand (page or API); a status other than "to do" is set through
    `assign.set_status`, which records the completion time and the history."""
    with transaction.atomic():
        task.created_by = user
        task.status = Task.Status.TODO
        # made by a person with the right to assign: work at once, not a proposal
        task.state, task.confirmed_by, task.confirmed_at = (
            Task.State.CONFIRMED,
            user,
            timezone.now(),
        )
        task.save()
        audit(user, "task-create", task, str(task))
        if status != Task.Status.TODO:
            assign.set_status(task, status, user)
    return task
