"""Reads of the cash ledgers: scoped lookups and the figures derived from payments.

Money is summed in whole fen (ROUND(amount * 100)): PostgreSQL sums numerics exactly anyway,
but SQLite stores decimals as floating point and its SUM drifts, so ten thousand payments of
0.10 would not come to exactly 1000.00 there.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from staff.core.access import get_for_user

from ..models import CashLedger, Deposit, LedgerState, Payment, PaymentMethod
from ..money import ZERO, fen_sum, from_fen
from .scope import scoped


def ledgers_for(user) -> QuerySet[CashLedger]:
    """Cashiers: their own ledgers; shift leads: their hall's; director and office: all."""
    return scoped(CashLedger.objects.select_related("hall", "cashier__employee"), user)


def get_ledger_for(user, pk) -> CashLedger:
    return get_for_user(ledgers_for(user), pk=pk)


def day_ledgers(*, cashier_id, hall_id, business_date) -> QuerySet[CashLedger]:
    """The cashier's ledger of a day in a hall (one at most): the row a payment or a void locks
    (billing.services.ledger.ledger_lock_for_posting), and what the counter and the payment
    page read to tell whether that day still takes payments and voids."""
    return CashLedger.objects.filter(
        cashier_id=cashier_id, hall_id=hall_id, business_date=business_date
    )


def day_submitted(*, cashier_id, hall_id, business_date) -> QuerySet[CashLedger]:
    """`day_ledgers` once submitted: no more payments or voids of that day."""
    return day_ledgers(cashier_id=cashier_id, hall_id=hall_id, business_date=business_date).exclude(
        state=LedgerState.OPEN
    )


# --- The blind count ------------------------------------------------------------------------
#
# While a ledger is open, its own cashier (a shift lead keeping a ledger too) is shown neither
# its cash takings nor a figure they follow from: expected cash, cash carried out, what a
# deposit should be or how far one is from it. The cashier counts the drawer and deposits what
# they counted; the shift lead sees the differences. Payments stay visible one by one.


def is_blind(user, ledger: CashLedger) -> bool:
    return ledger.cashier_id == user.pk and ledger.state == LedgerState.OPEN


def open_days_of(user) -> list[tuple[int, date]]:
    """(hall id, business date) of the user's own ledgers still open: the days blind to them."""
    if not user.is_authenticated:
        return []
    return list(
        CashLedger.objects.filter(cashier_id=user.pk, state=LedgerState.OPEN)
        .order_by()
        .values_list("hall_id", "business_date")
    )


def blind_payments(user, days=None) -> Q | None:
    """The payments no total shown to `user` may include: their own, of a day whose ledger is
    still open (`days` from `open_days_of`). None when there are none."""
    days = open_days_of(user) if days is None else days
    if not days:
        return None
    on_open_day = Q()
    for hall_id, business_date in days:
        on_open_day |= Q(hall_id=hall_id, business_date=business_date)
    return Q(cashier_id=user.pk) & on_open_day


def carried_in_is_blind(ledger: CashLedger) -> bool:
    """Whether the ledger's carried-in cash came from a ledger still open: it is that day's cash
    takings less its deposits, so it is blind as long as that day is."""
    previous = previous_ledger(
        cashier_id=ledger.cashier_id, hall_id=ledger.hall_id, business_date=ledger.business_date
    )
    return previous is not None and previous.state == LedgerState.OPEN


def ledger_payments(ledger: CashLedger) -> QuerySet[Payment]:
    return Payment.objects.filter(
        cashier_id=ledger.cashier_id, business_date=ledger.business_date, hall_id=ledger.hall_id
    )


def takings_by_method(ledger: CashLedger, *, before: datetime | None = None) -> dict[str, Decimal]:
    """Net takings (payments less reversals) of the ledger by method, in yuan."""
    payments = ledger_payments(ledger)
    if before is not None:
        payments = payments.filter(created_at__lte=before)
    rows = payments.order_by().values("method").annotate(fen=fen_sum())
    return {row["method"]: from_fen(row["fen"]) for row in rows}


def deposits_total(ledger: CashLedger, *, before: datetime | None = None) -> Decimal:
    deposits = Deposit.objects.filter(ledger=ledger)
    if before is not None:
        deposits = deposits.filter(deposited_at__lte=before)
    return from_fen(deposits.aggregate(fen=fen_sum())["fen"])


@dataclass
class LedgerFigures:
    """Everything the ledger page shows, computed live for an open ledger."""

    ledger: CashLedger
    by_method: dict[str, Decimal]
    deposited: Decimal
    deposits: list = field(default_factory=list)

    @property
    def cash_takings(self) -> Decimal:
        return self.by_method.get(PaymentMethod.CASH, ZERO)

    @property
    def non_cash(self) -> list[tuple[str, str, Decimal]]:
        return [
            (method, label, self.by_method[method])
            for method, label in PaymentMethod.choices
            if method != PaymentMethod.CASH and method in self.by_method
        ]

    @property
    def non_cash_total(self) -> Decimal:
        return sum((amount for _m, _l, amount in self.non_cash), start=ZERO)

    @property
    def carried_out(self) -> Decimal:
        """Cash taken after the last deposit (and carried-in cash not yet deposited)."""
        return self.ledger.carried_in + self.cash_takings - self.deposited

    @property
    def expected_cash(self) -> Decimal:
        return self.ledger.opening_float + self.carried_out

    @property
    def deposit_difference(self) -> Decimal | None:
        return deposit_difference(self.deposits)


def deposit_difference(deposits) -> Decimal | None:
    """How far the deposits were from the cash they should have taken to the bank: the last
    deposit's difference (deposits are entered in time order, and each one's "should be" counts
    the earlier ones, so the last carries every earlier shortfall or excess). None without any.
    """
    if not deposits:
        return None
    last = max(deposits, key=lambda d: (d.deposited_at, d.pk))
    return last.amount - last.expected_amount


def ledger_figures(ledger: CashLedger) -> LedgerFigures:
    """Three queries: takings by method, deposits with their people."""
    deposits = list(
        Deposit.objects.filter(ledger=ledger).select_related("depositor", "escort", "recorded_by")
    )
    return LedgerFigures(
        ledger=ledger,
        by_method=takings_by_method(ledger),
        deposited=sum((d.amount for d in deposits), start=ZERO),
        deposits=deposits,
    )


def carry_out_of(ledger: CashLedger) -> Decimal:
    """The cash a ledger hands to the cashier's next day: frozen once submitted."""
    if ledger.state != LedgerState.OPEN and ledger.carried_out is not None:
        return ledger.carried_out
    cash = takings_by_method(ledger).get(PaymentMethod.CASH, ZERO)
    return ledger.carried_in + cash - deposits_total(ledger)


def default_float(hall) -> Decimal:
    by_hall = settings.BILLING_LEDGER_FLOAT_BY_HALL
    return Decimal(by_hall.get(hall.code, settings.BILLING_LEDGER_FLOAT_DEFAULT)).quantize(
        Decimal("0.01")
    )


def previous_ledger(*, cashier_id: int, hall_id: int, business_date: date) -> CashLedger | None:
    return (
        CashLedger.objects.filter(
            cashier_id=cashier_id, hall_id=hall_id, business_date__lt=business_date
        )
        .order_by("-business_date")
        .first()
    )


# --- Warnings on the home page --------------------------------------------------------------

# Delayed deposits are looked for in this many past days (keeps the home page cheap).
DELAY_WINDOW_DAYS = 31


def overdue_ledger_counts(user, today: date) -> dict[str, int]:
    """Ledgers of past days still open (not submitted) or submitted but not verified."""
    rows = (
        ledgers_for(user)
        .filter(business_date__lt=today)
        .exclude(state=LedgerState.VERIFIED)
        .order_by()
        .values("state")
        .annotate(n=Count("id"))
    )
    return {row["state"]: row["n"] for row in rows}


def delayed_deposits(user, today: date) -> list[dict]:
    """Cash carried out of a day and not deposited on the hall's next working day.

    The next working day of a hall is the next date on which it kept any ledger; the cash is
    deposited in time when the cashier's ledger of that day has deposits covering its
    carried-in cash. Three queries for the whole window.
    """
    from datetime import timedelta

    start = today - timedelta(days=DELAY_WINDOW_DAYS)
    ledgers = list(
        ledgers_for(user)
        .filter(business_date__gte=start, business_date__lt=today)
        .order_by()
        .values("pk", "hall_id", "cashier_id", "business_date", "carried_out", "carried_in")
    )
    deposited = {
        row["ledger_id"]: from_fen(row["fen"])
        for row in Deposit.objects.filter(ledger_id__in=[ledger["pk"] for ledger in ledgers])
        .order_by()
        .values("ledger_id")
        .annotate(fen=fen_sum())
    }
    # Days the hall worked, including today (the next working day may be today: not late yet).
    worked: dict[int, set[date]] = {}
    by_key = {}
    for ledger in ledgers:
        worked.setdefault(ledger["hall_id"], set()).add(ledger["business_date"])
        by_key[(ledger["hall_id"], ledger["cashier_id"], ledger["business_date"])] = ledger
    for hall_id in worked:
        worked[hall_id].add(today)
    delayed = []
    for ledger in ledgers:
        carried = ledger["carried_out"]
        if not carried or carried <= 0:
            continue
        later = sorted(d for d in worked[ledger["hall_id"]] if d > ledger["business_date"])
        if not later or later[0] >= today:
            continue
        next_ledger = by_key.get((ledger["hall_id"], ledger["cashier_id"], later[0]))
        if next_ledger is None or deposited.get(next_ledger["pk"], ZERO) < carried:
            delayed.append({**ledger, "due": later[0]})
    return delayed
