"""A payment racing the blind close lands in the ledger before it closes, or is refused."""

import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from billing.models import CashLedger, HallDay, LedgerState, Payment
from billing.selectors.ledger import takings_by_method
from billing.services import hall_day as hall_day_services
from billing.services import ledger as ledger_services
from billing.services import voids as void_services
from tests.billing.factories import InvoiceRangeFactory, account_with_bills
from tests.billing.test_counter_concurrency import _cash, _run_at_once

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL (set DATABASE_URL)")


@pytest.mark.parametrize("position", [0, 4, 8])
def test_payments_racing_the_close_are_counted_once_or_refused(world, position):
    InvoiceRangeFactory(cashier=world.cashier)
    account = account_with_bills()
    ledger = ledger_services.ledger_open(cashier=world.cashier, opening_float="0.00")
    jobs = [_cash(world.cashier, account, f"{index + 1}.00") for index in range(8)]
    jobs.insert(
        position,
        lambda: ledger_services.ledger_submit(
            cashier=world.cashier,
            ledger=ledger,
            counts={},
            coins_total="0",
            no_deposit_reason="随次日资金入账",
        ),
    )
    results = _run_at_once(jobs)
    submitted = results.pop(position)
    assert isinstance(submitted, CashLedger), submitted
    posted = [r.payment for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert all(isinstance(r, ValidationError) for r in refused), refused
    assert len(posted) + len(refused) == 8
    stored = Payment.objects.filter(cashier=world.cashier, business_date=timezone.localdate())
    # Never lost: every accepted payment is stored; never twice: the frozen takings are
    # exactly the stored ones, and nothing was added after the close.
    assert sorted(p.pk for p in stored) == sorted(p.pk for p in posted)
    ledger.refresh_from_db()
    assert ledger.state == LedgerState.SUBMITTED
    total = sum((p.amount for p in posted), start=Decimal("0.00"))
    assert ledger.cash_takings == total
    assert takings_by_method(ledger).get("cash", Decimal("0.00")) == total
    assert all(p.created_at <= ledger.submitted_at for p in posted)


def test_first_payments_at_once_open_one_ledger(world):
    InvoiceRangeFactory(cashier=world.cashier)
    account = account_with_bills()
    results = _run_at_once([_cash(world.cashier, account, "1.00") for _ in range(4)])
    assert not [r for r in results if isinstance(r, Exception)], results
    ledger = CashLedger.objects.get(cashier=world.cashier)
    assert takings_by_method(ledger)["cash"] == Decimal("4.00")


def test_posting_locks_only_the_ledger_row(world):
    """FOR UPDATE over the ledger's default ordering would join and lock the hall row too:
    every counter of the hall would queue on it, and deadlock with deferred FK checks."""
    from django.db import transaction
    from django.test.utils import CaptureQueriesContext

    from billing.services.ledger import ledger_lock_for_posting

    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        ledger_lock_for_posting(cashier=world.cashier, business_date=timezone.localdate())
        ledger_lock_for_posting(cashier=world.cashier, business_date=timezone.localdate())
    locking = [q["sql"] for q in captured.captured_queries if "FOR UPDATE" in q["sql"]]
    ledger_locks = [sql for sql in locking if "billing_cashledger" in sql.split(" WHERE ")[0]]
    assert len(ledger_locks) == 3, "looked for, then created and locked; then locked"
    for sql in locking:
        assert "JOIN" not in sql, sql
    for sql in ledger_locks:
        assert "FROM billing_cashledger t WHERE" in sql or 'OF "billing_cashledger"' in sql, sql
    # Opening the ledger also locks the hall day (against a signature), only that once.
    assert sum("billing_hallday" in sql.split(" WHERE ")[0] for sql in locking) == 1


@pytest.mark.parametrize("round_", range(3))
def test_a_post_and_a_void_approval_at_once_do_not_deadlock(world, round_):
    """Both lock the account before the cashier's ledger."""

    InvoiceRangeFactory(cashier=world.cashier)
    account = account_with_bills("30.00")
    paid = _cash(world.cashier, account, "30.00")().payment
    request = void_services.void_request(actor=world.cashier, payment=paid, reason="错收")
    results = _run_at_once(
        [
            _cash(world.cashier, account, "10.00"),
            lambda: void_services.void_approve(lead=world.shift_lead, void=request),
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)], results


def test_a_ledger_opened_while_the_lead_signs_stops_the_signature(world, pay, account):
    """The day's first payment of a cashier opens their ledger; a signature racing it waits
    for it and then finds that ledger unverified, instead of signing a day that goes on."""
    from tests.billing.test_hall_day_services import _verified

    _verified(world, world.cashier2, pay, account, {"100": 5, "10": 3})
    today = timezone.localdate()
    opened = threading.Event()

    def first_payment():
        try:
            with transaction.atomic():
                ledger_services.ledger_lock_for_posting(cashier=world.cashier, business_date=today)
                opened.set()
                time.sleep(0.5)  # the rest of the payment, still uncommitted
            return "opened"
        finally:
            connection.close()

    def sign():
        try:
            opened.wait(5)
            return hall_day_services.hall_day_sign(
                lead=world.shift_lead, hall=world.hall_a, business_date=today, note="差异已核"
            )
        except ValidationError as error:
            return error
        finally:
            connection.close()

    results = [None, None]
    threads = [
        threading.Thread(target=lambda i=i, job=job: results.__setitem__(i, job()))
        for i, job in enumerate([first_payment, sign])
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results[0] == "opened"
    assert isinstance(results[1], ValidationError), results[1]
    assert not HallDay.objects.filter(signed_at__isnull=False).exists()
