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
    """A bill correction as its service will write it (the corrections branch owns the service):
    the amount due changed; on a paid bill, what was paid above the new amount goes to prepaid.
    The movement carries new − old amount due, the change of the bill's amount paid as its
    line and the prepaid added."""
    from django.db import transaction

    from billing.models import Account, BillCorrection, BillStatus, MovementKind
    from billing.services.movements import MovementDraft, movement_record

    new_amount_due = Decimal(new_amount_due)
    with transaction.atomic():
        old_due, old_paid = bill.amount_due, bill.amount_paid
        new_paid = min(old_paid, new_amount_due)
        prepaid = old_paid - new_paid
        record = BillCorrection.objects.create(
            bill=bill,
            old_amount_due=old_due,
            new_amount_due=new_amount_due,
            old_amount_paid=old_paid,
            new_amount_paid=new_paid,
            prepaid_added=prepaid,
            corrected_by=actor,
            corrected_at=timezone.now(),
        )
        bill.amount_due, bill.amount_paid = new_amount_due, new_paid
        bill.status = (
            BillStatus.PAID
            if new_paid == new_amount_due
            else BillStatus.PARTLY_PAID
            if new_paid
            else BillStatus.UNPAID
        )
        bill.save(update_fields=["amount_due", "amount_paid", "status"])
        if prepaid:
            account = Account.objects.get(pk=bill.account_id)
            account.prepaid_balance += prepaid
            account.save(update_fields=["prepaid_balance"])
        movement_record(
            MovementDraft(
                kind=MovementKind.CORRECTION,
                account_id=bill.account_id,
                amount=new_amount_due - old_due,
                business_date=timezone.localdate(),
                occurred_at=timezone.now(),
                prepaid_change=prepaid,
                correction_id=record.pk,
                lines=[(bill, new_paid - old_paid)] if new_paid != old_paid else [],
            )
        )
    return record
