"""The admin writes no record of what happened (issue 14 §2 Low: forged audit entries). The audit
log was made read-only there; the records added since (task and draft history, versions and
reviews, corrections, instructions, survey replies, edXML status messages, processed mails) are
either not in the admin or read-only in it, for a superuser too."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from cchc.web.accounts.models import AuditEntry
from cchc.web.documents.models import Correction, Instruction, StatusMessage
from cchc.web.mail.models import MailAttachment, ProcessedMail
from cchc.web.outgoing.models import DraftEvent, DraftReview, DraftVersion
from cchc.web.survey.models import Answer, Reply
from cchc.web.work.models import ProgressNote, TaskChange

RECORDS = [
    AuditEntry, TaskChange, ProgressNote, DraftEvent, DraftReview, DraftVersion, Correction,
    Instruction, StatusMessage, Reply, Answer, ProcessedMail, MailAttachment,
]  # fmt: skip


def test_no_record_can_be_added_or_changed_in_the_admin(deployment):
    request = RequestFactory().get("/quan-tri/")
    request.user = get_user_model().objects.filter(is_superuser=True).first()
    assert request.user is not None
    registered = admin.site._registry
    for model in RECORDS:
        model_admin = registered.get(model)
        if model_admin is None:
            continue  # not in the admin at all
        assert not model_admin.has_add_permission(request), model.__name__
        if model_admin.has_change_permission(request):
            fields = {
                f.name for f in model._meta.concrete_fields if f.editable and not f.auto_created
            }
            readonly = set(model_admin.get_readonly_fields(request))
            assert fields <= readonly, (model.__name__, fields - readonly)
    audit = registered[AuditEntry]
    assert not audit.has_change_permission(request) and not audit.has_delete_permission(request)
