from django.contrib import admin

from cchc.web.accounts.models import AuditEntry, Profile, Unit, audit


class AuditedAdmin(admin.ModelAdmin):
    """Changes made in the admin pages go to the audit log as well."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        verb = "Sửa" if change else "Tạo"
        audit(request.user, "admin-change" if change else "admin-add", obj, f"{verb} {obj}")

    def delete_model(self, request, obj):
        audit(request.user, "admin-delete", obj, f"Xóa {obj}")
        super().delete_model(request, obj)


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ["name", "short_name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "aliases"]


@admin.register(Profile)
class ProfileAdmin(AuditedAdmin):
    list_display = ["user", "unit", "role"]
    list_filter = ["role", "unit"]


@admin.register(AuditEntry)
class AuditAdmin(admin.ModelAdmin):
    """The audit log is read-only here: entries are written by the actions they record."""

    list_display = ["at", "user", "action", "summary"]
    list_filter = ["action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
