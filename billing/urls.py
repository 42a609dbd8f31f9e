from django.urls import path, re_path

from . import import_views, invoice_views, list_views, views

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
    path("invoices/", invoice_views.invoice_range_list, name="invoice_range_list"),
    path("invoices/new/", invoice_views.invoice_range_create, name="invoice_range_create"),
    path("invoices/<int:pk>/", invoice_views.invoice_range_detail, name="invoice_range_detail"),
    path("invoices/<int:pk>/close/", invoice_views.invoice_range_close, name="invoice_range_close"),
    path("invoices/spoil/", invoice_views.invoice_spoil, name="invoice_spoil"),
]
