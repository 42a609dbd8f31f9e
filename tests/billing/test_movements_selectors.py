"""Reads of movements: the statement's totals add up to the fen whatever was paid, where and how;
the history is the latest movements, newest first."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billing.models import Movement
from billing.selectors.movements import account_history, account_statement
from tests.billing.factories import InvoiceRangeFactory, account_with_bills
from tests.billing.movement_factories import channel_pay, pay, void

cents = st.integers(min_value=1, max_value=2_000_000).map(lambda n: Decimal(n) / 100)
payments = st.lists(
    st.tuples(st.sampled_from(["cash", "wechat", "channel"]), cents, st.booleans()),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(bills=st.lists(cents, min_size=1, max_size=4), paid=payments)
def test_the_statement_totals_are_the_movements_to_the_fen(world, bills, paid):
    """Counter payments (some voided) and channel payments on an account: received is what the
    counter and the channels took less the reversals, the prepaid change is the account's, on
    SQLite (floats inside) as on PostgreSQL."""
    with transaction.atomic():
        InvoiceRangeFactory(cashier=world.cashier)
        account = account_with_bills(*bills)
        taken = Decimal("0.00")
        for index, (how, amount, voided) in enumerate(paid):
            if how == "channel":
                channel_pay(account, amount, f"P{index}")
                taken += amount
                continue
            payment = pay(world.cashier, account, amount, how, f"R{index}" if how != "cash" else "")
            if voided:
                void(world, payment)
            else:
                taken += amount
        today = timezone.localdate()
        statement = account_statement(account, today - timedelta(days=1), today)

        assert statement.received == taken
        assert statement.counter_paid + statement.channel_paid + statement.reversed == taken
        account.refresh_from_db()
        assert statement.prepaid_change == account.prepaid_balance
        seqs = [entry.seq for entry in statement.entries]
        assert seqs == sorted(seqs) and len(seqs) == Movement.objects.count()
        for entry in statement.entries:
            settled = sum((line.amount for line in entry.lines), start=Decimal("0.00"))
            assert settled + entry.prepaid_change == entry.amount
        transaction.set_rollback(True)


def test_the_history_is_the_latest_movements_newest_first_with_their_periods(world):
    account = account_with_bills("10.00", "20.00", "30.00")
    other = account_with_bills("10.00")
    channel_pay(account, "15.00", "WX-1")
    channel_pay(other, "10.00", "WX-2")
    channel_pay(account, "45.00", "WX-3")

    history = account_history(account, limit=5)

    assert [entry.amount for entry in history] == [Decimal("45.00"), Decimal("15.00")]
    assert history[0].periods == "2026-02、2026-03" and history[1].periods == "2026-01、2026-02"
    assert [line.amount for line in history[1].lines] == [Decimal("10.00"), Decimal("5.00")]
    assert account_history(account, limit=1)[0].amount == Decimal("45.00")
