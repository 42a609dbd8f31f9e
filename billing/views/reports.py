"""The monthly summary of the cash ledgers per hall, cashier and method, and its downloads."""

from datetime import date

from django.shortcuts import render
from django.utils import timezone

from staff.access import halls_for, require_roles
from staff.periods import month_end, month_start
from staff.tabular import table_response

from .. import exports, rules
from ..models import PaymentMethod
from ..money import ZERO
from ..selectors import ledger as ledger_selectors
from ..selectors import reports as selectors


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
    last = month_end(first)
    hall_id = _hall_id(request, halls)
    blind_days = [
        (hall, day)
        for hall, day in ledger_selectors.open_days_of(request.user)
        if first <= day <= last
    ]
    rows = selectors.monthly_summary(request.user, first, last, hall_id, blind_days)
    return halls, first, hall_id, rows, blind_days


def _totals(rows):
    totals = dict.fromkeys(PaymentMethod.values, ZERO)
    for row in rows:
        for method, amount in row.by_method.items():
            totals[method] += amount
    return [totals[m] for m in PaymentMethod.values], sum(totals.values(), start=ZERO)


@require_roles(*rules.PAYMENT_ROLES)
def ledger_monthly(request):
    halls, first, hall_id, rows, blind_days = _summary(request)
    method_totals, grand_total = _totals(rows)
    return render(
        request,
        "billing/reports/monthly.html",
        {
            "halls": halls,
            "month": first,
            "hall_id": hall_id,
            "rows": rows,
            "methods": PaymentMethod.choices,
            "method_totals": method_totals,
            "grand_total": grand_total,
            "query": request.GET.urlencode(),
            "blind_days": sorted(day for _hall, day in blind_days),
        },
    )


@require_roles(*rules.PAYMENT_ROLES)
def ledger_monthly_export(request, fmt):
    """The monthly summary as CSV or XLSX."""
    _halls, first, _hall_id, rows, _blind = _summary(request)
    table = exports.monthly_summary_table(rows, first)
    return table_response(fmt, f"cash-ledgers-{first:%Y-%m}", table)
