from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from billing.models import CashLedger, Deposit, LedgerState, Payment
from billing.selectors import hall_day as hall_day_selectors
from billing.selectors import ledger as ledger_selectors
from billing.services import counter as counter_services
from billing.services import deposits as deposit_services
from billing.services import ledger as ledger_services
from billing.services import voids as void_services
from staff.models import AuditEntry
from tests.billing.ledger_factories import at, open_ledger, payment_rows

pytestmark = pytest.mark.usefixtures("english")

COUNT_500 = {"100": 5}


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


def _submit(world, ledger, counts=None, coins="0", cashier=None, no_deposit_reason="次日入账"):
    return ledger_services.ledger_submit(
        cashier=cashier or world.cashier,
        ledger=ledger,
        counts=counts or COUNT_500,
        coins_total=coins,
        no_deposit_reason=no_deposit_reason,
    )


# --- Opening -------------------------------------------------------------------------------


@override_settings(BILLING_LEDGER_FLOAT_DEFAULT="300.00")
def test_first_payment_opens_the_ledger_with_the_default_float(world, pay, account):
    pay(account, "30.00")
    ledger = _ledger(world)
    assert ledger.state == LedgerState.OPEN
    assert ledger.opening_float == Decimal("300.00")
    assert AuditEntry.objects.filter(
        action="billing.ledger.open", object_id=str(ledger.pk)
    ).exists()


@override_settings(BILLING_LEDGER_FLOAT_BY_HALL={"longquan": "800.00"})
def test_hall_float_setting_overrides_the_default(world):
    assert ledger_services.ledger_open(cashier=world.cashier).opening_float == Decimal("800.00")


def test_explicit_open_takes_the_float_handed_over_and_refuses_a_second_open(world):
    ledger = ledger_services.ledger_open(cashier=world.cashier, opening_float="200.00")
    assert ledger.opening_float == Decimal("200.00")
    with pytest.raises(ValidationError, match="already open"):
        ledger_services.ledger_open(cashier=world.cashier, opening_float="300.00")
    assert CashLedger.objects.count() == 1


def test_changing_the_default_float_leaves_past_days_balanced(world):
    """The float is fixed on each ledger: a new default is no false loss on an old day."""
    yesterday = _today() - timedelta(days=1)
    with override_settings(BILLING_LEDGER_FLOAT_DEFAULT="500.00"):
        old = open_ledger(world.cashier, yesterday)
    payment_rows(world.cashier, yesterday, ["100.00"])
    with override_settings(BILLING_LEDGER_FLOAT_DEFAULT="800.00"):
        old = _submit(world, old, counts={"100": 6})
        today = ledger_services.ledger_open(cashier=world.cashier)
    assert old.variance == Decimal("0.00")
    assert today.opening_float == Decimal("800.00")
    assert today.carried_in == Decimal("100.00")


def test_cash_taken_after_the_last_deposit_is_carried_into_the_next_day(world):
    yesterday = _today() - timedelta(days=1)
    ledger = open_ledger(world.cashier, yesterday)
    payment_rows(world.cashier, yesterday, ["100.00", "50.00"], when=at(yesterday, 9))
    Deposit.objects.create(
        ledger=ledger,
        bank="工商银行",
        slip_no="Y1",
        amount=Decimal("150.00"),
        expected_amount=Decimal("150.00"),
        deposited_at=at(yesterday, 15),
        depositor=world.cashier.employee,
        escort=world.cashier2.employee,
        recorded_by=world.cashier,
    )
    payment_rows(world.cashier, yesterday, ["20.00"], when=at(yesterday, 16))
    payment_rows(world.cashier, yesterday, ["99.00"], method="wechat", when=at(yesterday, 16))
    today = ledger_services.ledger_open(cashier=world.cashier)
    assert today.carried_in == Decimal("20.00")


def test_negative_float_is_refused(world):
    with pytest.raises(ValidationError, match="opening float"):
        ledger_services.ledger_open(cashier=world.cashier, opening_float="-1")
    assert not CashLedger.objects.exists()


# --- Takings are derived -------------------------------------------------------------------


def test_takings_by_method_net_of_voids(world, pay, account):
    pay(account, "30.00")
    pay(account, "40.00", method="wechat", reference="W1")
    voided = pay(account, "5.00")
    request = void_services.void_request(actor=world.cashier, payment=voided, reason="错收")
    void_services.void_approve(lead=world.shift_lead, void=request)
    by_method = ledger_selectors.takings_by_method(_ledger(world))
    assert by_method == {"cash": Decimal("30.00"), "wechat": Decimal("40.00")}


def test_ten_thousand_payments_of_ten_fen_sum_to_exactly_one_thousand(world):
    day = _today() - timedelta(days=1)
    ledger = open_ledger(world.cashier, day)
    payment_rows(world.cashier, day, ["0.10"] * 10_000)
    assert ledger_selectors.takings_by_method(ledger)["cash"] == Decimal("1000.00")
    summary = hall_day_selectors.hall_day_summary(world.hall_a, day)
    assert summary.totals["cash"] == Decimal("1000.00")
    ledger = _submit(world, ledger, counts={"100": 15})
    assert ledger.cash_takings == Decimal("1000.00")
    assert ledger.variance == Decimal("0.00")


# --- Deposits ------------------------------------------------------------------------------


# --- Blind close ---------------------------------------------------------------------------


def test_submit_freezes_expected_cash_and_variance(world, pay, account):
    ledger = ledger_services.ledger_open(cashier=world.cashier, opening_float="500.00")
    pay(account, "30.00")
    pay(account, "40.00")
    pay(account, "12.00", method="alipay", reference="A1")
    _deposit(world, ledger, "30.00", note="第一次解款")
    ledger = _submit(world, ledger, counts={"100": 5, "20": 2}, coins="0.50")
    assert ledger.state == LedgerState.SUBMITTED
    assert ledger.counted_cash == Decimal("540.50")
    assert ledger.cash_takings == Decimal("70.00")
    assert ledger.deposited == Decimal("30.00")
    assert ledger.carried_out == Decimal("40.00")
    assert ledger.expected_cash == Decimal("540.00")
    assert ledger.variance == Decimal("0.50")


@pytest.mark.parametrize(
    ("counts", "coins"),
    [({"100": -1}, "0"), ({"50": "1.5"}, "0"), ({"10": "x"}, "0"), ({}, "0.005")],
)
def test_bad_counts_are_refused_and_nothing_changes(world, counts, coins):
    ledger = ledger_services.ledger_open(cashier=world.cashier)
    with pytest.raises(ValidationError):
        _submit(world, ledger, counts=counts, coins=coins)
    ledger.refresh_from_db()
    assert ledger.state == LedgerState.OPEN and ledger.counted_cash is None


def test_submitting_twice_is_refused(world):
    ledger = ledger_services.ledger_open(cashier=world.cashier)
    _submit(world, ledger)
    with pytest.raises(ValidationError, match="already submitted"):
        _submit(world, ledger, counts={"100": 9})
    ledger.refresh_from_db()
    assert ledger.count_100 == 5


def test_after_submission_payments_and_voids_of_the_day_are_refused(world, pay, account):
    payment = pay(account, "30.00")
    _submit(world, _ledger(world), counts={"100": 5, "10": 3})
    with pytest.raises(ValidationError, match="already submitted"):
        pay(account, "10.00")
    with pytest.raises(ValidationError, match="already submitted"):
        void_services.void_request(actor=world.cashier, payment=payment, reason="错收")
    assert Payment.objects.count() == 1


def test_a_void_waiting_at_submission_cannot_be_approved_afterwards(world, pay, account):
    payment = pay(account, "30.00")
    request = void_services.void_request(actor=world.cashier, payment=payment, reason="错收")
    _submit(world, _ledger(world), counts={"100": 5, "10": 3})
    with pytest.raises(ValidationError, match="already submitted"):
        void_services.void_approve(lead=world.shift_lead, void=request)
    assert Payment.objects.count() == 1


def test_other_cashiers_keep_taking_payments(world, pay, account):
    pay(account, "30.00")
    _submit(world, _ledger(world), counts={"100": 5, "10": 3})
    pay(account, "10.00", cashier=world.cashier2)
    assert _ledger(world, world.cashier2).is_open


def test_variance_explanation_only_after_submission(world):
    ledger = ledger_services.ledger_open(cashier=world.cashier)
    with pytest.raises(ValidationError, match="submitted"):
        ledger_services.ledger_explain(cashier=world.cashier, ledger=ledger, note="少了")
    _submit(world, ledger, counts={"100": 4})
    ledger = ledger_services.ledger_explain(cashier=world.cashier, ledger=ledger, note="找零错")
    assert ledger.variance == Decimal("-100.00") and ledger.variance_note == "找零错"


# --- Verification and reopening -------------------------------------------------------------


def _submitted(world, counts=None):
    ledger = ledger_services.ledger_open(cashier=world.cashier, opening_float="500.00")
    return _submit(world, ledger, counts=counts or COUNT_500)


def test_lead_verifies_a_balanced_ledger(world):
    ledger = ledger_services.ledger_verify(lead=world.shift_lead, ledger=_submitted(world))
    assert ledger.state == LedgerState.VERIFIED and ledger.verified_by == world.shift_lead


def test_variance_needs_the_cashiers_explanation_and_the_leads_decision(world):
    ledger = _submitted(world, counts={"100": 4, "50": 1})
    with pytest.raises(ValidationError, match="not explained"):
        ledger_services.ledger_verify(lead=world.shift_lead, ledger=ledger, note="同意")
    ledger_services.ledger_explain(cashier=world.cashier, ledger=ledger, note="找零错")
    with pytest.raises(ValidationError, match="decision"):
        ledger_services.ledger_verify(lead=world.shift_lead, ledger=ledger)
    ledger = ledger_services.ledger_verify(lead=world.shift_lead, ledger=ledger, note="短款自赔")
    assert ledger.final_variance == Decimal("-50.00")


def test_lead_recount_replaces_the_variance(world):
    ledger = _submitted(world, counts={"100": 4, "50": 1})
    ledger = ledger_services.ledger_verify(
        lead=world.shift_lead, ledger=ledger, recounted_cash="500.00", note="复点无误，收费员点错"
    )
    assert ledger.final_variance == Decimal("0.00")


def test_lead_cannot_verify_own_ledger(world, ranges, account):
    counter_services.payment_post(
        cashier=world.shift_lead,
        account_id=account.pk,
        amount=Decimal("30"),
        method="cash",
        tendered=Decimal("30"),
    )
    ledger = _ledger(world, world.shift_lead)
    _submit(world, ledger, counts={"100": 5, "10": 3}, cashier=world.shift_lead)
    with pytest.raises(ValidationError, match="your own"):
        ledger_services.ledger_verify(lead=world.shift_lead, ledger=ledger)
    ledger.refresh_from_db()
    assert ledger.state == LedgerState.SUBMITTED


def test_lead_of_another_hall_cannot_verify(world):
    with pytest.raises(ValidationError, match="shift lead of the hall"):
        ledger_services.ledger_verify(lead=world.other_lead, ledger=_submitted(world))


def test_open_ledger_cannot_be_verified(world):
    ledger = ledger_services.ledger_open(cashier=world.cashier)
    with pytest.raises(ValidationError, match="not submitted"):
        ledger_services.ledger_verify(lead=world.shift_lead, ledger=ledger)


def test_verified_ledger_rejects_every_change(world):
    ledger = ledger_services.ledger_verify(lead=world.shift_lead, ledger=_submitted(world))
    with pytest.raises(ValidationError, match="already verified"):
        ledger_services.ledger_verify(lead=world.shift_lead, ledger=ledger, note="再来")
    with pytest.raises(ValidationError):
        ledger_services.ledger_explain(cashier=world.cashier, ledger=ledger, note="改")
    with pytest.raises(ValidationError):
        _deposit(world, ledger, "1.00", note="x")
    with pytest.raises(ValidationError):
        ledger_services.ledger_float_change(cashier=world.cashier, ledger=ledger, opening_float="1")


def test_only_director_reopens_with_a_reason_and_it_stays_in_history(world):
    ledger = ledger_services.ledger_verify(lead=world.shift_lead, ledger=_submitted(world))
    for actor in (world.shift_lead, world.office):
        with pytest.raises(ValidationError, match="director"):
            ledger_services.ledger_reopen(director=actor, ledger=ledger, reason="复核")
    with pytest.raises(ValidationError, match="reason"):
        ledger_services.ledger_reopen(director=world.director, ledger=ledger, reason=" ")
    ledger = ledger_services.ledger_reopen(director=world.director, ledger=ledger, reason="复核")
    assert ledger.state == LedgerState.SUBMITTED
    actions = [
        e.action
        for e in AuditEntry.objects.filter(object_id=str(ledger.pk)).order_by("id")
        if e.content_type.model == "cashledger"
    ]
    assert actions == [
        "billing.ledger.open",
        "billing.ledger.submit",
        "billing.ledger.verify",
        "billing.ledger.reopen",
    ]
    with pytest.raises(ValidationError, match="Only a verified"):
        ledger_services.ledger_reopen(director=world.director, ledger=ledger, reason="again")


def test_a_shift_leads_own_ledger_is_verified_by_the_director(world, ranges, account):
    counter_services.payment_post(
        cashier=world.shift_lead,
        account_id=account.pk,
        amount=Decimal("30"),
        method="cash",
        tendered=Decimal("30"),
    )
    ledger = _ledger(world, world.shift_lead)
    _submit(world, ledger, counts={"100": 5, "10": 3}, cashier=world.shift_lead)
    with pytest.raises(ValidationError, match="shift lead of the hall"):
        ledger_services.ledger_verify(lead=world.other_lead, ledger=ledger)
    ledger = ledger_services.ledger_verify(lead=world.director, ledger=ledger)
    assert ledger.state == LedgerState.VERIFIED and ledger.verified_by == world.director


def test_director_does_not_verify_a_cashiers_ledger(world):
    with pytest.raises(ValidationError, match="shift lead of the hall"):
        ledger_services.ledger_verify(lead=world.director, ledger=_submitted(world))
