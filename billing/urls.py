from django.urls import path, re_path

from .views import (
    channels,
    corrections,
    counter,
    deposits,
    hall_day,
    imports,
    invoices,
    ledger,
    movements,
    payments,
    reports,
    voids,
)

app_name = "billing"

urlpatterns = [
    path("counter/", counter.counter, name="counter"),
    path(
        "accounts/<str:account_no>/statement/",
        movements.account_statement,
        name="account_statement",
    ),
    # Daily batch files of movements for the billing system (营收系统).
    path("movements/files/", movements.movement_files, name="movement_files"),
    re_path(
        r"^movements/files/(?P<day>[0-9-]+)/export\.(?P<fmt>csv)$",
        movements.movement_export,
        name="movement_export",
    ),
    path("payments/<int:pk>/", payments.payment_detail, name="payment_detail"),
    path("payments/<int:pk>/void/", voids.void_request, name="void_request"),
    path("payments/", payments.payment_list, name="payment_list"),
    re_path(
        r"^payments/export\.(?P<fmt>csv|xlsx)$", payments.payment_export, name="payment_export"
    ),
    path("voids/", voids.void_list, name="void_list"),
    path("voids/<int:pk>/approve/", voids.void_approve, name="void_approve"),
    path("voids/<int:pk>/reject/", voids.void_reject, name="void_reject"),
    path("bills/import/", imports.bill_import, name="bill_import"),
    path("bills/import/<int:pk>/", imports.bill_import_job, name="bill_import_job"),
    path(
        "bills/import/<int:pk>/status/",
        imports.bill_import_job_status,
        name="bill_import_job_status",
    ),
    path(
        "bills/import/<int:pk>/confirm/",
        imports.bill_import_confirm,
        name="bill_import_confirm",
    ),
    path(
        "bills/import/<int:pk>/discard/",
        imports.bill_import_discard,
        name="bill_import_discard",
    ),
    # Bill corrections (更正), uploaded through the bills import.
    path("corrections/", corrections.correction_list, name="correction_list"),
    re_path(
        r"^corrections/export\.(?P<fmt>csv|xlsx)$",
        corrections.correction_export,
        name="correction_export",
    ),
    # Channel payments (WeChat, Alipay, banks, 公众号): the list, their import, the doubles.
    path("channel-payments/", channels.channel_payment_list, name="channel_payment_list"),
    path("channel-payments/doubles/", channels.channel_doubles, name="channel_doubles"),
    path(
        "channel-payments/doubles/<int:pk>/follow-up/",
        channels.channel_follow_up,
        name="channel_follow_up",
    ),
    path("channel-payments/import/", channels.channel_import, name="channel_import"),
    path(
        "channel-payments/import/<int:pk>/", channels.channel_import_job, name="channel_import_job"
    ),
    path(
        "channel-payments/import/<int:pk>/status/",
        channels.channel_import_job_status,
        name="channel_import_job_status",
    ),
    path(
        "channel-payments/import/<int:pk>/confirm/",
        channels.channel_import_confirm,
        name="channel_import_confirm",
    ),
    path(
        "channel-payments/import/<int:pk>/discard/",
        channels.channel_import_discard,
        name="channel_import_discard",
    ),
    path("invoices/", invoices.invoice_range_list, name="invoice_range_list"),
    path("invoices/new/", invoices.invoice_range_create, name="invoice_range_create"),
    path("invoices/<int:pk>/", invoices.invoice_range_detail, name="invoice_range_detail"),
    path("invoices/<int:pk>/close/", invoices.invoice_range_close, name="invoice_range_close"),
    path("invoices/spoil/", invoices.invoice_spoil, name="invoice_spoil"),
    # Cash ledgers (现金台账), deposits and the hall day (营业日).
    path("ledgers/", ledger.ledger_list, name="ledger_list"),
    path("ledgers/today/", ledger.ledger_today, name="ledger_today"),
    path("ledgers/<int:pk>/", ledger.ledger_detail, name="ledger_detail"),
    path("ledgers/<int:pk>/float/", ledger.ledger_float, name="ledger_float"),
    path("ledgers/<int:pk>/deposit/", deposits.deposit_create, name="deposit_create"),
    path("ledgers/<int:pk>/submit/", ledger.ledger_submit, name="ledger_submit"),
    path("ledgers/<int:pk>/explain/", ledger.ledger_explain, name="ledger_explain"),
    path("ledgers/<int:pk>/verify/", ledger.ledger_verify, name="ledger_verify"),
    path("ledgers/<int:pk>/reopen/", ledger.ledger_reopen, name="ledger_reopen"),
    path("ledgers/monthly/", reports.ledger_monthly, name="ledger_monthly"),
    re_path(
        r"^ledgers/monthly/export\.(?P<fmt>csv|xlsx)$",
        reports.ledger_monthly_export,
        name="ledger_monthly_export",
    ),
    path("days/", hall_day.hall_day_index, name="hall_day_index"),
    path("days/<int:hall>/<str:day>/", hall_day.hall_day, name="hall_day"),
    path(
        "days/<int:hall>/<str:day>/settlement/",
        hall_day.hall_day_settlement,
        name="hall_day_settlement",
    ),
    path("days/<int:hall>/<str:day>/sign/", hall_day.hall_day_sign, name="hall_day_sign"),
    path("days/<int:hall>/<str:day>/report/", hall_day.hall_day_report, name="hall_day_report"),
    re_path(
        r"^days/(?P<hall>\d+)/(?P<day>[0-9-]+)/export\.(?P<fmt>csv|xlsx)$",
        hall_day.hall_day_export,
        name="hall_day_export",
    ),
]
