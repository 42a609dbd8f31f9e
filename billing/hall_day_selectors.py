"""Reads of the hall day (营业日): every ledger of a hall and date with its figures."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Count

from .ledger_selectors import fen_sum, from_fen
from .models import (
    SETTLED_METHODS,
    CashLedger,
    Deposit,
    HallDay,
    LedgerState,
    Payment,
    PaymentMethod,
)
from .money import ZERO


@dataclass
class LedgerRow:
    ledger: CashLedger
    by_method: dict[str, Decimal]
    deposited: Decimal
    deposit_count: int

    @property
    def cash_takings(self) -> Decimal:
        return self.by_method.get(PaymentMethod.CASH, ZERO)

    @property
    def non_cash_total(self) -> Decimal:
        return sum((a for m, a in self.by_method.items() if m != PaymentMethod.CASH), start=ZERO)

    @property
    def carried_out(self) -> Decimal:
        if self.ledger.carried_out is not None:
            return self.ledger.carried_out
        return self.ledger.carried_in + self.cash_takings - self.deposited


@dataclass
class SettlementCheck:
    method: str
    label: str
    takings: Decimal
    settled: Decimal | None

    @property
    def difference(self) -> Decimal | None:
        return None if self.settled is None else self.settled - self.takings

    @property
    def flagged(self) -> bool:
        tolerance = Decimal(settings.BILLING_SETTLEMENT_TOLERANCE)
        if self.settled is None:
            return self.takings != 0
        return abs(self.difference) > tolerance


@dataclass
class HallDaySummary:
    hall: object
    business_date: date
    hall_day: object
    rows: list[LedgerRow]
    totals: dict[str, Decimal]
    settlements: list[SettlementCheck]

    @property
    def method_totals(self) -> list[tuple[str, str, Decimal]]:
        return [
            (m, label, self.totals[m]) for m, label in PaymentMethod.choices if m in self.totals
        ]

    @property
    def unverified(self) -> list[LedgerRow]:
        return [row for row in self.rows if row.ledger.state != LedgerState.VERIFIED]

    @property
    def all_verified(self) -> bool:
        return bool(self.rows) and not self.unverified

    @property
    def with_variance(self) -> list[LedgerRow]:
        return [row for row in self.rows if row.ledger.final_variance]

    def total(self, attribute) -> Decimal:
        return sum((getattr(row, attribute) for row in self.rows), start=ZERO)

    @property
    def cash_takings(self) -> Decimal:
        return self.total("cash_takings")

    @property
    def deposited(self) -> Decimal:
        return self.total("deposited")

    @property
    def carried_out(self) -> Decimal:
        return self.total("carried_out")

    @property
    def carried_in(self) -> Decimal:
        return sum((row.ledger.carried_in for row in self.rows), start=ZERO)

    @property
    def non_cash_total(self) -> Decimal:
        return self.total("non_cash_total")

    @property
    def variance_total(self) -> Decimal:
        return sum((row.ledger.final_variance or ZERO for row in self.rows), start=ZERO)

    @property
    def other_methods(self) -> list[tuple[str, str, Decimal]]:
        """Non-cash methods without a settlement statement (bank transfer)."""
        return [
            (m, label, amount)
            for m, label, amount in self.method_totals
            if m != PaymentMethod.CASH and m not in SETTLED_METHODS
        ]

    @property
    def settlement_flags(self) -> list[SettlementCheck]:
        return [check for check in self.settlements if check.flagged]


def hall_day_summary(hall, business_date: date) -> HallDaySummary:
    """Every ledger of a hall day with its takings and deposits: five queries, whatever size."""
    ledgers = list(
        CashLedger.objects.filter(hall=hall, business_date=business_date)
        .select_related("cashier__employee", "verified_by__employee")
        .order_by("cashier__employee__name", "cashier_id")
    )
    takings: dict[int, dict[str, Decimal]] = {}
    rows = (
        Payment.objects.filter(hall=hall, business_date=business_date)
        .order_by()
        .values("cashier_id", "method")
        .annotate(fen=fen_sum())
    )
    for row in rows:
        takings.setdefault(row["cashier_id"], {})[row["method"]] = from_fen(row["fen"])
    deposits = {
        row["ledger_id"]: (from_fen(row["fen"]), row["n"])
        for row in Deposit.objects.filter(ledger__hall=hall, ledger__business_date=business_date)
        .order_by()
        .values("ledger_id")
        .annotate(fen=fen_sum(), n=Count("id"))
    }
    ledger_rows = [
        LedgerRow(
            ledger=ledger,
            by_method=takings.get(ledger.cashier_id, {}),
            deposited=deposits.get(ledger.pk, (ZERO, 0))[0],
            deposit_count=deposits.get(ledger.pk, (ZERO, 0))[1],
        )
        for ledger in ledgers
    ]
    totals: dict[str, Decimal] = {}
    for by_method in takings.values():
        for method, amount in by_method.items():
            totals[method] = totals.get(method, ZERO) + amount
    hall_day = (
        HallDay.objects.filter(hall=hall, business_date=business_date)
        .select_related("signed_by__employee")
        .prefetch_related("settlements")
        .first()
    )
    settled = {s.method: s.amount for s in hall_day.settlements.all()} if hall_day else {}
    labels = dict(PaymentMethod.choices)
    checks = [
        SettlementCheck(method, labels[method], totals.get(method, ZERO), settled.get(method))
        for method in SETTLED_METHODS
    ]
    return HallDaySummary(hall, business_date, hall_day, ledger_rows, totals, checks)


def hall_day_deposits(hall, business_date: date) -> list[Deposit]:
    return list(
        Deposit.objects.filter(ledger__hall=hall, ledger__business_date=business_date)
        .select_related("ledger__cashier__employee", "depositor", "escort")
        .order_by("deposited_at", "id")
    )
