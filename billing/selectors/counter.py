"""Reads of the counter: the account looked up and its open bills."""

from django.db.models import Q

from .. import counter_queries
from ..models import Account, Bill
from ..money import ascii_digits

SEARCH_LIMIT = 20


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
