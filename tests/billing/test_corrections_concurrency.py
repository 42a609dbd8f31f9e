"""Real threads against PostgreSQL: a correction (更正) racing a counter payment or a void on the
same bill waits for the account's lock, and the money still balances."""

from decimal import Decimal

import pytest
from django.db import connection

from billing.bills_file import CorrectionRow
from billing.models import Account, Bill, Movement, Payment
from billing.services import voids as void_services
from billing.services.corrections import bill_corrections_apply, bill_status
from tests.billing.factories import InvoiceRangeFactory, account_with_bills
from tests.billing.test_counter_concurrency import _cash, _run_at_once

pytestmark = pytest.mark.django_db(transaction=True)

D = Decimal


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL (set DATABASE_URL)")


def _correct(actor, account, amount):
    return lambda: bill_corrections_apply(
        actor=actor,
        rows=[CorrectionRow(account.account_no, "2026-01", D(amount))],
        source_file="更正.csv",
    )


def _balanced(account):
    account.refresh_from_db()
    received = sum(Payment.objects.filter(account=account).values_list("amount", flat=True))
    bills = list(Bill.objects.filter(account=account))
    assert sum(b.amount_paid for b in bills) + account.prepaid_balance == received
    for bill in bills:
        assert D("0") <= bill.amount_paid <= bill.amount_due
        assert bill.status == bill_status(bill)


def test_correction_racing_a_counter_payment_on_the_same_bill_keeps_the_money(world):
    InvoiceRangeFactory(cashier=world.cashier)
    for _round in range(3):
        account = account_with_bills("30.00")

        results = _run_at_once(
            [_cash(world.cashier, account, "30.00"), _correct(world.office, account, "12.00")]
        )

        assert not [r for r in results if isinstance(r, Exception)], results
        bill = Bill.objects.get(account=account)
        assert (bill.amount_due, bill.amount_paid) == (D("12.00"), D("12.00"))
        _balanced(account)
        assert Account.objects.get(pk=account.pk).prepaid_balance == D("18.00")
    seqs = list(Movement.objects.values_list("seq", flat=True))
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)


def test_correction_racing_a_void_of_the_bill_s_payment_keeps_the_money(world):
    InvoiceRangeFactory(cashier=world.cashier)
    account = account_with_bills("30.00")
    payment = _cash(world.cashier, account, "30.00")().payment
    request = void_services.void_request(actor=world.cashier, payment=payment, reason="错收")

    results = _run_at_once(
        [
            lambda: void_services.void_approve(lead=world.shift_lead, void=request),
            _correct(world.office, account, "10.00"),
        ]
    )

    assert not [r for r in results if isinstance(r, Exception)], results
    bill = Bill.objects.get(account=account)
    assert (bill.amount_due, bill.amount_paid) == (D("10.00"), D("0.00"))
    _balanced(account)
    assert Account.objects.get(pk=account.pk).prepaid_balance == D("0.00")
