"""Real threads against PostgreSQL: a channel payment racing a counter payment on the same bill
settles it once; the rest goes to prepaid, the sums balance, movement numbers have no gap."""

from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from billing.models import Bill, BillStatus, ChannelPayment, Movement, MovementLine, Payment
from billing.services.channels import ChannelPaymentInput, channel_payments_record
from tests.billing.factories import InvoiceRangeFactory, account_with_bills
from tests.billing.test_counter_concurrency import _cash, _postgres_only, _run_at_once  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def _channel(account, amount, reference):
    item = ChannelPaymentInput(
        channel="wechat",
        reference=reference,
        account_no=account.account_no,
        amount=Decimal(amount),
        paid_at=timezone.now(),
    )
    return lambda: channel_payments_record([item])


def _assert_balanced(accounts):
    for account in accounts:
        account.refresh_from_db()
        received = (
            Payment.objects.filter(account=account).aggregate(total=Sum("amount"))["total"]
            or Decimal(0)
        ) + (
            ChannelPayment.objects.filter(account=account).aggregate(total=Sum("amount"))["total"]
            or Decimal(0)
        )
        paid = Bill.objects.filter(account=account).aggregate(total=Sum("amount_paid"))["total"]
        assert received == paid + account.prepaid_balance
        moved = Movement.objects.filter(account=account).aggregate(
            amount=Sum("amount"), prepaid=Sum("prepaid_change")
        )
        assert moved["amount"] == received
        assert moved["prepaid"] == account.prepaid_balance
        for bill in Bill.objects.filter(account=account):
            lines = MovementLine.objects.filter(bill=bill).aggregate(total=Sum("amount"))["total"]
            assert (lines or Decimal(0)) == bill.amount_paid <= bill.amount_due
    seqs = list(Movement.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))


def test_a_channel_payment_racing_a_counter_payment_settles_the_bill_once(world):
    account = account_with_bills("30.00", created_at=None)
    InvoiceRangeFactory(cashier=world.cashier)

    results = _run_at_once(
        [_cash(world.cashier, account, "30.00"), _channel(account, "30.00", "R1")]
    )

    assert not [r for r in results if isinstance(r, Exception)], results
    bill = Bill.objects.get(account=account)
    assert bill.status == BillStatus.PAID and bill.amount_paid == Decimal("30.00")
    account.refresh_from_db()
    assert account.prepaid_balance == Decimal("30.00")
    # Whichever came second found nothing to settle: a channel payment that did is a double.
    channel = ChannelPayment.objects.get()
    counter = Payment.objects.get()
    assert channel.possible_double == (channel.prepaid_added == Decimal("30.00"))
    assert channel.prepaid_added + counter.prepaid_added == Decimal("30.00")
    _assert_balanced([account])


def test_many_channel_and_counter_payments_at_once_keep_every_sum(world):
    accounts = [account_with_bills("20.00", "20.00", created_at=None) for _ in range(3)]
    InvoiceRangeFactory(cashier=world.cashier)
    InvoiceRangeFactory(cashier=world.cashier2)
    jobs = []
    for n, account in enumerate(accounts):
        jobs += [
            _cash(world.cashier, account, "15.00"),
            _cash(world.cashier2, account, "15.00"),
            _channel(account, "15.00", f"A{n}"),
            _channel(account, "15.00", f"B{n}"),
        ]

    results = _run_at_once(jobs)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert Movement.objects.count() == 12
    _assert_balanced(accounts)
    for account in accounts:
        assert account.prepaid_balance == Decimal("20.00")
