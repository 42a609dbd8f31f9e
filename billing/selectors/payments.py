"""Reads of payments: the scoped lists, a payment with its lines, totals and the counter's speed."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from staff.core.access import get_for_user

from ..models import Payment, PaymentKind, PaymentMethod
from ..money import fen_sum, from_fen
from .scope import scoped


def payments_for(user) -> QuerySet[Payment]:
    return scoped(Payment.objects.all(), user).select_related(
        "account", "hall", "cashier__employee", "invoice", "reversal"
    )


def get_payment_for(user, pk) -> Payment:
    return get_for_user(payments_for(user).select_related("reverses__invoice"), pk=pk)


def payment_lines(payment: Payment):
    return list(payment.lines.select_related("bill").order_by("bill__period"))


def payment_totals_by_method(
    queryset: QuerySet[Payment], *, hide_cash: bool = False
) -> list[tuple[str, Decimal | None, int]]:
    """(method label, sum, rows) per method, reversals included so voids net to zero.

    Summed in whole fen: SQLite's SUM over its floating-point decimals drifts. `hide_cash`: the
    cash sum is None (the blind count: the rows hold the viewer's own cash of a day whose ledger
    is still open).
    """
    labels = dict(PaymentMethod.choices)
    rows = (
        queryset.order_by()
        .values("method")
        .annotate(fen=fen_sum(), count=Count("id"))
        .order_by("method")
    )
    return [
        (
            labels.get(r["method"], r["method"]),
            None if hide_cash and r["method"] == PaymentMethod.CASH else from_fen(r["fen"]),
            r["count"],
        )
        for r in rows
    ]


# 单笔收费1分钟办理完结: one payment is finished within one minute.
PAYMENT_PROMISE = timedelta(minutes=1)


@dataclass(frozen=True)
class CashierSpeed:
    """How many of a cashier's payments kept the one-minute promise, from lookup to post."""

    name: str
    payments: int
    timed: int
    within: int

    @property
    def share(self) -> int | None:
        """Percent of the timed payments within the minute, rounded down (99.6 is not 100)."""
        return self.within * 100 // self.timed if self.timed else None


def payment_speed_by_cashier(queryset: QuerySet[Payment]) -> list[CashierSpeed]:
    """Per cashier of `queryset` (a scoped payment list), the share of payments posted within
    a minute of the account's lookup, in one query. Reversals are not payments taken."""
    rows = (
        queryset.filter(kind=PaymentKind.PAYMENT)
        .order_by()
        .values("cashier_id", "cashier__username", "cashier__employee__name")
        .annotate(
            payments=Count("id"),
            timed=Count("id", filter=Q(handling_time__isnull=False)),
            within=Count("id", filter=Q(handling_time__lte=PAYMENT_PROMISE)),
        )
        .order_by("cashier__employee__name", "cashier_id")
    )
    return [
        CashierSpeed(
            name=row["cashier__employee__name"] or row["cashier__username"],
            payments=row["payments"],
            timed=row["timed"],
            within=row["within"],
        )
        for row in rows
    ]


def is_reversed(payment: Payment) -> bool:
    """Whether a reversal entry points at `payment` (uses select_related("reversal"))."""
    try:
        return payment.reversal is not None
    except Payment.reversal.RelatedObjectDoesNotExist:
        return False
