"""Bank deposits (解款) of a cash ledger: what each should be, and what is refused without
giving away the day's cash."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from billing.models import CashLedger, Deposit
from billing.selectors import ledger as ledger_selectors
from billing.services import deposits as deposit_services
from staff.models import AuditEntry
from tests.billing.ledger_factories import at

pytestmark = pytest.mark.usefixtures("english")


def _today():
    return timezone.localdate()


def _ledger(world, cashier=None):
    return CashLedger.objects.get(cashier=cashier or world.cashier, business_date=_today())


def _deposit(world, ledger, amount, **kw):
    return deposit_services.deposit_record(
        cashier=world.cashier,
        ledger=ledger,
        bank=kw.pop("bank", "工商银行"),
        slip_no=kw.pop("slip_no", "S1"),
        amount=amount,
        depositor=kw.pop("depositor", world.cashier.employee),
        escort=kw.pop("escort", world.cashier2.employee),
        **kw,
    )


def test_deposit_should_be_carried_in_plus_cash_taken_so_far(world, pay, account):
    pay(account, "30.00")
    pay(account, "40.00", method="bank_card", reference="C1")
    ledger = _ledger(world)
    deposit = _deposit(world, ledger, "30.00")
    assert deposit.expected_amount == Decimal("30.00")
    assert deposit.escort == world.cashier2.employee
    assert AuditEntry.objects.filter(action="billing.ledger.deposit").count() == 1


def test_deposit_other_than_it_should_be_is_accepted_and_the_difference_kept(world, pay, account):
    """Blind count: the cashier deposits what they counted; the lead sees the difference."""
    pay(account, "30.00")
    ledger = _ledger(world)
    deposit = _deposit(world, ledger, "20.00")
    assert deposit.expected_amount == Decimal("30.00") and deposit.mismatch == Decimal("-10.00")
    assert ledger_selectors.ledger_figures(ledger).deposit_difference == Decimal("-10.00")


def test_deposit_above_the_cash_on_hand_is_accepted_not_refused_with_the_figure(
    world, pay, account
):
    pay(account, "30.00")
    ledger = _ledger(world)
    on_hand = ledger.opening_float + Decimal("30.00")
    deposit = _deposit(world, ledger, on_hand + Decimal("0.01"))
    assert deposit.mismatch == on_hand + Decimal("0.01") - Decimal("30.00")


def test_deposit_refusals_never_name_the_days_cash(world, pay, account):
    """Whatever is wrong with a deposit, its message gives no figure the cash follows from."""
    pay(account, "1234.50", confirm_overpay=True)
    ledger = _ledger(world)
    figures = {"1234.50", "1,234.50", "1734.50", "1,734.50"}
    _deposit(world, ledger, "1000.00", slip_no="S0")
    attempts = [
        {"amount": "0"},
        {"amount": "-5"},
        {"amount": "12345678901.00"},
        {"amount": "99999", "escort": world.cashier.employee},
        {"amount": "99999", "slip_no": "S0"},
        {"amount": "99999", "deposited_at": at(_today(), 0, 1)},
        {"amount": "99999", "deposited_at": timezone.now() + timedelta(hours=1)},
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as error:
            _deposit(world, ledger, attempt.pop("amount"), **{"slip_no": "S9", **attempt})
        text = " ".join(error.value.messages)
        assert not any(figure in text for figure in figures), text
    assert Deposit.objects.count() == 1


def test_deposit_earlier_than_the_previous_one_is_refused(world, pay, account):
    """In time order, so the last deposit's difference carries every earlier one."""
    pay(account, "30.00")
    ledger = _ledger(world)
    _deposit(world, ledger, "10.00", slip_no="S1")
    with pytest.raises(ValidationError, match="earlier than the previous deposit"):
        _deposit(
            world, ledger, "20.00", slip_no="S2", deposited_at=timezone.now() - timedelta(minutes=5)
        )
    assert _deposit(world, ledger, "20.00", slip_no="S2").mismatch == Decimal("0.00")


def test_deposit_too_large_for_the_ledger_is_refused_not_a_database_error(world, pay, account):
    pay(account, "30.00")
    with pytest.raises(ValidationError, match="too large"):
        _deposit(world, _ledger(world), "10000000000.00")
    assert not Deposit.objects.exists()


def test_depositor_cannot_be_their_own_escort(world, pay, account):
    pay(account, "30.00")
    with pytest.raises(ValidationError, match="another employee"):
        _deposit(world, _ledger(world), "30.00", escort=world.cashier.employee)
    assert not Deposit.objects.exists()


def test_deposit_of_fractional_fen_is_refused(world, pay, account):
    pay(account, "30.00")
    with pytest.raises(ValidationError, match="two decimals"):
        _deposit(world, _ledger(world), "29.999")


def test_same_slip_twice_is_refused(world, pay, account):
    pay(account, "30.00")
    pay(account, "30.00")
    ledger = _ledger(world)
    _deposit(world, ledger, "30.00", note="分两次")
    with pytest.raises(ValidationError, match="already recorded"):
        _deposit(world, ledger, "30.00")
    assert Deposit.objects.count() == 1


def test_cashier_cannot_deposit_on_anothers_ledger(world, pay, account):
    pay(account, "30.00", cashier=world.cashier2)
    with pytest.raises(ValidationError, match="Only the cashier"):
        _deposit(world, _ledger(world, world.cashier2), "30.00")
