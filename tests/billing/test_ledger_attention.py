from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import timezone

from billing.models import Deposit
from billing.services import ledger as ledger_services
from tests.billing.ledger_factories import at, open_ledger, payment_rows

pytestmark = pytest.mark.usefixtures("english")


def _texts(user):
    return {str(item.text): item for item in apps.get_app_config("billing").attention_items(user)}


def _day(offset):
    return timezone.localdate() - timedelta(days=offset)


def _closed(cashier, day, cash="20.00", counts=None, deposit=None):
    ledger = open_ledger(cashier, day)
    payment_rows(cashier, day, [cash], when=at(day, 16))
    if deposit:
        _deposit(ledger, deposit)
    return ledger_services.ledger_submit(
        cashier=cashier,
        ledger=ledger,
        counts=counts or {"100": 5},
        coins_total=cash,
        no_deposit_reason="随次日资金入账",
    )


def _deposit(ledger, amount):
    day = ledger.business_date
    Deposit.objects.create(
        ledger=ledger,
        bank="工商银行",
        slip_no=f"D{ledger.pk}",
        amount=Decimal(amount),
        expected_amount=Decimal(amount),
        deposited_at=at(day, 15),
        depositor=ledger.cashier.employee,
        escort=ledger.hall.employees.exclude(user=ledger.cashier).first(),
        recorded_by=ledger.cashier,
    )


def test_lead_and_director_are_warned_of_past_ledgers_not_submitted_or_verified(world):
    open_ledger(world.cashier, _day(2))
    _closed(world.cashier2, _day(2))
    for user in (world.shift_lead, world.director):
        texts = _texts(user)
        assert texts["Cash ledgers of past days not submitted"].count == 1
        assert texts["Cash ledgers of past days not verified"].count == 1
    for user in (world.cashier, world.other_lead):
        assert "Cash ledgers of past days not submitted" not in _texts(user)


def test_todays_open_ledger_is_no_warning(world):
    open_ledger(world.cashier, _day(0))
    assert "Cash ledgers of past days not submitted" not in _texts(world.shift_lead)


DELAYED = "Delayed deposits: cash carried out and not deposited the next working day"


def test_cash_not_deposited_the_next_working_day_is_a_delayed_deposit(world):
    carried = _closed(world.cashier, _day(3))
    assert carried.carried_out == Decimal("20.00")
    _closed(world.cashier2, _day(2))  # the hall worked that day; the cashier did not
    assert _texts(world.shift_lead)[DELAYED].count == 1
    assert _texts(world.director)[DELAYED].count == 1
    assert DELAYED not in _texts(world.other_lead)


def test_cash_deposited_with_the_next_days_takings_is_in_time(world):
    _closed(world.cashier, _day(3))
    _closed(world.cashier, _day(2), counts={"100": 5}, deposit="40.00")
    assert DELAYED not in _texts(world.shift_lead)


def test_carried_cash_is_not_late_before_the_next_working_day_ends(world):
    _closed(world.cashier, _day(1))
    assert DELAYED not in _texts(world.shift_lead)


def test_attention_items_take_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for offset in range(2, 8):
        _closed(world.cashier, _day(offset))
        _closed(world.cashier2, _day(offset))
    _texts(world.shift_lead)  # roles and employee cached on the user
    # 5 for the ledgers, voids and invoices; 1 counting the possible double payments.
    with django_assert_max_num_queries(6):
        _texts(world.shift_lead)
