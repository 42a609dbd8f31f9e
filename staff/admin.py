from django.contrib import admin

from .models import AuditEntry, Department, Employee, Hall, Penalty


@admin.register(Hall)
class HallAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "address", "phone", "is_active", "sort_order"]
    list_editable = ["sort_order"]
    search_fields = ["code", "name"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "phone", "is_active"]
    search_fields = ["code", "name"]


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = ["employee_no", "name", "hall", "department", "phone", "is_active"]
    list_filter = ["hall", "department", "is_active"]
    list_select_related = ["hall", "department"]
    search_fields = ["employee_no", "name", "phone", "user__username"]
    autocomplete_fields = ["user"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written by services only: readable here, never changed by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "object_repr", "summary"]
    list_filter = ["action", "content_type"]
    list_select_related = ["actor"]
    search_fields = ["object_repr", "summary", "action"]
    date_hierarchy = "at"


@admin.register(Penalty)
class PenaltyAdmin(ReadOnlyAdmin):
    list_display = ["date", "employee", "kind", "amount", "reason", "source"]
    list_filter = ["kind"]
    list_select_related = ["employee"]
