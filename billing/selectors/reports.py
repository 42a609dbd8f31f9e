"""The monthly summary of the cash ledgers per hall, cashier and method."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count

from ..models import Deposit, Payment, PaymentMethod
from ..money import ZERO, fen_sum, from_fen
from .ledger import blind_payments, ledgers_for
from .scope import scoped


@dataclass
class MonthlyRow:
    hall: str
    cashier: str
    by_method: dict[str, Decimal] = field(default_factory=dict)
    payments: int = 0
    days: int = 0
    deposited: Decimal = ZERO
    over: Decimal = ZERO
    short: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return sum(self.by_method.values(), start=ZERO)

    def amounts(self) -> list[Decimal]:
        return [self.by_method.get(method, ZERO) for method in PaymentMethod.values]


def monthly_summary(
    user, first: date, last: date, hall_id: int | None = None, blind_days=()
) -> list[MonthlyRow]:
    """Takings per hall, cashier and method, with ledger days, deposits and variances.

    Three grouped queries over the month, however many payments (the payment_hall_day index).
    `blind_days` (billing.selectors.ledger.open_days_of): the user's own days still open, whose
    payments are left out: a month's total less the days already shown would give away their cash.
    """
    payments = scoped(Payment.objects.all(), user).filter(business_date__range=(first, last))
    blind = blind_payments(user, list(blind_days))
    if blind is not None:
        payments = payments.exclude(blind)
    ledgers = ledgers_for(user).filter(business_date__range=(first, last))
    if hall_id is not None:
        payments = payments.filter(hall_id=hall_id)
        ledgers = ledgers.filter(hall_id=hall_id)
    rows: dict[tuple[int, int], MonthlyRow] = {}

    def row_for(hall_id, hall, cashier_id, cashier):
        key = (hall_id, cashier_id)
        if key not in rows:
            rows[key] = MonthlyRow(hall=hall, cashier=cashier or "")
        return rows[key]

    for item in (
        payments.order_by()
        .values("hall_id", "hall__name", "cashier_id", "cashier__employee__name", "method")
        .annotate(fen=fen_sum(), n=Count("id"))
    ):
        row = row_for(
            item["hall_id"], item["hall__name"], item["cashier_id"], item["cashier__employee__name"]
        )
        row.by_method[item["method"]] = from_fen(item["fen"])
        row.payments += item["n"]
    for ledger in ledgers.order_by().values(
        "hall_id",
        "hall__name",
        "cashier_id",
        "cashier__employee__name",
        "variance",
        "recounted_cash",
        "expected_cash",
    ):
        row = row_for(
            ledger["hall_id"],
            ledger["hall__name"],
            ledger["cashier_id"],
            ledger["cashier__employee__name"],
        )
        row.days += 1
        variance = ledger["variance"]
        if ledger["recounted_cash"] is not None:
            variance = ledger["recounted_cash"] - ledger["expected_cash"]
        if variance and variance > 0:
            row.over += variance
        elif variance and variance < 0:
            row.short += variance
    deposits = Deposit.objects.filter(ledger__in=ledgers.values("pk")).order_by()
    for item in deposits.values("ledger__hall_id", "ledger__cashier_id").annotate(fen=fen_sum()):
        row = rows.get((item["ledger__hall_id"], item["ledger__cashier_id"]))
        if row is not None:
            row.deposited += from_fen(item["fen"])
    return sorted(rows.values(), key=lambda r: (r.hall, r.cashier))
