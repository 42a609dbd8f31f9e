"""The books of the exchange with the billing system: every sum that must hold between bills,
prepaid balances, payments, channel payments and their movements, whatever happened."""

from collections import defaultdict
from decimal import Decimal

from billing.models import (
    Account,
    Bill,
    ChannelPayment,
    Movement,
    MovementKind,
    MovementLine,
    Payment,
    PaymentKind,
)

ZERO = Decimal("0.00")


def total(queryset, field="amount") -> Decimal:
    """The exact sum of a decimal column: added in Python, since SQLite sums in floating point
    (its SUM of 1.55 + 0.09 - 1.55 is 0.0900000000000001)."""
    return sum(queryset.values_list(field, flat=True), ZERO)


def money_in() -> Decimal:
    """Counter payments and channel payments received, less the reversals (negative rows)."""
    return total(Payment.objects) + total(ChannelPayment.objects)


def books_balance():
    """Every sum the billing system relies on; fails with the one that does not add up."""
    received = money_in()
    paid = total(Bill.objects, "amount_paid")
    prepaid = total(Account.objects, "prepaid_balance")
    # A correction moves amounts due, not money: its prepaid change stays in `prepaid` and its
    # lines in `paid`, so they are taken out of both sides' money.
    corrections = Movement.objects.filter(kind=MovementKind.CORRECTION)
    corrected_paid = total(MovementLine.objects.filter(movement__kind=MovementKind.CORRECTION))
    corrected_prepaid = total(corrections, "prepaid_change")
    assert paid - corrected_paid + prepaid - corrected_prepaid == received, "bills + prepaid"

    money = Movement.objects.exclude(kind=MovementKind.CORRECTION)
    counter = total(Payment.objects.filter(kind=PaymentKind.PAYMENT))
    reversals = total(Payment.objects.filter(kind=PaymentKind.REVERSAL))
    channel = total(ChannelPayment.objects)
    assert total(money) == counter + channel + reversals, (
        "movements = payments + channel − reversals"
    )
    # One movement per counter payment, reversal and channel payment.
    assert money.filter(payment__isnull=False).count() == Payment.objects.count()
    assert money.filter(channel_payment__isnull=False).count() == ChannelPayment.objects.count()

    lines = defaultdict(Decimal)
    line_totals = defaultdict(Decimal)
    for bill_id, movement_id, amount in MovementLine.objects.values_list(
        "bill", "movement", "amount"
    ):
        lines[bill_id] += amount
        line_totals[movement_id] += amount
    for bill in Bill.objects.all():
        assert lines[bill.pk] == bill.amount_paid, f"lines of bill {bill.period}"
    changes = defaultdict(Decimal)
    for account_id, change in Movement.objects.values_list("account", "prepaid_change"):
        changes[account_id] += change
    for account in Account.objects.all():
        assert changes[account.pk] == account.prepaid_balance, account.account_no
    for movement in money:
        # Every yuan of a movement went to a bill or to (from) the prepaid balance.
        assert line_totals[movement.pk] + movement.prepaid_change == movement.amount, movement
    seqs = list(Movement.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1)), "sequence numbers without gaps"
    return received
