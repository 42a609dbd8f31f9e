"""The monthly summary of the cash ledgers per hall, cashier and method, and its downloads."""

from django.shortcuts import render
from django.utils import timezone

from staff.core.access import halls_for, require_roles
from staff.core.calendar import month_end
from staff.core.tabular import table_response

from .. import exports, rules
from ..forms import MonthlySummaryForm
from ..models import PaymentMethod
from ..money import ZERO
from ..selectors import ledger as ledger_selectors
from ..selectors import reports as selectors


def _summary(request):
    halls = list(halls_for(request.user))
    first, hall_id = MonthlySummaryForm(request.GET, halls=halls).chosen(timezone.localdate())
    last = month_end(first)
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
    # The form as it was understood: the month and hall the summary shows.
    form = MonthlySummaryForm(initial={"month": first, "hall": hall_id}, halls=halls)
    return render(
        request,
        "billing/reports/monthly.html",
        {
            "form": form,
            "halls": halls,
            "month": first,
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
