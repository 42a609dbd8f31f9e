"""A payment racing the blind close lands in the ledger before it closes, or is refused."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from billing import ledger_services
from billing.ledger_selectors import takings_by_method
from billing.models import CashLedger, LedgerState, Payment
from tests.billing.factories import InvoiceRangeFactory, account_with_bills
from tests.billing.test_concurrency import _cash, _run_at_once

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
            cashier=world.cashier, ledger=ledger, counts={}, coins_total="0"
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

    from billing.ledger_services import ledger_lock_for_posting

    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        ledger_lock_for_posting(cashier=world.cashier, business_date=timezone.localdate())
        ledger_lock_for_posting(cashier=world.cashier, business_date=timezone.localdate())
    locking = [q["sql"] for q in captured.captured_queries if "FOR UPDATE" in q["sql"]]
    assert locking
    for sql in locking:
        assert "JOIN" not in sql and 'FOR UPDATE OF "billing_cashledger"' in sql, sql


@pytest.mark.parametrize("round_", range(3))
def test_a_post_and_a_void_approval_at_once_do_not_deadlock(world, round_):
    """Both lock the account before the cashier's ledger."""
    from billing import services

    InvoiceRangeFactory(cashier=world.cashier)
    account = account_with_bills("30.00")
    paid = _cash(world.cashier, account, "30.00")().payment
    request = services.void_request(actor=world.cashier, payment=paid, reason="错收")
    results = _run_at_once(
        [
            _cash(world.cashier, account, "10.00"),
            lambda: services.void_approve(lead=world.shift_lead, void=request),
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)], results
