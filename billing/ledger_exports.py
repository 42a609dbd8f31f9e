"""The monthly summary of the cash ledgers per hall, cashier and method; CSV and XLSX."""

from datetime import date
from decimal import Decimal

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.core.access import Role, halls_for, require_roles
from staff.core.calendar import month_end, month_start
from staff.core.tabular import Table, table_response

from . import hall_day_selectors, ledger_selectors, ledger_summary
from .models import PaymentMethod
from .money import ZERO

SUMMARY_ROLES = (Role.CASHIER, Role.SHIFT_LEAD, Role.DIRECTOR, Role.OFFICE)
CENT = Decimal("0.01")


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
    rows = ledger_summary.monthly_summary(request.user, first, last, hall_id, blind_days)
    return halls, first, hall_id, rows, blind_days


def _totals(rows):
    totals = dict.fromkeys(PaymentMethod.values, ZERO)
    for row in rows:
        for method, amount in row.by_method.items():
            totals[method] += amount
    return [totals[m] for m in PaymentMethod.values], sum(totals.values(), start=ZERO)


@require_roles(*SUMMARY_ROLES)
def ledger_monthly(request):
    halls, first, hall_id, rows, blind_days = _summary(request)
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
            "blind_days": sorted(day for _hall, day in blind_days),
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
            _("Number of payments"),
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


def _respond(name, header, lines, fmt, title):
    """CSV (UTF-8 with BOM) or XLSX of `header` and `lines`; money keeps its two places."""
    rows = [[v.quantize(CENT) if isinstance(v, Decimal) else v for v in line] for line in lines]
    return table_response(fmt, name, Table(header=header, rows=rows, sheet=title))


@require_roles(*SUMMARY_ROLES)
def ledger_monthly_export(request, fmt):
    """The monthly summary as CSV or XLSX."""
    _halls, first, _hall_id, rows, _blind = _summary(request)
    title = _("Cash ledgers %(month)s") % {"month": f"{first:%Y-%m}"}
    return _respond(f"cash-ledgers-{first:%Y-%m}", _header(), [_line(r) for r in rows], fmt, title)


@require_roles(Role.SHIFT_LEAD, Role.DIRECTOR, Role.OFFICE)
def hall_day_export(request, hall, day, fmt):
    """Every ledger of a hall day, one line each, as CSV or XLSX."""
    hall, business_date = ledger_selectors.get_hall_day_for(request.user, hall, day)
    summary = hall_day_selectors.hall_day_summary(hall, business_date, viewer=request.user)
    header = [
        str(label)
        for label in [
            _("Cashier"),
            _("State"),
            _("Opening float"),
            _("Carried in"),
            _("Cash takings"),
            *[label for value, label in PaymentMethod.choices if value != PaymentMethod.CASH],
            _("Deposited"),
            _("Deposit difference"),
            _("Carried out"),
            _("Counted"),
            _("Variance"),
            _("No deposit, because"),
        ]
    ]
    # The viewer's own open ledger stays blind here too: its cash cells are left empty.
    lines = [
        [
            row.ledger.cashier.employee.name,
            str(row.ledger.get_state_display()),
            row.ledger.opening_float,
            None if row.blind_carried_in else row.ledger.carried_in,
            None if row.blind else row.cash_takings,
            *[
                row.by_method.get(value, ZERO)
                for value in PaymentMethod.values
                if value != PaymentMethod.CASH
            ],
            row.deposited,
            None if row.blind else row.deposit_difference,
            None if row.blind else row.carried_out,
            row.ledger.counted_cash,
            row.ledger.final_variance,
            row.ledger.no_deposit_reason,
        ]
        for row in summary.rows
    ]
    title = f"{hall.name} {business_date.isoformat()}"
    return _respond(f"hall-day-{hall.code}-{business_date.isoformat()}", header, lines, fmt, title)
