"""Reads of the hall day (营业日): every ledger of a hall and date with its figures."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.http import Http404

from staff.core.access import get_for_user, halls_for

from ..models import (
    SETTLED_METHODS,
    CashLedger,
    Deposit,
    HallDay,
    LedgerState,
    Payment,
    PaymentMethod,
)
from ..money import ZERO, fen_sum, from_fen
from .ledger import carried_in_is_blind, deposit_difference, is_blind


@dataclass
class LedgerRow:
    ledger: CashLedger
    by_method: dict[str, Decimal]
    deposited: Decimal
    deposit_count: int
    # How far the deposits were from the cash taken before them (None without a deposit).
    deposit_difference: Decimal | None = None
    # The viewer's own open ledger (a shift lead's): its cash figures are not shown.
    blind: bool = False
    blind_carried_in: bool = False

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

    @property
    def missing_settlements(self) -> list[SettlementCheck]:
        """Channels with takings and no settlement total entered (缺少)."""
        return [check for check in self.settlements if check.flagged and check.settled is None]

    @property
    def blind(self) -> bool:
        """The viewer's own ledger of the day is open: the hall's cash totals would give away
        its cash (less the other rows), so they are not shown either."""
        return any(row.blind for row in self.rows)

    @property
    def blind_carried_in(self) -> bool:
        return any(row.blind_carried_in for row in self.rows)

    @property
    def remarks(self) -> list[LedgerRow]:
        """Ledgers with something for the lead to read: no deposit, a variance explained."""
        return [
            row for row in self.rows if row.ledger.no_deposit_reason or row.ledger.variance_note
        ]


def hall_day_summary(hall, business_date: date, viewer=None) -> HallDaySummary:
    """Every ledger of a hall day with its takings and deposits: five queries, whatever size
    (one more when the `viewer`'s own ledger of the day is open: it is shown blind)."""
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
    # A few deposits per ledger: their amounts and what they should have been, summed here.
    deposits: dict[int, list[Deposit]] = {}
    for deposit in (
        Deposit.objects.filter(ledger__hall=hall, ledger__business_date=business_date)
        .order_by()
        .only("ledger_id", "amount", "expected_amount", "deposited_at")
    ):
        deposits.setdefault(deposit.ledger_id, []).append(deposit)
    ledger_rows = []
    for ledger in ledgers:
        own = deposits.get(ledger.pk, [])
        blind = viewer is not None and is_blind(viewer, ledger)
        ledger_rows.append(
            LedgerRow(
                ledger=ledger,
                by_method=takings.get(ledger.cashier_id, {}),
                deposited=sum((d.amount for d in own), start=ZERO),
                deposit_count=len(own),
                deposit_difference=deposit_difference(own),
                blind=blind,
                blind_carried_in=blind and carried_in_is_blind(ledger),
            )
        )
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


def get_hall_day_for(user, hall_pk, day: str):
    """(hall, business date) of a hall-day URL, or 404 for a hall out of scope or a bad date."""
    hall = get_for_user(halls_for(user), pk=hall_pk)
    try:
        return hall, date.fromisoformat(day)
    except ValueError as exc:
        raise Http404 from exc
