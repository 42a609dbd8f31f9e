import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from billing.models import (
    Account,
    AccountStatus,
    Bill,
    BillStatus,
    InvoiceNumber,
    Payment,
    PaymentLine,
)
from billing.services import counter as counter_services
from staff.models import AuditEntry
from tests.billing.factories import account_with_bills

pytestmark = pytest.mark.usefixtures("english")

D = Decimal


def _bills(account):
    return list(Bill.objects.filter(account=account).order_by("period"))


def test_it_settles_bills_oldest_first_and_leaves_a_part_payment(world, account, pay):
    payment = pay(account, "50.00")

    first, second, third = _bills(account)
    assert (first.status, first.amount_paid) == (BillStatus.PAID, D("30.00"))
    assert (second.status, second.amount_paid) == (BillStatus.PARTLY_PAID, D("20.00"))
    assert (third.status, third.amount_paid) == (BillStatus.UNPAID, D("0.00"))
    assert [(line.bill.period, line.amount) for line in payment.lines.all()] == [
        ("2026-01", D("30.00")),
        ("2026-02", D("20.00")),
    ]


def test_it_records_who_where_when_and_the_invoice(world, account, pay, ranges):
    payment = pay(account, "120.00", tendered="150.00")

    assert payment.cashier == world.cashier
    assert payment.hall == world.hall_a
    assert payment.business_date == timezone.localdate()
    assert (payment.tendered, payment.change) == (D("150.00"), D("30.00"))
    assert payment.invoice.number == ranges["cashier"].first_no
    assert AuditEntry.objects.filter(action="billing.payment.post", object_id=payment.pk).exists()


def test_overpayment_becomes_prepaid_balance(world, account, pay):
    payment = pay(account, "130.00")

    account.refresh_from_db()
    assert account.prepaid_balance == D("10.00")
    assert payment.prepaid_added == D("10.00")
    assert all(bill.status == BillStatus.PAID for bill in _bills(account))


def test_prepaid_balance_is_applied_before_new_money(world, pay):
    account = account_with_bills("30.00", "40.00", prepaid="25.00")

    payment = pay(account, "20.00")

    account.refresh_from_db()
    assert account.prepaid_balance == D("0.00")
    assert payment.prepaid_used == D("25.00")
    assert payment.prepaid_added == D("0.00")
    first, second = _bills(account)
    assert first.status == BillStatus.PAID
    assert second.amount_paid == D("15.00")


def test_prepaid_covering_everything_keeps_the_rest(world, pay):
    account = account_with_bills("30.00", prepaid="50.00")

    payment = pay(account, "5.00")

    account.refresh_from_db()
    assert account.prepaid_balance == D("25.00")
    assert (payment.prepaid_used, payment.prepaid_added) == (D("30.00"), D("5.00"))


def test_non_cash_payment_keeps_its_reference_and_no_change(world, account, pay):
    payment = pay(account, "30.00", method="wechat", reference="4200001234")

    assert (payment.tendered, payment.change, payment.reference) == (None, None, "4200001234")


@pytest.mark.parametrize(
    ("amount", "method", "tendered", "reference", "message"),
    [
        ("0.00", "cash", "0.00", "", "more than zero"),
        ("-5.00", "cash", "0.00", "", "more than zero"),
        ("1.234", "cash", "2.00", "", "two decimals"),
        ("100000.01", "cash", "100000.01", "", "ceiling"),
        ("50.00", "cash", "49.99", "", "less than the amount"),
        ("50.00", "cash", None, "", "cash tendered"),
        ("50.00", "bank_card", None, "  ", "reference number"),
        ("50.00", "alipay", None, "", "reference number"),
        ("50.00", "bitcoin", None, "x", "payment method"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(
    world, account, ranges, amount, method, tendered, reference, message
):
    with pytest.raises(ValidationError, match=message):
        counter_services.payment_post(
            cashier=world.cashier,
            account_id=account.pk,
            amount=D(amount),
            method=method,
            tendered=D(tendered) if tendered else None,
            reference=reference,
        )
    assert not Payment.objects.exists()
    assert not InvoiceNumber.objects.exists()


@override_settings(BILLING_PAYMENT_MAX="500.00")
def test_the_ceiling_comes_from_the_settings(world, account, ranges):
    with pytest.raises(ValidationError, match="500.00"):
        counter_services.payment_post(
            cashier=world.cashier,
            account_id=account.pk,
            amount=D("600.00"),
            method="cash",
            tendered=D("600.00"),
        )


def test_closed_and_unknown_accounts_are_refused(world, account, pay):
    Account.objects.filter(pk=account.pk).update(status=AccountStatus.CLOSED)
    with pytest.raises(ValidationError, match="closed"):
        pay(account, "10.00")
    account.pk = 999999
    with pytest.raises(ValidationError, match="does not exist"):
        pay(account, "10.00")
    assert not InvoiceNumber.objects.exists()


def test_posting_without_an_invoice_range_is_refused(world, account):
    with pytest.raises(ValidationError, match="no invoice range"):
        counter_services.payment_post(
            cashier=world.cashier,
            account_id=account.pk,
            amount=D("10.00"),
            method="cash",
            tendered=D("10.00"),
        )
    assert not Payment.objects.exists()


def test_a_resent_form_token_returns_the_first_payment(world, account, pay):
    token = uuid.uuid4()
    first = pay(account, "30.00", form_token=token)
    second = pay(account, "30.00", form_token=token)

    assert first.pk == second.pk
    assert Payment.objects.count() == 1
    assert PaymentLine.objects.count() == 1


def test_the_closed_day_seam_refuses_posting(world, account, ranges, monkeypatch):
    monkeypatch.setattr(counter_services, "cashier_day_open", lambda **kw: False)
    with pytest.raises(ValidationError, match="already submitted"):
        counter_services.payment_post(
            cashier=world.cashier,
            account_id=account.pk,
            amount=D("10.00"),
            method="cash",
            tendered=D("10.00"),
        )


def test_a_person_without_a_hall_cannot_post(world, account, ranges):
    with pytest.raises(ValidationError, match="cashier of a hall"):
        counter_services.payment_post(
            cashier=world.director,
            account_id=account.pk,
            amount=D("10.00"),
            method="cash",
            tendered=D("10.00"),
        )


def test_a_form_token_of_another_cashier_is_refused(world, account, pay):
    token = uuid.uuid4()
    pay(account, "30.00", form_token=token)

    with pytest.raises(ValidationError, match="another cashier"):
        pay(account, "30.00", form_token=token, cashier=world.cashier2)
    assert Payment.objects.count() == 1


def test_settled_bills_are_written_in_one_statement_with_their_new_state(world, pay):
    account = account_with_bills("30.00", "40.00", "50.00")

    with CaptureQueriesContext(connection) as captured:
        pay(account, "85.00")

    bill_updates = [
        q["sql"] for q in captured.captured_queries if q["sql"].startswith('UPDATE "billing_bill"')
    ]
    assert len(bill_updates) == 1
    bills = list(Bill.objects.filter(account=account).order_by("period"))
    assert [(b.amount_paid, b.status) for b in bills] == [
        (Decimal("30.00"), BillStatus.PAID),
        (Decimal("40.00"), BillStatus.PAID),
        (Decimal("15.00"), BillStatus.PARTLY_PAID),
    ]


def test_a_part_payment_leaves_the_later_bills_untouched(world, pay):
    account = account_with_bills("30.00", "40.00")

    pay(account, "10.00")

    first, second = Bill.objects.filter(account=account).order_by("period")
    assert (first.amount_paid, first.status) == (Decimal("10.00"), BillStatus.PARTLY_PAID)
    assert (second.amount_paid, second.status) == (Decimal("0.00"), BillStatus.UNPAID)
    account.refresh_from_db()
    assert account.prepaid_balance == Decimal("0.00")


def test_the_prepaid_balance_is_written_when_it_changes(world, pay):
    account = account_with_bills("30.00", prepaid="5.00")

    pay(account, "40.00")

    account.refresh_from_db()
    assert account.prepaid_balance == Decimal("15.00")  # 5 + 40 - 30
