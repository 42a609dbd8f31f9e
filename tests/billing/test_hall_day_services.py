from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from billing.models import CashLedger, HallDay, LedgerState, TerminalSettlement
from billing.selectors import hall_day as hall_day_selectors
from billing.services import hall_day as hall_day_services
from billing.services import ledger as ledger_services

pytestmark = pytest.mark.usefixtures("english")


def _verified(world, cashier, pay, account, counts):
    pay(account, "30.00", cashier=cashier)
    pay(account, "20.00", method="wechat", reference="W", cashier=cashier)
    ledger = CashLedger.objects.get(cashier=cashier, business_date=timezone.localdate())
    ledger = ledger_services.ledger_submit(
        cashier=cashier,
        ledger=ledger,
        counts=counts,
        coins_total="0",
        no_deposit_reason="随次日资金入账",
    )
    return ledger_services.ledger_verify(lead=world.shift_lead, ledger=ledger)


def _sign(world, note=""):
    return hall_day_services.hall_day_sign(
        lead=world.shift_lead, hall=world.hall_a, business_date=timezone.localdate(), note=note
    )


def _settle(world, method, amount, lead=None):
    return hall_day_services.hall_day_settlement_set(
        lead=lead or world.shift_lead,
        hall=world.hall_a,
        business_date=timezone.localdate(),
        method=method,
        amount=amount,
    )


def test_hall_day_sums_every_ledger_and_flags_settlement_differences(world, pay, account):
    _verified(world, world.cashier, pay, account, {"100": 5, "10": 3})
    _verified(world, world.cashier2, pay, account, {"100": 5, "10": 3})
    _settle(world, "wechat", "39.00")
    summary = hall_day_selectors.hall_day_summary(world.hall_a, timezone.localdate())
    assert summary.totals == {"cash": Decimal("60.00"), "wechat": Decimal("40.00")}
    assert summary.all_verified
    flagged = {check.method: check.difference for check in summary.settlement_flags}
    assert flagged == {"wechat": Decimal("-1.00")}


def test_hall_day_is_signed_only_when_every_ledger_is_verified(world, pay, account):
    _verified(world, world.cashier, pay, account, {"100": 5, "10": 3})
    pay(account, "30.00", cashier=world.cashier2)
    with pytest.raises(ValidationError, match="not verified"):
        _sign(world)
    assert not HallDay.objects.filter(signed_at__isnull=False).exists()


def test_settlement_difference_needs_a_note_to_sign(world, pay, account):
    _verified(world, world.cashier, pay, account, {"100": 5, "10": 3})
    _settle(world, "wechat", "19.00")
    with pytest.raises(ValidationError, match="explain"):
        _sign(world)
    hall_day = _sign(world, note="微信手续费")
    assert hall_day.is_signed and hall_day.signed_by == world.shift_lead


def test_signed_hall_day_refuses_changes_and_new_ledgers(world, pay, account):
    _verified(world, world.cashier, pay, account, {"100": 5, "10": 3})
    _settle(world, "wechat", "20.00")
    _sign(world)
    with pytest.raises(ValidationError, match="already signed"):
        _sign(world)
    with pytest.raises(ValidationError, match="already signed"):
        _settle(world, "wechat", "21.00")
    assert TerminalSettlement.objects.get().amount == Decimal("20.00")
    with pytest.raises(ValidationError, match="already signed"):
        pay(account, "30.00", cashier=world.cashier2)


def test_reopening_a_ledger_withdraws_the_hall_day_signature(world, pay, account):
    ledger = _verified(world, world.cashier, pay, account, {"100": 5, "10": 3})
    _settle(world, "wechat", "20.00")
    _sign(world)
    ledger_services.ledger_reopen(director=world.director, ledger=ledger, reason="复核")
    assert not HallDay.objects.get().is_signed
    ledger.refresh_from_db()
    assert ledger.state == LedgerState.SUBMITTED


def test_only_the_halls_lead_settles_and_signs(world, pay, account):
    _verified(world, world.cashier, pay, account, {"100": 5, "10": 3})
    for actor in (world.other_lead, world.cashier, world.director):
        with pytest.raises(ValidationError, match="shift lead"):
            _settle(world, "wechat", "20.00", lead=actor)
    with pytest.raises(ValidationError, match="bank card"):
        _settle(world, "cash", "20.00")
    with pytest.raises(ValidationError, match="two decimals"):
        _settle(world, "alipay", "-3")
