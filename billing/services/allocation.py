"""How money reaches bills: the account's prepaid balance first, then the new money, onto the
oldest open bills; what is left becomes prepaid balance (预存). The same rule for a counter
payment and a channel payment."""

from dataclasses import dataclass
from decimal import Decimal

from ..models import Account, Bill, BillStatus


@dataclass(frozen=True)
class Allocation:
    settled: list  # (bill, part) with the bill's amount paid and status already moved
    prepaid_used: Decimal
    prepaid_added: Decimal
    balance: Decimal  # the account's prepaid balance afterwards

    @property
    def settled_nothing(self) -> bool:
        return not self.settled


def open_bills_locked(account_id: int):
    """The account's open bills, oldest first, locked (only the bill rows: the model's
    ordering by account would join, and lock, the account as well)."""
    return (
        Bill.objects.select_for_update(of=("self",))
        .filter(account_id=account_id)
        .exclude(status=BillStatus.PAID)
        .order_by("period")
    )


def allocate_oldest_first(bills, *, prepaid: Decimal, amount: Decimal) -> Allocation:
    """Spread `prepaid` + `amount` over `bills` (open, oldest first); moves the bills in memory."""
    remaining = prepaid + amount
    settled = []
    for bill in bills:
        part = min(bill.amount_open, remaining)
        if part <= 0:
            continue
        bill.amount_paid += part
        bill.status = (
            BillStatus.PAID if bill.amount_paid == bill.amount_due else BillStatus.PARTLY_PAID
        )
        settled.append((bill, part))
        remaining -= part
        if remaining <= 0:
            break
    applied = prepaid + amount - remaining
    prepaid_used = min(prepaid, applied)
    return Allocation(
        settled=settled,
        prepaid_used=prepaid_used,
        prepaid_added=amount - (applied - prepaid_used),
        balance=remaining,
    )


def allocation_write(account: Account, allocation: Allocation) -> None:
    """Write the settled bills and the new prepaid balance of a locked `account`."""
    if allocation.settled:
        Bill.objects.bulk_update(
            [bill for bill, _part in allocation.settled], ["amount_paid", "status"]
        )
    if allocation.balance != account.prepaid_balance:
        # Written as a value computed from the locked row: SQLite would do
        # F("prepaid_balance") + x in floating point (0.30 - 0.10 - 0.10 - 0.10 < 0 there,
        # against the balance's not-negative constraint).
        Account.objects.filter(pk=account.pk).update(prepaid_balance=allocation.balance)
        account.prepaid_balance = allocation.balance
