from django.contrib import admin

from cchc.web.accounts.models import AuditEntry, Profile, Unit, UnitSuccession, audit


class AuditedAdmin(admin.ModelAdmin):
    """Changes made in the admin pages go to the audit log as well."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        verb = "Sửa" if change else "Tạo"
        audit(request.user, "admin-change" if change else "admin-add", obj, f"{verb} {obj}")

    def delete_model(self, request, obj):
        audit(request.user, "admin-delete", obj, f"Xóa {obj}")
        super().delete_model(request, obj)


class EndedFilter(admin.SimpleListFilter):
    title = "tình trạng"
    parameter_name = "tinh-trang"

    def lookups(self, request, model_admin):
        return [("active", "đang hoạt động"), ("ended", "đã kết thúc")]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.active()
        if self.value() == "ended":
            return queryset.ended()
        return queryset


class SuccessionInline(admin.TabularInline):
    """What the unit became (old → new); a unit that ended is never deleted."""

    model = UnitSuccession
    fk_name = "predecessor"
    extra = 0
    autocomplete_fields = ["successor"]
    verbose_name = "đơn vị kế thừa (nay là)"
    verbose_name_plural = "đơn vị kế thừa (nay là)"


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ["name", "short_name", "kind", "division", "admin_code", "parent", "status"]
    list_filter = [EndedFilter, "kind", "division"]
    search_fields = ["name", "short_name", "aliases", "admin_code", "organ_id"]
    inlines = [SuccessionInline]

    @admin.display(description="tình trạng", ordering="ended_on")
    def status(self, obj: Unit) -> str:
        return f"đã kết thúc {obj.ended_on:%d/%m/%Y}" if obj.ended_on else "đang hoạt động"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":  # a new unit hangs under one that exists
            kwargs["queryset"] = Unit.objects.active().order_by("name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        # units are ended, never deleted: their documents, tasks and results stay readable
        return False


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
