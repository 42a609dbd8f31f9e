"""Reads of the counter, each starting from what the user may see (staff.core.access)."""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.core.access import Role, employee_of, get_for_user, has_role, is_center_wide

from . import counter_queries
from .ledger_selectors import fen_sum, from_fen
from .models import (
    Account,
    Bill,
    CashLedger,
    InvoiceNumberStatus,
    InvoiceRange,
    InvoiceRangeStatus,
    LedgerState,
    Payment,
    PaymentKind,
    PaymentMethod,
    VoidRequest,
    VoidStatus,
)
from .money import ascii_digits

SEARCH_LIMIT = 20


def _scope(queryset: QuerySet, user, *, hall="hall", own="cashier") -> QuerySet:
    """Director and office: everything; shift lead: their hall; cashier: their own rows."""
    if is_center_wide(user):
        return queryset
    employee = employee_of(user)
    if employee is None or employee.hall_id is None or not employee.is_active:
        return queryset.none()
    if has_role(user, Role.SHIFT_LEAD):
        return queryset.filter(**{f"{hall}_id": employee.hall_id})
    if has_role(user, Role.CASHIER):
        return queryset.filter(**{own: user})
    return queryset.none()


# --- Accounts and bills ----------------------------------------------------------------------


def counter_lookup(query: str):
    """(account, its open bills oldest first, other matches) for what the cashier typed: the
    account whose number it is, or else up to 20 by name, address or phone (one is taken)."""
    query = (query or "").strip()
    if not query:
        return None, [], []
    # Numbers typed with a Chinese input method come in full-width (１００１): the account
    # numbers and phones are stored with ASCII digits.
    number = ascii_digits(query)
    exact, bills = counter_queries.account_with_open_bills(number)
    if exact is not None:
        return exact, bills, []
    text = Q(name__icontains=query) | Q(address__icontains=query)
    if number != query:
        text |= Q(address__icontains=number)
    matches = list(
        Account.objects.filter(text | Q(phone__startswith=number)).order_by("account_no")[
            :SEARCH_LIMIT
        ]
    )
    if len(matches) == 1:
        return matches[0], open_bills(matches[0]), []
    return None, [], matches


def open_bills(account: Account) -> list[Bill]:
    return counter_queries.open_bills(account.pk)


# --- Payments ----------------------------------------------------------------------------------


def payments_for(user) -> QuerySet[Payment]:
    return _scope(Payment.objects.all(), user).select_related(
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


# --- Voids ---------------------------------------------------------------------------------------


def void_blocked_reason(payment: Payment) -> str | None:
    """Why the day of `payment` no longer allows its void, or None.

    The checks of services._ensure_voidable that depend on the day, read without locks, so
    the payment page shows the void form disabled with its reason instead of a request that
    is bound to fail. The ledger is the one the service locks: the cashier's current hall's.
    """
    if payment.business_date != timezone.localdate():
        return _("Only payments of today's business day can be voided.")
    employee = employee_of(payment.cashier)
    hall_id = employee.hall_id if employee is not None and employee.hall_id else payment.hall_id
    submitted = (
        CashLedger.objects.filter(
            cashier_id=payment.cashier_id, hall_id=hall_id, business_date=payment.business_date
        )
        .exclude(state=LedgerState.OPEN)
        .exists()
    )
    if submitted:
        return _("The cash ledger of %(date)s is already submitted: no more payments or voids.") % {
            "date": payment.business_date
        }
    return None


def void_requests_for(user) -> QuerySet[VoidRequest]:
    queryset = VoidRequest.objects.select_related(
        "payment__account", "payment__cashier__employee", "requested_by__employee", "decided_by"
    )
    return _scope(queryset, user, hall="payment__hall", own="payment__cashier")


def pending_voids_for(user) -> QuerySet[VoidRequest]:
    return void_requests_for(user).filter(status=VoidStatus.PENDING)


def get_void_for(user, pk) -> VoidRequest:
    return get_for_user(void_requests_for(user), pk=pk)


# --- Invoice stock ------------------------------------------------------------------------------


def invoice_ranges_for(user) -> QuerySet[InvoiceRange]:
    return _scope(InvoiceRange.objects.select_related("cashier__employee", "hall"), user)


def active_range_of(user) -> InvoiceRange | None:
    """The cashier's active invoice range (the counter reads it with its day's state in
    counter_queries.cashier_counter_state)."""
    return InvoiceRange.objects.filter(cashier=user, status=InvoiceRangeStatus.ACTIVE).first()


@dataclass
class RangeSummary:
    """Every number of a range is issued, voided or returned; anything else is an anomaly."""

    invoice_range: InvoiceRange
    issued: list[int] = field(default_factory=list)
    voided: list[tuple[int, str]] = field(default_factory=list)
    returned: tuple[int, int] | None = None
    unused: tuple[int, int] | None = None
    anomalies: list[str] = field(default_factory=list)

    @property
    def issued_spans(self) -> list[str]:
        """Issued numbers as runs: ["00000001–00000040", "00000042"]."""
        runs, start, previous = [], None, None
        for number in [*self.issued, None]:
            if number is not None and previous is not None and number == previous + 1:
                previous = number
                continue
            if start is not None:
                fmt = InvoiceRange.format_no
                runs.append(fmt(start) if start == previous else f"{fmt(start)}–{fmt(previous)}")
            start = previous = number
        return runs


def invoice_range_summary(invoice_range: InvoiceRange) -> RangeSummary:
    summary = RangeSummary(invoice_range=invoice_range)
    seen = set()
    rows = invoice_range.numbers.order_by("number").values_list("number", "status", "reason")
    for number, status, reason in rows:
        if number in seen:
            summary.anomalies.append(f"duplicate {number}")
        seen.add(number)
        if not invoice_range.first_no <= number < invoice_range.next_no:
            summary.anomalies.append(f"outside {number}")
        if status == InvoiceNumberStatus.ISSUED:
            summary.issued.append(number)
        else:
            summary.voided.append((number, reason))
    missing = set(range(invoice_range.first_no, invoice_range.next_no)) - seen
    summary.anomalies += [f"gap {number}" for number in sorted(missing)]
    if invoice_range.next_no <= invoice_range.last_no:
        span = (invoice_range.next_no, invoice_range.last_no)
        if invoice_range.returned_from is not None:
            summary.returned = span
        else:
            summary.unused = span
    return summary


def get_invoice_range_for(user, pk) -> InvoiceRange:
    return get_for_user(invoice_ranges_for(user), pk=pk)
