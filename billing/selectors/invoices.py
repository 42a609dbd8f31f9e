"""Reads of the invoice stock: ranges, what became of each number, who may hold a range."""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from staff.core.access import Role, get_for_user

from ..models import InvoiceNumberStatus, InvoiceRange, InvoiceRangeStatus
from .scope import scoped


def invoice_ranges_for(user) -> QuerySet[InvoiceRange]:
    return scoped(InvoiceRange.objects.select_related("cashier__employee", "hall"), user)


def active_ranges(cashier) -> QuerySet[InvoiceRange]:
    """The cashier's active invoice range (one at most): the counter takes its numbers from it,
    the counter page and the home page show what is left of it."""
    return InvoiceRange.objects.filter(cashier=cashier, status=InvoiceRangeStatus.ACTIVE)


def active_range_of(user) -> InvoiceRange | None:
    return active_ranges(user).first()


def invoice_stock_low(invoices_left: int) -> bool:
    """Whether the cashier should be warned to requisition new invoices."""
    return invoices_left < settings.BILLING_INVOICE_LOW_STOCK


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


def cashier_users(hall_ids):
    """Users who may hold an invoice range: cashiers and shift leads of the given halls."""
    users = (
        get_user_model()
        .objects.filter(
            groups__name__in=[Role.CASHIER, Role.SHIFT_LEAD],
            employee__hall__isnull=False,
            employee__is_active=True,
            is_active=True,
        )
        .select_related("employee__hall")
        .distinct()
        .order_by("employee__hall__sort_order", "employee__employee_no")
    )
    if hall_ids is not None:
        users = users.filter(employee__hall_id__in=hall_ids)
    return users
