"""Channel payments: settled oldest first like a counter payment, once per (channel, reference),
a payment that finds nothing to settle goes to prepaid as a possible double payment."""

from decimal import Decimal

import pytest
from django.utils import timezone

from billing.models import BillStatus, ChannelPayment, Movement, MovementKind
from billing.services.channels import (
    ChannelPaymentInput,
    ChannelPaymentsRefused,
    channel_payments_record,
)

from .factories import account_with_bills

pytestmark = pytest.mark.django_db


def _input(account, amount="30.00", reference="WX001", channel="wechat", **kwargs):
    return ChannelPaymentInput(
        channel=channel,
        reference=reference,
        account_no=account.account_no,
        amount=Decimal(amount),
        paid_at=kwargs.pop("paid_at", timezone.now()),
        **kwargs,
    )


def test_a_channel_payment_settles_the_oldest_bills_first_and_is_a_movement():
    account = account_with_bills("20.00", "30.00")
    [recorded] = channel_payments_record([_input(account, "35.00")])
    bills = list(account.bills.order_by("period"))
    assert [bill.status for bill in bills] == [BillStatus.PAID, BillStatus.PARTLY_PAID]
    assert bills[1].amount_paid == Decimal("15.00")
    assert recorded.created and not recorded.payment.possible_double
    movement = Movement.objects.get(channel_payment=recorded.payment)
    assert movement.kind == MovementKind.CHANNEL_PAYMENT
    assert movement.method == "wechat" and movement.reference == "WX001"
    assert [(line.period, line.amount) for line in movement.lines.all()] == [
        ("2026-01", Decimal("20.00")),
        ("2026-02", Decimal("15.00")),
    ]


def test_the_same_payment_reported_twice_is_one_payment():
    account = account_with_bills("30.00")
    item = _input(account)
    channel_payments_record([item])
    [again] = channel_payments_record([item])
    assert not again.created
    assert ChannelPayment.objects.count() == 1 == Movement.objects.count()


def test_a_reference_reused_for_another_amount_is_refused_and_nothing_written():
    account = account_with_bills("30.00")
    channel_payments_record([_input(account)])
    with pytest.raises(ChannelPaymentsRefused) as refused:
        channel_payments_record([_input(account, "31.00"), _input(account, reference="WX002")])
    assert [error.code for error in refused.value.errors] == ["reference_conflict"]
    assert ChannelPayment.objects.count() == 1


def test_a_payment_with_nothing_to_settle_goes_to_prepaid_as_a_possible_double():
    account = account_with_bills("30.00")
    channel_payments_record([_input(account, reference="A")])
    [second] = channel_payments_record([_input(account, reference="B")])
    account.refresh_from_db()
    assert second.payment.possible_double
    assert second.payment.prepaid_added == Decimal("30.00")
    assert account.prepaid_balance == Decimal("30.00")


def test_movements_are_numbered_in_commit_order_without_gaps():
    account = account_with_bills("10.00", "10.00", "10.00")
    channel_payments_record([_input(account, "5.00", reference=str(n)) for n in range(3)])
    channel_payments_record([_input(account, "5.00", reference="x")])
    assert list(Movement.objects.values_list("seq", flat=True)) == [1, 2, 3, 4]
