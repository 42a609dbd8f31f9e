from django.contrib import admin

from staff.admin import ReadOnlyAdmin

from .models import (
    Account,
    ApiCall,
    ApiClient,
    Bill,
    BillImport,
    InvoiceRange,
    Payment,
    VoidRequest,
)


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    """Customer details may be corrected here; the prepaid balance only moves with payments."""

    list_display = ["account_no", "name", "address", "phone", "status", "prepaid_balance"]
    list_filter = ["status"]
    search_fields = ["account_no", "name", "address", "phone"]
    readonly_fields = ["account_no", "prepaid_balance"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Bill)
class BillAdmin(ReadOnlyAdmin):
    list_display = ["account", "period", "volume_m3", "amount_due", "amount_paid", "status"]
    list_filter = ["status", "period"]
    list_select_related = ["account"]
    search_fields = ["account__account_no"]
    show_full_result_count = False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "account", "hall", "cashier", "method", "amount"]
    list_filter = ["kind", "method", "hall", "business_date"]
    list_select_related = ["account", "hall", "cashier"]
    search_fields = ["account__account_no", "reference"]
    show_full_result_count = False


@admin.register(InvoiceRange)
class InvoiceRangeAdmin(ReadOnlyAdmin):
    list_display = ["invoice_code", "first_no", "last_no", "next_no", "cashier", "hall", "status"]
    list_filter = ["status", "hall"]
    list_select_related = ["cashier", "hall"]


@admin.register(VoidRequest)
class VoidRequestAdmin(ReadOnlyAdmin):
    list_display = ["requested_at", "payment", "requested_by", "status", "decided_by"]
    list_filter = ["status"]
    list_select_related = ["payment", "requested_by", "decided_by"]


@admin.register(BillImport)
class BillImportAdmin(ReadOnlyAdmin):
    list_display = ["imported_at", "filename", "encoding", "rows", "bills_created", "imported_by"]


@admin.register(ApiClient)
class ApiClientAdmin(ReadOnlyAdmin):
    """Created and revoked with manage.py api_client_create / api_client_revoke (the token is
    shown once, by the command)."""

    list_display = [
        "name",
        "token_prefix",
        "scopes",
        "created_at",
        "revoked_at",
        "last_read_at",
        "last_seen_at",
    ]
    exclude = ["token_hash"]


@admin.register(ApiCall)
class ApiCallAdmin(ReadOnlyAdmin):
    list_display = ["at", "client", "method", "path", "status", "error_code", "duration_ms"]
    list_filter = ["status", "client"]
    list_select_related = ["client"]
    search_fields = ["path", "error_code", "remote_addr"]
    date_hierarchy = "at"
    show_full_result_count = False
