"""Property tests (Hypothesis) of the deposit's time and money, on both databases."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billing.selectors import hall_day as hall_day_selectors
from billing.selectors import ledger as ledger_selectors
from billing.services import deposits as deposit_services
from billing.services import ledger as ledger_services
from tests.billing.ledger_factories import payment_rows

DAY = date(2026, 3, 10)
MICROS_PER_DAY = 24 * 3600 * 10**6


@settings(max_examples=300, deadline=None)
@given(
    entered=st.times(),
    now_micros=st.integers(0, MICROS_PER_DAY - 1),
    into_unit=st.integers(0, 60 * 10**6 - 1),
)
def test_a_payment_within_the_entered_minute_or_second_counts_before_the_deposit(
    entered, now_micros, into_unit
):
    midnight = timezone.make_aware(datetime.combine(DAY, time(0)))
    now = midnight + timedelta(microseconds=now_micros)
    start = timezone.make_aware(datetime.combine(DAY, entered))
    moment = deposit_services.deposit_moment(DAY, entered, now)
    if start > now:
        # A time yet to come stays as entered: the service refuses it.
        assert moment == start
        return
    assert start <= moment <= now
    if entered.microsecond:
        unit = timedelta(microseconds=1)
    elif entered.second:
        unit = timedelta(seconds=1)
    else:
        unit = timedelta(minutes=1)
    assert moment < start + unit
    # A payment taken within the entered minute (or second), before now, is before the deposit.
    payment = start + timedelta(microseconds=into_unit % (unit // timedelta(microseconds=1)))
    if payment <= now:
        assert payment <= moment


def test_no_time_entered_is_now():
    now = timezone.now()
    assert deposit_services.deposit_moment(timezone.localdate(now), None, now) == now


fen = st.integers(min_value=1, max_value=5_000_000).map(lambda n: Decimal(n) / 100)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    opening_float=st.integers(0, 100_000).map(lambda n: Decimal(n) / 100),
    before=st.lists(fen, max_size=6),
    after=st.lists(fen, max_size=4),
    share=st.fractions(min_value=0, max_value=2),
    extra_fen=st.integers(1, 999),
)
def test_deposit_differences_and_the_close_add_up_to_the_fen(
    world, opening_float, before, after, share, extra_fen
):
    """Whatever was taken and deposited: the deposit's difference is what it left out of the
    cash taken before it, the day's carried-out cash and expected cash follow exactly, and the
    hall day adds the same, on SQLite (which stores decimals as floats) as on PostgreSQL."""
    cashier = world.cashier
    cash_before = sum(before, start=Decimal("0.00"))
    # Any deposit from a fen to what the drawer could hold (the float included).
    drawer = opening_float + cash_before
    amount = min(
        (cash_before * Decimal(share.numerator) / share.denominator).quantize(Decimal("0.01"))
        + Decimal(extra_fen) / 100,
        drawer,
    )
    if amount <= 0:
        return
    with transaction.atomic():
        ledger = ledger_services.ledger_open(cashier=cashier, opening_float=opening_float)
        deposited_at = timezone.now() - timedelta(seconds=1)
        today = timezone.localdate()
        if before:
            payment_rows(cashier, today, before, when=deposited_at - timedelta(seconds=1))
        deposit = deposit_services.deposit_record(
            cashier=cashier,
            ledger=ledger,
            bank="工商银行",
            slip_no="P1",
            amount=amount,
            depositor=cashier.employee,
            escort=world.cashier2.employee,
            deposited_at=deposited_at,
        )
        if after:
            payment_rows(cashier, today, after, when=deposited_at + timedelta(seconds=1))
        cash = cash_before + sum(after, start=Decimal("0.00"))

        assert deposit.expected_amount == cash_before
        figures = ledger_selectors.ledger_figures(ledger)
        assert figures.deposit_difference == amount - cash_before
        assert figures.cash_takings == cash

        expected = opening_float + cash - amount
        ledger = ledger_services.ledger_submit(
            cashier=cashier, ledger=ledger, counts={}, coins_total=expected
        )
        assert ledger.carried_out == cash - amount
        assert ledger.expected_cash == expected and ledger.variance == 0

        row = hall_day_selectors.hall_day_summary(world.hall_a, today).rows[0]
        assert row.deposited == amount and row.cash_takings == cash
        assert row.deposit_difference == amount - cash_before
        transaction.set_rollback(True)
