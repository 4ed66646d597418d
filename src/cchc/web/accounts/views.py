"""Units and people, and the audit log."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from cchc.web.accounts.models import AuditEntry, Unit
from cchc.web.accounts.roles import sees_everything


def units_page(request):
    units = Unit.objects.select_related("parent")
    people = get_user_model().objects.select_related("profile__unit").order_by("username")
    return render(request, "accounts/units.html", {"units": units, "people": people})


def audit_page(request):
    if not sees_everything(request.user):
        raise PermissionDenied("Chỉ lãnh đạo và quản trị xem được nhật ký.")
    page = Paginator(AuditEntry.objects.select_related("user"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/audit.html", {"page": page})
