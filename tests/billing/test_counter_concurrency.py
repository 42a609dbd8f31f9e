"""Real threads against PostgreSQL: row locks, not luck, keep the money right."""

import threading
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum

from billing.models import Bill, BillStatus, InvoiceNumber, Payment, PaymentLine
from billing.selectors.invoices import invoice_range_summary
from billing.services import counter as counter_services
from billing.services import invoices as invoice_services
from tests.billing.factories import InvoiceRangeFactory, account_with_bills

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL (set DATABASE_URL)")


def _run_at_once(jobs):
    """Run the callables in threads released together; return their results or exceptions."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait()
            results[index] = job()
        except Exception as exc:  # noqa: BLE001 - reported to the test
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _cash(cashier, account, amount, token=None):
    amount = Decimal(amount)
    return lambda: counter_services.payment_post(
        cashier=cashier,
        account_id=account.pk,
        amount=amount,
        method="cash",
        tendered=amount,
        form_token=token,
    )


def test_two_cashiers_paying_one_account_never_settle_a_bill_twice(world):
    account = account_with_bills("30.00", "40.00")
    InvoiceRangeFactory(cashier=world.cashier)
    InvoiceRangeFactory(cashier=world.cashier2)

    results = _run_at_once(
        [_cash(world.cashier, account, "70.00"), _cash(world.cashier2, account, "70.00")]
    )

    assert not [r for r in results if isinstance(r, Exception)]
    for bill in Bill.objects.filter(account=account):
        settled = PaymentLine.objects.filter(bill=bill).aggregate(total=Sum("amount"))["total"]
        assert bill.status == BillStatus.PAID
        assert settled == bill.amount_due == bill.amount_paid
    account.refresh_from_db()
    assert account.prepaid_balance == Decimal("70.00")


def test_the_same_form_posted_twice_at_once_makes_one_payment(world):
    account = account_with_bills("30.00")
    InvoiceRangeFactory(cashier=world.cashier)
    token = uuid.uuid4()

    results = _run_at_once([_cash(world.cashier, account, "30.00", token)] * 2)

    assert not [r for r in results if isinstance(r, Exception)]
    assert {r.payment.pk for r in results} == {Payment.objects.get().pk}
    assert InvoiceNumber.objects.count() == 1
    assert Bill.objects.get().amount_paid == Decimal("30.00")


def test_many_posts_at_once_leave_no_gap_and_no_duplicate_invoice(world):
    accounts = [account_with_bills("10.00") for _ in range(4)]
    ranges = [InvoiceRangeFactory(cashier=c) for c in (world.cashier, world.cashier2)]
    jobs = [
        _cash(cashier, account, "5.00")
        for account in accounts
        for cashier in (world.cashier, world.cashier2)
        for _ in range(2)
    ]

    results = _run_at_once(jobs)

    assert not [r for r in results if isinstance(r, Exception)]
    for invoice_range in ranges:
        invoice_range.refresh_from_db()
        summary = invoice_range_summary(invoice_range)
        assert summary.anomalies == []
        assert len(summary.issued) == 8
    for account in accounts:
        assert Bill.objects.get(account=account).amount_paid == Decimal("10.00")


def test_overlapping_ranges_issued_at_once_are_refused_but_one(world):
    from django.core.exceptions import ValidationError

    from billing.models import InvoiceRange

    def issue(cashier, first):
        return lambda: invoice_services.invoice_range_issue(
            actor=world.shift_lead,
            cashier=cashier,
            invoice_code="0420",
            first_no=first,
            last_no=first + 100,
        )

    results = _run_at_once([issue(world.cashier, 1), issue(world.cashier2, 50)])

    assert sum(isinstance(r, ValidationError) for r in results) == 1
    assert InvoiceRange.objects.filter(invoice_code="0420").count() == 1


def test_a_roster_change_in_progress_does_not_hold_up_the_counter(world):
    """Roster, leave, duty and safety changes lock the hall's row to take turns; the payment's
    foreign key to the hall only needs KEY SHARE on it, which that lock must not block."""
    import time

    from django.db import transaction

    from staff.core.locks import lock_hall

    InvoiceRangeFactory(cashier=world.cashier)
    account = account_with_bills()
    locked = threading.Event()

    def roster_save():
        try:
            with transaction.atomic():
                lock_hall(world.hall_a.pk)
                locked.set()
                time.sleep(1.0)
        finally:
            connection.close()

    holder = threading.Thread(target=roster_save)
    holder.start()
    assert locked.wait(5)
    started = time.monotonic()
    try:
        _cash(world.cashier, account, "5.00")()
        took = time.monotonic() - started
    finally:
        holder.join()
        connection.close()

    assert took < 0.5, f"the payment waited {took:.2f} s for the roster change"
