"""Log-in, units and people, and the audit log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from cchc.web.accounts import throttle
from cchc.web.accounts.models import AuditEntry, Unit
from cchc.web.accounts.roles import can_read_audit


class LoginView(auth_views.LoginView):
    """Django's log-in page; refused with HTTP 429 once the rate limit is reached."""

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        if throttle.locked(request, username):
            return self._refused(username)
        answer = super().post(request, *args, **kwargs)
        if answer.status_code == 200 and throttle.locked(request, username):
            return self._refused(username)  # this failure reached the limit
        return answer

    def _refused(self, username: str):
        messages.error(self.request, throttle.message())
        form = self.get_form_class()(self.request, initial={"username": username})
        return self.render_to_response(self.get_context_data(form=form), status=429)


def units_page(request):
    units = Unit.objects.select_related("parent")
    people = get_user_model().objects.select_related("profile__unit").order_by("username")
    return render(request, "accounts/units.html", {"units": units, "people": people})


def audit_page(request):
    if not can_read_audit(request.user):
        raise PermissionDenied("Chỉ lãnh đạo và quản trị xem được nhật ký.")
    page = Paginator(AuditEntry.objects.select_related("user"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/audit.html", {"page": page})
