"""Log-in, units and people, and the audit log."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import render

from cchc.web.accounts import audit_words, throttle
from cchc.web.accounts.models import AuditEntry, Unit
from cchc.web.accounts.roles import can_read_audit
from cchc.web.forms import DayField


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
    # units that exist first; those that ended (kept for their documents) after, with what
    # they became
    units = (
        Unit.objects.select_related("parent")
        .prefetch_related("successors")
        .order_by(F("ended_on").desc(nulls_first=True), "kind", "name")
    )
    people = get_user_model().objects.select_related("profile__unit").order_by("username")
    return render(request, "accounts/units.html", {"units": units, "people": people})


class AuditFilter(forms.Form):
    """The audit page's filters; a bad value is reported on the form, never a 500."""

    user = forms.ModelChoiceField(
        queryset=get_user_model().objects.order_by("first_name", "last_name", "username"),
        required=False,
        label="Người",
        empty_label="Mọi người",
        error_messages={"invalid_choice": "Không có người này."},
    )
    action = forms.ChoiceField(
        required=False,
        label="Việc",
        error_messages={"invalid_choice": "Không có loại việc này."},
    )
    object_type = forms.ChoiceField(
        required=False,
        label="Đối tượng",
        error_messages={"invalid_choice": "Không có loại đối tượng này."},
    )
    since = DayField(required=False, label="Từ ngày")
    until = DayField(required=False, label="Đến ngày")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].label_from_instance = person_name
        self.fields["action"].choices = [("", "Mọi việc"), *audit_words.ACTIONS.items()]
        types = audit_words.object_types()
        logged = AuditEntry.objects.values_list("object_type", flat=True).distinct()
        named = sorted(((code, types.get(code, code)) for code in logged), key=lambda c: c[1])
        self.fields["object_type"].choices = [("", "Mọi đối tượng"), *named]

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            del data["since"], data["until"]  # a reversed range filters nothing
            self.add_error(None, "“Từ ngày” phải trước hoặc bằng “Đến ngày”.")
        return data

    def entries(self):
        """The entries the valid filters select (an invalid one filters nothing)."""
        data = self.cleaned_data if self.is_bound else {}
        entries = AuditEntry.objects.select_related("user")
        if data.get("user"):
            entries = entries.filter(user=data["user"])
        if data.get("action"):
            entries = entries.filter(action=data["action"])
        if data.get("object_type"):
            entries = entries.filter(object_type=data["object_type"])
        if data.get("since"):
            entries = entries.filter(at__date__gte=data["since"])
        if data.get("until"):
            entries = entries.filter(at__date__lte=data["until"])
        return entries


def person_name(user) -> str:
    """A person as the pages name them: full name, else the log-in name."""
    return user.get_full_name() or user.get_username()


def audit_page(request):
    if not can_read_audit(request.user):
        raise PermissionDenied("Chỉ lãnh đạo và quản trị xem được nhật ký.")
    params = request.GET.copy()
    params.pop("page", None)
    form = AuditFilter(params or None)
    if form.is_bound and not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    page = Paginator(form.entries(), 50).get_page(request.GET.get("page"))
    for entry in page:
        entry.action_label = audit_words.action_label(entry.action)
        entry.object_label = audit_words.object_type_label(entry.object_type)
        entry.summary_words = audit_words.summary_in_words(entry.action, entry.summary)
        entry.person = person_name(entry.user) if entry.user else "Hệ thống"
    context = {"page": page, "form": form, "query_string": params.urlencode()}
    return render(request, "accounts/audit.html", context)
