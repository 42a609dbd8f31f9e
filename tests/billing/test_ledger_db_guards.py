"""On PostgreSQL the database refuses to change a closed day, whatever the caller."""

from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from billing import hall_day_services, ledger_services
from billing.models import CashLedger, Deposit, HallDay, LedgerState, TerminalSettlement
from tests.billing.ledger_factories import payment_rows


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("the triggers exist on PostgreSQL only")


def _refused(action):
    with pytest.raises(DatabaseError), transaction.atomic():
        action()


@pytest.fixture
def verified(world, pay, account):
    pay(account, "30.00")
    ledger = CashLedger.objects.get(cashier=world.cashier)
    ledger_services.deposit_record(
        cashier=world.cashier,
        ledger=ledger,
        bank="工商银行",
        slip_no="S1",
        amount="30.00",
        depositor=world.cashier.employee,
        escort=world.cashier2.employee,
    )
    ledger = ledger_services.ledger_submit(
        cashier=world.cashier,
        ledger=ledger,
        counts={"100": 5},
        coins_total="0",
        no_deposit_reason="随次日资金入账",
    )
    return ledger_services.ledger_verify(lead=world.shift_lead, ledger=ledger)


def test_verified_ledger_rows_cannot_be_updated_or_deleted(verified):
    rows = CashLedger.objects.filter(pk=verified.pk)
    _refused(lambda: rows.update(counted_cash=Decimal("1.00"), variance=Decimal("-529.00")))
    _refused(lambda: rows.update(state=LedgerState.OPEN))
    _refused(lambda: rows.delete())
    assert rows.get().counted_cash == Decimal("500.00")


def test_deposits_of_a_verified_ledger_cannot_change(world, verified):
    deposit = Deposit.objects.get()
    _refused(lambda: Deposit.objects.filter(pk=deposit.pk).update(amount=Decimal("1.00")))
    _refused(lambda: Deposit.objects.filter(pk=deposit.pk).delete())
    _refused(
        lambda: Deposit.objects.create(
            ledger=verified,
            bank="建设银行",
            slip_no="X",
            amount=Decimal("1.00"),
            expected_amount=Decimal("1.00"),
            deposited_at=timezone.now(),
            depositor=world.cashier.employee,
            escort=world.cashier2.employee,
            recorded_by=world.cashier,
        )
    )


def test_payments_cannot_be_inserted_into_a_closed_day(world, verified):
    _refused(lambda: payment_rows(world.cashier, verified.business_date, ["5.00"]))


def test_signed_hall_day_and_its_settlements_cannot_change(world, verified):
    hall_day_services.hall_day_sign(
        lead=world.shift_lead, hall=world.hall_a, business_date=verified.business_date, note="x"
    )
    day = HallDay.objects.filter(pk=HallDay.objects.get().pk)
    _refused(lambda: day.update(sign_note="改"))
    _refused(
        lambda: TerminalSettlement.objects.create(
            hall_day=day.get(), method="wechat", amount=Decimal("1.00"), entered_by=world.shift_lead
        )
    )


def test_the_directors_reopen_still_passes(world, verified):
    ledger = ledger_services.ledger_reopen(director=world.director, ledger=verified, reason="复核")
    assert ledger.state == LedgerState.SUBMITTED
