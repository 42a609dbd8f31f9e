from django.urls import path, re_path

from . import (
    hall_day_views,
    import_views,
    invoice_views,
    ledger_exports,
    ledger_views,
    list_views,
    views,
)

app_name = "billing"

urlpatterns = [
    path("counter/", views.counter, name="counter"),
    path("payments/<int:pk>/", views.payment_detail, name="payment_detail"),
    path("payments/<int:pk>/void/", views.void_request, name="void_request"),
    path("payments/", list_views.payment_list, name="payment_list"),
    re_path(
        r"^payments/export\.(?P<fmt>csv|xlsx)$", list_views.payment_export, name="payment_export"
    ),
    path("voids/", views.void_list, name="void_list"),
    path("voids/<int:pk>/approve/", views.void_approve, name="void_approve"),
    path("voids/<int:pk>/reject/", views.void_reject, name="void_reject"),
    path("bills/import/", import_views.bill_import, name="bill_import"),
    path("bills/import/<int:pk>/", import_views.bill_import_job, name="bill_import_job"),
    path(
        "bills/import/<int:pk>/status/",
        import_views.bill_import_job_status,
        name="bill_import_job_status",
    ),
    path(
        "bills/import/<int:pk>/confirm/",
        import_views.bill_import_confirm,
        name="bill_import_confirm",
    ),
    path(
        "bills/import/<int:pk>/discard/",
        import_views.bill_import_discard,
        name="bill_import_discard",
    ),
    path("invoices/", invoice_views.invoice_range_list, name="invoice_range_list"),
    path("invoices/new/", invoice_views.invoice_range_create, name="invoice_range_create"),
    path("invoices/<int:pk>/", invoice_views.invoice_range_detail, name="invoice_range_detail"),
    path("invoices/<int:pk>/close/", invoice_views.invoice_range_close, name="invoice_range_close"),
    path("invoices/spoil/", invoice_views.invoice_spoil, name="invoice_spoil"),
    # Cash ledgers (现金台账), deposits and the hall day (营业日).
    path("ledgers/", ledger_views.ledger_list, name="ledger_list"),
    path("ledgers/today/", ledger_views.ledger_today, name="ledger_today"),
    path("ledgers/<int:pk>/", ledger_views.ledger_detail, name="ledger_detail"),
    path("ledgers/<int:pk>/float/", ledger_views.ledger_float, name="ledger_float"),
    path("ledgers/<int:pk>/deposit/", ledger_views.deposit_create, name="deposit_create"),
    path("ledgers/<int:pk>/submit/", ledger_views.ledger_submit, name="ledger_submit"),
    path("ledgers/<int:pk>/explain/", ledger_views.ledger_explain, name="ledger_explain"),
    path("ledgers/<int:pk>/verify/", ledger_views.ledger_verify, name="ledger_verify"),
    path("ledgers/<int:pk>/reopen/", ledger_views.ledger_reopen, name="ledger_reopen"),
    path("ledgers/monthly/", ledger_exports.ledger_monthly, name="ledger_monthly"),
    re_path(
        r"^ledgers/monthly/export\.(?P<fmt>csv|xlsx)$",
        ledger_exports.ledger_monthly_export,
        name="ledger_monthly_export",
    ),
    path("days/", hall_day_views.hall_day_index, name="hall_day_index"),
    path("days/<int:hall>/<str:day>/", hall_day_views.hall_day, name="hall_day"),
    path(
        "days/<int:hall>/<str:day>/settlement/",
        hall_day_views.hall_day_settlement,
        name="hall_day_settlement",
    ),
    path("days/<int:hall>/<str:day>/sign/", hall_day_views.hall_day_sign, name="hall_day_sign"),
    path(
        "days/<int:hall>/<str:day>/report/", hall_day_views.hall_day_report, name="hall_day_report"
    ),
    re_path(
        r"^days/(?P<hall>\d+)/(?P<day>[0-9-]+)/export\.(?P<fmt>csv|xlsx)$",
        ledger_exports.hall_day_export,
        name="hall_day_export",
    ),
]
