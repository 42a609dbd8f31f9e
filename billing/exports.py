"""What each billing download (CSV, XLSX) holds: the payment list, the monthly summary of the cash
ledgers, the ledgers of a hall day, the bill corrections, the daily batch file of movements.
The writing is staff.core.tabular's, the one writer of every download; money keeps its two
places."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from staff.core.tabular import CsvEncodingError, Table, csv_encoded

from .models import PaymentMethod
from .money import CENT, ZERO, to_cents
from .selectors.movements import MovementDay, movement_day, movements_of_day
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


# --- Movements: the daily batch file ---------------------------------------------------------

# The columns are the API's movement fields (GET /api/v1/movements/), in its order and under its
# names, so a system reads the file and the feed alike. One row per movement, in sequence order;
# `lines` are the bills it settled (or corrected) as `period:amount` joined by `;`, periods
# ascending.
MOVEMENT_FILE_COLUMNS = [
    "id",
    "seq",
    "kind",
    "account_no",
    "amount",
    "method",
    "reference",
    "prepaid_change",
    "invoice_code",
    "invoice_number",
    "hall",
    "hall_name",
    "cashier_employee_no",
    "business_date",
    "occurred_at",
    "reverses",
    "lines",
    "channel",
    "paid_at",
    "old_amount_due",
    "new_amount_due",
]
MOVEMENT_FILE_ENCODINGS = ("utf-8", "gbk")


def _local_time(value) -> str:
    # As the API writes it (2026-11-30T10:15:00.123456+08:00): the same text for the same time.
    return timezone.localtime(value).isoformat() if value else ""


def _money(value):
    return None if value is None else value.quantize(CENT)


def _movement_row(movement) -> list:
    """A movement of `billing.selectors.movements.movements_of_day` (with its annotations)."""
    return [
        str(movement.public_id),
        movement.seq,
        movement.kind,
        movement.account_no,
        _money(movement.amount),
        movement.method,
        movement.reference,
        _money(movement.prepaid_change),
        movement.invoice_code,
        movement.invoice_number,
        movement.hall_code or "",
        movement.hall_name or "",
        movement.cashier_employee_no,
        movement.business_date.isoformat(),
        _local_time(movement.occurred_at),
        str(movement.reverses_public_id) if movement.reverses_public_id else "",
        ";".join(f"{line.period}:{line.amount.quantize(CENT)}" for line in movement.lines.all()),
        movement.channel or "",
        _local_time(movement.paid_at),
        _money(movement.old_amount_due),
        _money(movement.new_amount_due),
    ]


def movements_table(movements) -> Table:
    """The batch file's table of `movements` (an iterable in sequence order)."""
    return Table(header=MOVEMENT_FILE_COLUMNS, rows=(_movement_row(m) for m in movements))


class MovementFileRefused(ValueError):
    """The file cannot be written as asked; `message` says why, in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class MovementFile:
    day: MovementDay
    content: bytes

    @property
    def name(self) -> str:
        return self.day.file_name


def movement_file(business_date: date, encoding: str = "utf-8") -> MovementFile:
    """The batch file of a business date: every movement of that date, nothing else (no time of
    writing), so a closed day's file is the same bytes each time it is written. UTF-8 with a
    BOM, or GBK; a character GBK lacks refuses the file (`MovementFileRefused`) rather than
    changing a reference the other system matches on."""
    if encoding not in MOVEMENT_FILE_ENCODINGS:
        raise MovementFileRefused(
            _("Unknown encoding “%(encoding)s”: choose utf-8 or gbk.") % {"encoding": encoding}
        )
    # The state is read first: a day that closes while the rows are read is still called open.
    day = movement_day(business_date)
    movements = movements_of_day(business_date).iterator(chunk_size=2000)
    try:
        content = csv_encoded(movements_table(movements), encoding)
    except CsvEncodingError as error:
        raise MovementFileRefused(
            _(
                "Line %(line)s holds a character (%(character)s) that %(encoding)s cannot "
                "write: download the file in UTF-8."
            )
            % {"line": error.line, "character": error.character, "encoding": encoding.upper()}
        ) from error
    return MovementFile(day=day, content=content)


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
