"""billing.rules: the pages and the services decide who may do what with the same rule."""

import pytest
from django.core.exceptions import ValidationError

from billing import rules
from billing.models import CashLedger
from billing.services import ledger as ledger_services
from billing.services import voids as void_services

pytestmark = pytest.mark.usefixtures("english")


def _submit(world, cashier=None):
    cashier = cashier or world.cashier
    return ledger_services.ledger_submit(
        cashier=cashier,
        ledger=CashLedger.objects.get(cashier=cashier),
        counts={"10": 3},
        coins_total="0",
        no_deposit_reason="次日入账",
    )


def test_the_receipt_shows_the_reason_the_void_service_gives_once_the_day_is_closed(
    world, pay, account
):
    payment = pay(account, "30.00")
    assert rules.why_not_void(payment) is None
    _submit(world)

    reason = rules.why_not_void(payment)

    assert reason and "already submitted" in reason
    with pytest.raises(ValidationError) as refused:
        void_services.void_request(actor=world.cashier, payment=payment, reason="输错")
    assert refused.value.messages == [reason]


def test_a_reversal_or_a_voided_payment_cannot_be_voided_again(world, pay, account):
    payment = pay(account, "30.00")
    void = void_services.void_request(actor=world.cashier, payment=payment, reason="输错")
    reversal = void_services.void_approve(lead=world.shift_lead, void=void)
    payment.refresh_from_db()

    assert rules.why_not_voidable(reversal) == "A reversal entry cannot be voided."
    assert rules.why_not_voidable(payment) == "This payment is already voided."
    assert not rules.may_request_void(world.cashier, payment, [])


def test_only_the_payments_cashier_may_ask_for_its_void(world, pay, account):
    payment = pay(account, "30.00")

    assert rules.may_request_void(world.cashier, payment, [])
    assert not rules.may_request_void(world.cashier2, payment, [])
    assert not rules.may_request_void(world.shift_lead, payment, [])


def test_the_halls_lead_verifies_a_cashiers_ledger_and_the_director_a_leads(
    world, pay, account, ranges
):
    pay(account, "30.00")
    pay(account, "30.00", cashier=world.shift_lead)
    cashier_ledger = _submit(world)
    lead_ledger = _submit(world, world.shift_lead)

    assert rules.may_verify(world.shift_lead, cashier_ledger)
    assert not rules.may_verify(world.other_lead, cashier_ledger)
    assert not rules.may_verify(world.director, cashier_ledger)
    assert not rules.may_verify(world.shift_lead, lead_ledger)
    assert rules.may_verify(world.director, lead_ledger)


def test_only_the_ledgers_cashier_changes_it_while_it_is_open(world, pay, account):
    pay(account, "30.00")
    ledger = CashLedger.objects.get(cashier=world.cashier)

    assert rules.may_submit(world.cashier, ledger)
    assert rules.why_not_change_ledger(world.shift_lead, ledger) == (
        "Only the cashier of this ledger can do this."
    )
    ledger = _submit(world)
    assert rules.why_not_change_ledger(world.cashier, ledger) == (
        "This cash ledger is already submitted: it cannot be changed."
    )
