"""The monthly summary of the cash ledgers per hall, cashier and method; CSV and XLSX."""

import csv
import io
from datetime import date

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from staff.access import Role, halls_for, require_roles
from staff.periods import month_end, month_start

from . import ledger_selectors as selectors
from .models import PaymentMethod
from .money import ZERO

SUMMARY_ROLES = (Role.CASHIER, Role.SHIFT_LEAD, Role.DIRECTOR, Role.OFFICE)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _month(request) -> date:
    text = request.GET.get("month", "")
    try:
        return month_start(date.fromisoformat(f"{text}-01"))
    except ValueError:
        return month_start(timezone.localdate())


def _hall_id(request, halls):
    try:
        hall_id = int(request.GET.get("hall", ""))
    except ValueError:
        return None
    return hall_id if any(h.pk == hall_id for h in halls) else None


def _summary(request):
    halls = list(halls_for(request.user))
    first = _month(request)
    hall_id = _hall_id(request, halls)
    rows = selectors.monthly_summary(request.user, first, month_end(first), hall_id)
    return halls, first, hall_id, rows


def _totals(rows):
    totals = dict.fromkeys(PaymentMethod.values, ZERO)
    for row in rows:
        for method, amount in row.by_method.items():
            totals[method] += amount
    return [totals[m] for m in PaymentMethod.values], sum(totals.values(), start=ZERO)


@require_roles(*SUMMARY_ROLES)
def ledger_monthly(request):
    halls, first, hall_id, rows = _summary(request)
    method_totals, grand_total = _totals(rows)
    return render(
        request,
        "billing/ledger_monthly.html",
        {
            "halls": halls,
            "month": first,
            "hall_id": hall_id,
            "rows": rows,
            "methods": PaymentMethod.choices,
            "method_totals": method_totals,
            "grand_total": grand_total,
            "query": request.GET.urlencode(),
        },
    )


def _header():
    return [
        str(label)
        for label in [
            _("Hall"),
            _("Cashier"),
            *[label for _value, label in PaymentMethod.choices],
            _("Total"),
            _("Payments"),
            _("Ledger days"),
            _("Deposited"),
            _("Over (长款)"),
            _("Short (短款)"),
        ]
    ]


def _line(row):
    return [
        row.hall,
        row.cashier,
        *row.amounts(),
        row.total,
        row.payments,
        row.days,
        row.deposited,
        row.over,
        row.short,
    ]


@require_roles(*SUMMARY_ROLES)
def ledger_monthly_export(request, fmt):
    """The monthly summary as CSV (UTF-8 with BOM, opens in Excel) or XLSX."""
    _halls, first, _hall_id, rows = _summary(request)
    name = f"cash-ledgers-{first:%Y-%m}"
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv.writer(buffer)
        writer.writerow(_header())
        for row in rows:
            writer.writerow([f"{v:.2f}" if hasattr(v, "quantize") else v for v in _line(row)])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Cash ledgers %(month)s") % {"month": f"{first:%Y-%m}"})
    sheet.append(_header())
    for row in rows:
        sheet.append(_line(row))
    output = io.BytesIO()
    workbook.save(output)
    response = HttpResponse(output.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
