"""What each billing download (CSV, XLSX) holds: the payment list, the monthly summary of the cash
ledgers, the ledgers of a hall day, the bill corrections. The writing is staff.core.tabular's,
the one writer of every download; money keeps its two places."""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from staff.core.tabular import Table

from .models import PaymentMethod
from .money import CENT, ZERO, to_cents
from .selectors.payments import is_reversed

# --- Payments --------------------------------------------------------------------------------


def _payment_header():
    return [
        _("Time"),
        _("Business date"),
        _("Hall"),
        _("Cashier"),
        _("Account number"),
        _("Account name"),
        _("Kind"),
        _("Method"),
        _("Amount"),
        _("Cash tendered"),
        _("Change given"),
        _("Reference number"),
        _("Invoice number"),
        _("Voided"),
    ]


def _payment_row(payment):
    local = timezone.localtime(payment.created_at)
    return [
        local.strftime("%Y-%m-%d %H:%M:%S"),
        payment.business_date.isoformat(),
        payment.hall.name,
        payment.cashier.employee.name,
        payment.account.account_no,
        payment.account.name,
        payment.get_kind_display(),
        payment.get_method_display(),
        to_cents(payment.amount),
        payment.tendered,
        payment.change,
        payment.reference,
        payment.invoice.display if payment.invoice else "",
        _("yes") if is_reversed(payment) else "",
    ]


def payments_table(queryset) -> Table:
    """The payments of `queryset` one by one (read in chunks: a month of a hall is long)."""
    rows = (_payment_row(payment) for payment in queryset.iterator(chunk_size=2000))
    return Table(sheet=_("Payments"), header=_payment_header(), rows=rows)


# --- Monthly summary -------------------------------------------------------------------------


def _money_cells(lines):
    return [[v.quantize(CENT) if isinstance(v, Decimal) else v for v in line] for line in lines]


def monthly_summary_table(rows, first) -> Table:
    """The rows of `billing.selectors.reports.monthly_summary` for the month starting `first`."""
    header = [
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
    lines = [
        [
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
        for row in rows
    ]
    title = _("Cash ledgers %(month)s") % {"month": f"{first:%Y-%m}"}
    return Table(header=header, rows=_money_cells(lines), sheet=title)


# --- Hall day --------------------------------------------------------------------------------


def hall_day_table(hall, business_date, summary) -> Table:
    """Every ledger of a hall day (`billing.selectors.hall_day.hall_day_summary`), one line each.
    The viewer's own open ledger stays blind here too: its cash cells are left empty."""
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
    return Table(header=header, rows=_money_cells(lines), sheet=title)


# --- Bill corrections ------------------------------------------------------------------------


def corrections_table(queryset) -> Table:
    """Every correction of `queryset` (billing.selectors.corrections), one line each."""
    header = [
        str(label)
        for label in [
            _("Corrected at"),
            _("Account number"),
            _("Account name"),
            _("Period"),
            _("Old amount due"),
            _("New amount due"),
            _("Amount paid before"),
            _("Amount paid after"),
            _("Added to prepaid"),
            _("File"),
            _("Corrected by"),
        ]
    ]

    def line(correction):
        by = correction.corrected_by
        employee = getattr(by, "employee", None) if by is not None else None
        return [
            timezone.localtime(correction.corrected_at).strftime("%Y-%m-%d %H:%M:%S"),
            correction.bill.account.account_no,
            correction.bill.account.name,
            correction.bill.period,
            correction.old_amount_due,
            correction.new_amount_due,
            correction.old_amount_paid,
            correction.new_amount_paid,
            correction.prepaid_added,
            correction.source_file,
            employee.name if employee else (by.get_username() if by else ""),
        ]

    rows = (line(correction) for correction in queryset.iterator(chunk_size=2000))
    return Table(
        sheet=_("Bill corrections"),
        header=header,
        rows=([v.quantize(CENT) if isinstance(v, Decimal) else v for v in r] for r in rows),
    )
