"""Mail accounts and rules for administrators; the password field is write-only (never shown
back: an empty field keeps the stored password)."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from cchc.web.accounts.models import audit
from cchc.web.mail.models import MailAccount, MailAttachment, MailRule, ProcessedMail


class AuditedAdmin(admin.ModelAdmin):
    """Changes made here go to the audit log too (never the password: only which fields)."""

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        fields = ", ".join(sorted(form.changed_data)) or "không đổi trường nào"
        verb = "Sửa" if change else "Thêm"
        audit(request.user, f"mail-{obj._meta.model_name}", obj, f"{verb} {obj} ({fields})")

    def delete_model(self, request, obj) -> None:
        audit(request.user, f"mail-{obj._meta.model_name}", obj, f"Xoá {obj}")
        super().delete_model(request, obj)

    def save_formset(self, request, form, formset, change) -> None:
        super().save_formset(request, form, formset, change)
        action = f"mail-{formset.model._meta.model_name}"
        for obj in formset.new_objects:
            audit(request.user, action, obj, f"Thêm {obj}")
        for obj, fields in formset.changed_objects:
            audit(request.user, action, obj, f"Sửa {obj} ({', '.join(sorted(fields))})")
        for obj in formset.deleted_objects:
            audit(request.user, action, obj, f"Xoá {obj}")


class MailAccountForm(forms.ModelForm):
    password = forms.CharField(
        label="Mật khẩu",
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Để trống: giữ mật khẩu đã lưu. Nên đặt biến môi trường thay vì lưu ở đây.",
    )
    clear_password = forms.BooleanField(label="Xoá mật khẩu đã lưu", required=False)

    class Meta:
        model = MailAccount
        fields = [
            "name",
            "host",
            "port",
            "security",
            "username",
            "password",
            "clear_password",
            "password_env",
            "enabled",
        ]

    def save(self, commit: bool = True) -> MailAccount:
        account = super().save(commit=False)
        typed = self.cleaned_data.get("password")
        if self.cleaned_data.get("clear_password"):
            account.password = ""
        elif typed:
            account.password = typed
        elif account.pk:  # nothing typed: the stored one stays
            account.password = (
                MailAccount.objects.filter(pk=account.pk).values_list("password", flat=True).first()
                or ""
            )
        if commit:
            account.save()
        return account


class MailRuleInline(admin.StackedInline):
    model = MailRule
    extra = 0


@admin.register(MailAccount)
class MailAccountAdmin(AuditedAdmin):
    form = MailAccountForm
    inlines = [MailRuleInline]
    list_display = ["name", "username", "host", "port", "security", "enabled", "last_checked_at"]
    readonly_fields = ["last_checked_at", "last_error"]

    def get_fields(self, request, obj=None):
        return [*MailAccountForm.Meta.fields, *self.readonly_fields]


@admin.register(MailRule)
class MailRuleAdmin(AuditedAdmin):
    list_display = ["name", "account", "folder", "action", "move_to", "enabled"]
    list_filter = ["account"]


class MailAttachmentInline(admin.TabularInline):
    model = MailAttachment
    extra = 0
    can_delete = False
    fields = ["filename", "job", "problem"]
    readonly_fields = fields


@admin.register(ProcessedMail)
class ProcessedMailAdmin(AuditedAdmin):
    """What was taken; deleting a record lets the next run take that mail again."""

    list_display = ["processed_at", "account", "folder", "sender", "subject", "outcome"]
    list_filter = ["account", "outcome"]
    search_fields = ["sender", "subject", "message_id"]
    inlines = [MailAttachmentInline]
    readonly_fields = [
        "account",
        "folder",
        "message_id",
        "rule",
        "sender",
        "subject",
        "sent_at",
        "outcome",
        "message",
        "action_done",
        "processed_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False
