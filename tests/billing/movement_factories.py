"""A day of movements through the real services: counter payments in two halls, a void, channel
payments; and a clock moved forward, for reading a day once it is over."""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from functools import partial
from unittest import mock

from django.utils import timezone

from billing.models import HallDay, Payment
from billing.services import counter as counter_services
from billing.services import voids as void_services
from billing.services.channels import ChannelPaymentInput, channel_payments_record
from tests.billing.factories import InvoiceRangeFactory, account_with_bills


@dataclass
class DayOfMovements:
    wechat_account: object  # paid at the counter, partly voided, then by WeChat
    other_account: object  # paid in hall B
    voided: Payment
    business_date: object


def pay(cashier, account, amount, method="cash", reference=""):
    """A counter payment; a large overpayment is confirmed, as the cashier's second Enter."""
    amount = Decimal(amount)
    post = partial(
        counter_services.payment_post,
        cashier=cashier,
        account_id=account.pk,
        amount=amount,
        method=method,
        tendered=amount if method == "cash" else None,
        reference=reference,
    )
    try:
        return post().payment
    except counter_services.OverpayNotConfirmed as refusal:
        return post(prepaid_confirmed=refusal.prepaid).payment


def channel_pay(account, amount, reference, channel="wechat", paid_at=None):
    [recorded] = channel_payments_record(
        [
            ChannelPaymentInput(
                channel=channel,
                reference=reference,
                account_no=account.account_no,
                amount=Decimal(amount),
                paid_at=paid_at or timezone.now(),
            )
        ]
    )
    return recorded.payment


def void(world, payment):
    request = void_services.void_request(actor=payment.cashier, payment=payment, reason="收错户")
    return void_services.void_approve(lead=world.shift_lead, void=request)


def day_of_movements(world) -> DayOfMovements:
    """Today: hall A takes cash and a WeChat payment (with a Chinese reference) and voids one;
    hall B takes one; WeChat 生活缴费 reports a payment that settles the rest."""
    for cashier in (world.cashier, world.other_cashier):
        InvoiceRangeFactory(cashier=cashier)
    account = account_with_bills("30.00", "40.00", "50.00")
    other = account_with_bills("25.50")
    pay(world.cashier, account, "30.00")
    voided = pay(world.cashier, account, "12.34")
    pay(world.cashier, account, "40.00", method="wechat", reference="微信转账0001")
    void(world, voided)
    pay(world.other_cashier, other, "25.50", method="bank_card", reference="POS-778")
    channel_pay(account, "60.00", "WX20261130001")
    return DayOfMovements(account, other, voided, timezone.localdate())


def sign_hall_day(hall, business_date, lead):
    """The hall day signed (its ledgers' verification is the hall-day tests' business)."""
    hall_day, _created = HallDay.objects.get_or_create(hall=hall, business_date=business_date)
    hall_day.signed_by, hall_day.signed_at = lead, timezone.now()
    hall_day.save(update_fields=["signed_by", "signed_at"])
    return hall_day


@contextmanager
def clock_moved(days=1, hours=0):
    """timezone.now() (and so localdate()) `days` and `hours` later, for code that reads it."""
    later = timezone.now() + timedelta(days=days, hours=hours)
    with mock.patch("django.utils.timezone.now", return_value=later):
        yield later


def correction(actor, bill, new_amount_due):
    """A bill correction (更正) through the corrections service, as a corrections file makes it."""
    from billing.bills_file import CorrectionRow
    from billing.services.corrections import bill_corrections_apply

    applied = bill_corrections_apply(
        actor=actor,
        rows=[CorrectionRow(bill.account.account_no, bill.period, Decimal(new_amount_due))],
        source_file="corrections.csv",
    )
    return applied.corrections[0]
