"""The follow-up of a possible double payment (channel_payment_follow_up): once, with a note,
by the lead of the hall where the account last paid (any lead when none), or the center."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from billing.models import ChannelPayment
from billing.services.channels import (
    ChannelPaymentInput,
    channel_payment_follow_up,
    channel_payments_record,
)
from staff.core.audit import history_for

from .factories import account_with_bills

pytestmark = pytest.mark.django_db


def _channel(account, reference, amount="30.00"):
    [recorded] = channel_payments_record(
        [
            ChannelPaymentInput(
                "wechat",
                reference,
                account.account_no,
                Decimal(amount),
                timezone.now() - timedelta(minutes=5),
            )
        ]
    )
    return recorded.payment


@pytest.fixture
def double_in_a(world, pay):
    account = account_with_bills("30.00", created_at=None)
    pay(account, "30.00")
    return _channel(account, "WX-A")


def test_a_double_paid_at_a_counter_is_for_the_lead_of_that_hall(world, double_in_a):
    assert double_in_a.possible_double
    assert double_in_a.follow_up_hall == world.hall_a


def test_the_hall_lead_follows_up_once_and_it_is_audited(world, double_in_a, english):
    done = channel_payment_follow_up(
        actor=world.shift_lead, payment=double_in_a, note=" called, kept as prepaid "
    )
    assert done.follow_up_note == "called, kept as prepaid"
    assert done.followed_up_by == world.shift_lead
    entry = history_for(done)[0]
    assert entry.action == "billing.channel_payment.follow_up"

    with pytest.raises(ValidationError, match="already followed up"):
        channel_payment_follow_up(actor=world.shift_lead, payment=double_in_a, note="again")
    assert ChannelPayment.objects.get(pk=double_in_a.pk).follow_up_note == (
        "called, kept as prepaid"
    )


def test_a_note_is_required(world, double_in_a):
    with pytest.raises(ValidationError) as refused:
        channel_payment_follow_up(actor=world.shift_lead, payment=double_in_a, note="   ")
    assert "note" in refused.value.error_dict
    assert ChannelPayment.objects.get(pk=double_in_a.pk).followed_up_at is None


def test_a_payment_that_settled_bills_is_not_followed_up(world, english):
    account = account_with_bills("30.00", created_at=None)
    payment = _channel(account, "WX-OK")
    with pytest.raises(ValidationError, match="not a possible double"):
        channel_payment_follow_up(actor=world.office, payment=payment, note="x")


def test_the_lead_of_another_hall_and_a_cashier_cannot_follow_up(world, double_in_a, english):
    for user in (world.other_lead, world.cashier):
        with pytest.raises(ValidationError, match="Only the shift lead"):
            channel_payment_follow_up(actor=user, payment=double_in_a, note="x")
    assert ChannelPayment.objects.get(pk=double_in_a.pk).followed_up_at is None


def test_a_double_of_no_hall_is_any_leads_and_the_office_may_follow_up(world):
    account = account_with_bills("10.00", created_at=None)
    _channel(account, "FIRST", "10.00")
    double = _channel(account, "SECOND", "10.00")
    assert double.possible_double and double.follow_up_hall is None
    channel_payment_follow_up(actor=world.other_lead, payment=double, note="已联系")
    double_a = _channel(account, "THIRD", "10.00")
    channel_payment_follow_up(actor=world.office, payment=double_a, note="已联系")
