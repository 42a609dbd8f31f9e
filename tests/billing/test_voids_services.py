import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from billing.models import (
    Bill,
    BillStatus,
    InvoiceNumberStatus,
    Payment,
    PaymentKind,
    VoidStatus,
)
from billing.services import counter as counter_services
from billing.services import voids as void_services
from tests.billing.factories import account_with_bills
from tests.billing.ledger_factories import at

pytestmark = pytest.mark.usefixtures("english")

D = Decimal


def test_approved_void_posts_a_reversal_reopens_bills_and_voids_the_invoice(world, account, pay):
    payment = pay(account, "130.00")
    request = void_services.void_request(actor=world.cashier, payment=payment, reason="户号输错")

    reversal = void_services.void_approve(lead=world.shift_lead, void=request)

    assert reversal.kind == PaymentKind.REVERSAL
    assert reversal.reverses == payment
    assert (reversal.amount, reversal.prepaid_added) == (D("-130.00"), D("-10.00"))
    assert reversal.cashier == world.cashier
    assert all(b.status == BillStatus.UNPAID for b in Bill.objects.filter(account=account))
    account.refresh_from_db()
    assert account.prepaid_balance == D("0.00")
    payment.invoice.refresh_from_db()
    assert payment.invoice.status == InvoiceNumberStatus.VOIDED
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (VoidStatus.APPROVED, world.shift_lead)
    # The day's takings are a plain sum over the rows.
    total = sum(p.amount for p in Payment.objects.filter(cashier=world.cashier))
    assert total == D("0.00")


def test_void_restores_the_prepaid_balance_that_was_used(world, pay):
    account = account_with_bills("30.00", prepaid="20.00")
    payment = pay(account, "10.00")
    request = void_services.void_request(actor=world.cashier, payment=payment, reason="错收")

    void_services.void_approve(lead=world.shift_lead, void=request)

    account.refresh_from_db()
    assert account.prepaid_balance == D("20.00")
    assert Bill.objects.get(account=account).amount_paid == D("0.00")


def test_partly_paid_bill_stays_partly_paid_after_voiding_a_later_payment(world, account, pay):
    pay(account, "10.00")
    second = pay(account, "10.00")
    request = void_services.void_request(actor=world.cashier, payment=second, reason="重复")
    void_services.void_approve(lead=world.shift_lead, void=request)

    first_bill = Bill.objects.filter(account=account).order_by("period").first()
    assert (first_bill.amount_paid, first_bill.status) == (D("10.00"), BillStatus.PARTLY_PAID)


def test_rejected_void_changes_nothing(world, account, pay):
    payment = pay(account, "30.00")
    request = void_services.void_request(actor=world.cashier, payment=payment, reason="试试")

    void_services.void_reject(lead=world.shift_lead, void=request, note="无需作废")

    request.refresh_from_db()
    assert request.status == VoidStatus.REJECTED
    assert not Payment.objects.filter(kind=PaymentKind.REVERSAL).exists()
    # A new request may follow a rejected one.
    void_services.void_request(actor=world.cashier, payment=payment, reason="确实错了")


def test_a_lead_cannot_approve_a_void_of_their_own_payment(world, account, pay):
    payment = pay(account, "30.00", cashier=world.shift_lead)
    request = void_services.void_request(actor=world.shift_lead, payment=payment, reason="错收")

    with pytest.raises(ValidationError, match="your own"):
        void_services.void_approve(lead=world.shift_lead, void=request)
    assert not Payment.objects.filter(kind=PaymentKind.REVERSAL).exists()


def test_other_halls_lead_and_cashiers_cannot_decide(world, account, pay):
    payment = pay(account, "30.00")
    request = void_services.void_request(actor=world.cashier, payment=payment, reason="错收")

    with pytest.raises(ValidationError, match="payment's hall"):
        void_services.void_approve(lead=world.other_lead, void=request)
    with pytest.raises(ValidationError, match="shift lead"):
        void_services.void_approve(lead=world.cashier2, void=request)


def test_only_the_payments_cashier_may_request_its_void(world, account, pay):
    payment = pay(account, "30.00")
    with pytest.raises(ValidationError, match="your own"):
        void_services.void_request(actor=world.cashier2, payment=payment, reason="x")


def test_void_of_another_business_day_is_refused(world, account, pay):
    # Posted on a past day: payments are never moved afterwards (append-only on PostgreSQL).
    payment = pay(account, "30.00", now=at(datetime.date(2020, 1, 1), 10))
    with pytest.raises(ValidationError, match="today"):
        void_services.void_request(actor=world.cashier, payment=payment, reason="x")


def test_void_after_the_day_is_submitted_is_refused(world, account, pay, monkeypatch):
    payment = pay(account, "30.00")
    request = void_services.void_request(actor=world.cashier, payment=payment, reason="x")
    monkeypatch.setattr(counter_services, "cashier_day_open", lambda **kw: False)
    with pytest.raises(ValidationError, match="already submitted"):
        void_services.void_approve(lead=world.shift_lead, void=request)


def test_void_needs_a_reason_and_happens_once(world, account, pay):
    payment = pay(account, "30.00")
    with pytest.raises(ValidationError, match="reason"):
        void_services.void_request(actor=world.cashier, payment=payment, reason="")
    request = void_services.void_request(actor=world.cashier, payment=payment, reason="x")
    with pytest.raises(ValidationError, match="already waiting"):
        void_services.void_request(actor=world.cashier, payment=payment, reason="x")
    void_services.void_approve(lead=world.shift_lead, void=request)
    with pytest.raises(ValidationError, match="already voided"):
        void_services.void_request(actor=world.cashier, payment=payment, reason="x")


def test_void_is_refused_when_its_prepaid_was_spent(world, pay):
    account = account_with_bills("30.00")
    payment = pay(account, "50.00")  # 20.00 to prepaid
    from tests.billing.factories import BillFactory

    BillFactory(account=account, period="2026-05", amount_due=D("20.00"))
    pay(account, "1.00")  # the 20.00 prepaid settles the new bill
    request = void_services.void_request(actor=world.cashier, payment=payment, reason="x")

    with pytest.raises(ValidationError, match="already spent"):
        void_services.void_approve(lead=world.shift_lead, void=request)
