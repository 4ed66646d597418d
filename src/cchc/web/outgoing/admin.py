from django.contrib import admin

from cchc.web.accounts.admin import AuditedAdmin
from cchc.web.outgoing.models import Draft


@admin.register(Draft)
class DraftAdmin(AuditedAdmin):
    """Read in the admin; the way of a draft (versions, review, number, issue) is the app's."""

    list_display = ["notation", "type", "subject", "unit", "state", "issued_date"]
    list_filter = ["state", "type"]
    search_fields = ["subject", "notation"]
    readonly_fields = ["state", "number", "year", "notation", "issued_document", "issued_date"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a draft and its versions are the record of how a document went out
