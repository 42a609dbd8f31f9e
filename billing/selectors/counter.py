"""Reads of the counter: the account looked up with its open bills, and the cashier's state
(invoice range, whether the day is closed) that the counter page shows whatever the account."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, Prefetch, Q, QuerySet

from staff.core.access import employee_of

from ..models import Account, Bill, BillStatus, InvoiceRange
from ..money import ascii_digits
from .invoices import active_ranges
from .ledger import day_submitted

SEARCH_LIMIT = 20


def _open_bills() -> QuerySet[Bill]:
    """Bills not fully paid, oldest period first (the order a payment settles them in)."""
    return Bill.objects.exclude(status=BillStatus.PAID).order_by("period")


def counter_lookup(query: str):
    """(account, its open bills oldest first, other matches) for what the cashier typed: the
    account whose number it is, or else up to 20 by name, address or phone (one is taken).
    Two queries for an account number."""
    query = (query or "").strip()
    if not query:
        return None, [], []
    # Numbers typed with a Chinese input method come in full-width (１００１): the account
    # numbers and phones are stored with ASCII digits.
    number = ascii_digits(query)
    exact = (
        Account.objects.filter(account_no=number)
        .prefetch_related(Prefetch("bills", queryset=_open_bills(), to_attr="open_bills"))
        .first()
    )
    if exact is not None:
        return exact, exact.open_bills, []
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
    return list(_open_bills().filter(account=account))


@dataclass(frozen=True)
class CounterState:
    """What the counter shows about the cashier whatever account is on it."""

    invoice_range: InvoiceRange | None
    # The cashier's ledger of the day, in their current hall (the one posting locks), is
    # submitted: no more payments today.
    day_submitted: bool


def counter_state(user, business_date: date) -> CounterState:
    """One query while the cashier holds an invoice range (the day's state rides along)."""
    employee = employee_of(user)
    submitted = day_submitted(
        cashier_id=user.pk,
        hall_id=employee.hall_id if employee else None,
        business_date=business_date,
    )
    invoice_range = active_ranges(user).annotate(day_submitted=Exists(submitted)).first()
    if invoice_range is None:
        return CounterState(invoice_range=None, day_submitted=submitted.exists())
    return CounterState(invoice_range=invoice_range, day_submitted=invoice_range.day_submitted)
