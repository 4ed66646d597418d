"""Mail accounts and rules for administrators; the password field is write-only (never shown
back: an empty field keeps the stored password)."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from cchc.web.mail.models import MailAccount, MailAttachment, MailRule, ProcessedMail


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
class MailAccountAdmin(admin.ModelAdmin):
    form = MailAccountForm
    inlines = [MailRuleInline]
    list_display = ["name", "username", "host", "port", "security", "enabled", "last_checked_at"]
    readonly_fields = ["last_checked_at", "last_error"]

    def get_fields(self, request, obj=None):
        return [*MailAccountForm.Meta.fields, *self.readonly_fields]


@admin.register(MailRule)
class MailRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "account", "folder", "action", "move_to", "enabled"]
    list_filter = ["account"]


class MailAttachmentInline(admin.TabularInline):
    model = MailAttachment
    extra = 0
    can_delete = False
    fields = ["filename", "job", "problem"]
    readonly_fields = fields


@admin.register(ProcessedMail)
class ProcessedMailAdmin(admin.ModelAdmin):
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
