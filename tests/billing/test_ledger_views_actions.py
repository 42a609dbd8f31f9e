"""Ledger and hall-day actions (issue 11): a refusal shows where the eye is, an action that
cannot succeed is disabled with its reason, the deposit time, a day closed without a deposit,
a hall day signed without every settlement total."""

import re
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from billing.models import CashLedger, Deposit, HallDay, LedgerState
from billing.services import deposits as deposit_services
from billing.services import hall_day as hall_day_services
from billing.services import ledger as ledger_services
from staff.models import AuditEntry
from tests.billing.ledger_factories import open_ledger


def _today():
    return timezone.localdate()


def _ledger_url(name, ledger):
    return reverse(f"billing:{name}", kwargs={"pk": ledger.pk})


def _day_url(name, world):
    return reverse(f"billing:{name}", kwargs={"hall": world.hall_a.pk, "day": _today().isoformat()})


def _ledger(cashier):
    return CashLedger.objects.get(cashier=cashier, business_date=_today())


def _submitted_short(world, pay, account):
    """cashier's ledger, 30.00 cash on a float of 500.00, counted 520.00: 10.00 short."""
    pay(account, "30.00")
    return ledger_services.ledger_submit(
        cashier=world.cashier,
        ledger=_ledger(world.cashier),
        counts={"100": 5, "10": 2},
        coins_total="0",
        no_deposit_reason="银行已关门",
    )


def _before_h1(page: str, text: str) -> bool:
    """Whether `text` is in an alert placed above the page's heading (top of the content)."""
    alert = re.search(r'<[^>]*role="alert"[^>]*>[^<]*' + re.escape(text), page)
    return alert is not None and alert.start() < page.index("<h1")


def _button(page: str, testid: str) -> str:
    """The submit button of the form marked `testid`."""
    form = re.search(r'data-testid="' + testid + r'".*?</form>', page, re.S).group(0)
    return re.search(r"<button[^>]*>", form).group(0)


# --- Refusals at the top of the page, disabled actions with their reason ------------------------


def test_a_refused_verify_shows_its_message_at_the_top_of_the_page(world, login, pay, account):
    ledger = _submitted_short(world, pay, account)
    response = login(world.shift_lead).post(_ledger_url("ledger_verify", ledger), {"note": "同意"})
    assert response.status_code == 400
    assert _before_h1(response.content.decode(), "收费员尚未说明长短款")
    ledger.refresh_from_db()
    assert ledger.state == LedgerState.SUBMITTED


def test_verify_is_disabled_with_its_reason_until_the_variance_is_explained(
    world, login, pay, account
):
    ledger = _submitted_short(world, pay, account)
    client = login(world.shift_lead)
    page = client.get(_ledger_url("ledger_detail", ledger)).content.decode()
    button = _button(page, "verify-form")
    assert "disabled" in button and 'aria-describedby="verify-blocker"' in button
    assert "收费员尚未说明长短款" in page
    # A recount may clear the variance: the field named here turns the button on (app.js).
    assert 'data-enabled-by="id_recounted_cash"' in button

    ledger_services.ledger_explain(cashier=world.cashier, ledger=ledger, note="找零多找10元")
    page = client.get(_ledger_url("ledger_detail", ledger)).content.decode()
    assert "disabled" not in _button(page, "verify-form")
    assert 'data-testid="verify-blocker"' not in page


def test_a_recount_that_finds_no_variance_verifies_without_an_explanation(
    world, login, pay, account
):
    ledger = _submitted_short(world, pay, account)
    response = login(world.shift_lead).post(
        _ledger_url("ledger_verify", ledger), {"recounted_cash": "530.00", "note": "复点无误"}
    )
    assert response.status_code == 302
    ledger.refresh_from_db()
    assert ledger.state == LedgerState.VERIFIED and ledger.final_variance == 0


def test_a_refused_deposit_shows_its_message_at_the_top(world, login, pay, account):
    pay(account, "30.00")
    ledger = _ledger(world.cashier)
    response = login(world.cashier).post(
        _ledger_url("deposit_create", ledger),
        {
            "bank": "工商银行",
            "slip_no": "S1",
            "amount": "30.00",
            "depositor": world.cashier.employee.pk,
            "escort": world.cashier.employee.pk,
        },
    )
    assert response.status_code == 400
    assert _before_h1(response.content.decode(), "陪同人")
    assert not Deposit.objects.exists()


def test_deposit_on_an_earlier_days_open_ledger_is_disabled_with_its_reason(world, login):
    ledger = open_ledger(world.cashier, _today() - timedelta(days=1))
    page = login(world.cashier).get(_ledger_url("ledger_detail", ledger)).content.decode()
    button = _button(page, "deposit-form")
    assert "disabled" in button and 'aria-describedby="deposit-blocker"' in button
    assert 'data-testid="deposit-blocker"' in page


def test_sign_is_disabled_with_its_reason_while_a_ledger_is_unverified(world, login, pay, account):
    _submitted_short(world, pay, account)
    page = login(world.shift_lead).get(_day_url("hall_day", world)).content.decode()
    button = _button(page, "sign-form")
    assert "disabled" in button and 'aria-describedby="sign-blocker"' in button
    assert 'data-testid="sign-blocker"' in page and "现金台账未核对" in page


def test_error_messages_are_alerts_and_other_messages_are_status(world, login, pay, account):
    """base.html: a refusal is an alert (app.js focuses it); a success is a status."""
    pay(account, "30.00")
    ledger = _ledger(world.cashier)
    client = login(world.cashier)
    response = client.post(
        _ledger_url("ledger_float", ledger), {"opening_float": "300.00"}, follow=True
    )
    page = response.content.decode()
    assert re.search(r'class="message message-success" role="status"', page)
    assert 'role="alert"' not in page


# --- Deposit time ------------------------------------------------------------------------------


def test_deposit_time_starts_at_now_with_seconds(world, login, pay, account):
    pay(account, "30.00")
    page = (
        login(world.cashier)
        .get(_ledger_url("ledger_detail", _ledger(world.cashier)))
        .content.decode()
    )
    field = re.search(r'<input[^>]*name="deposited_time"[^>]*>', page).group(0)
    assert 'step="1"' in field
    shown = re.search(r'value="(\d\d:\d\d:\d\d)"', field).group(1)
    now = timezone.localtime()
    moment = timezone.make_aware(datetime.combine(now.date(), time.fromisoformat(shown)))
    assert abs((now - moment).total_seconds()) < 60


@pytest.mark.parametrize("precision", ["%H:%M", "%H:%M:%S"])
def test_deposit_in_the_same_minute_or_second_as_a_payment_counts_it(
    world, login, pay, account, precision
):
    """The time entered stands for its whole minute (or second): the payment, taken in it
    before the cash left the drawer, is part of what the deposit should be."""
    payment = pay(account, "30.00")
    ledger = _ledger(world.cashier)
    entered = timezone.localtime(payment.created_at).strftime(precision)
    response = login(world.cashier).post(
        _ledger_url("deposit_create", ledger),
        {
            "bank": "工商银行",
            "slip_no": "S1",
            "amount": "30.00",
            "deposited_time": entered,
            "depositor": world.cashier.employee.pk,
            "escort": world.cashier2.employee.pk,
        },
    )
    assert response.status_code == 302
    deposit = Deposit.objects.get()
    assert deposit.expected_amount == Decimal("30.00") and deposit.mismatch == 0
    assert deposit.deposited_at >= payment.created_at


def test_a_deposit_time_yet_to_come_is_refused(world, pay, account):
    pay(account, "30.00")
    now = timezone.now()
    later = (timezone.localtime(now) + timedelta(minutes=2)).time().replace(second=0, microsecond=0)
    if timezone.localtime(now).hour == 23 and timezone.localtime(now).minute >= 57:
        pytest.skip("the minute after next is tomorrow")
    moment = deposit_services.deposit_moment(_today(), later, now)
    with pytest.raises(ValidationError):
        deposit_services.deposit_record(
            cashier=world.cashier,
            ledger=_ledger(world.cashier),
            bank="工商银行",
            slip_no="S1",
            amount="30.00",
            depositor=world.cashier.employee,
            escort=world.cashier2.employee,
            deposited_at=moment,
        )


# --- A day closed without a deposit --------------------------------------------------------------


def test_closing_with_cash_and_no_deposit_needs_the_reason_the_lead_sees(
    world, login, pay, account
):
    pay(account, "30.00")
    ledger = _ledger(world.cashier)
    client = login(world.cashier)
    page = client.get(_ledger_url("ledger_detail", ledger)).content.decode()
    assert 'name="no_deposit_reason"' in page
    count = {"count_100": "5", "count_10": "3", "coins_total": "0"}
    response = client.post(_ledger_url("ledger_submit", ledger), count)
    assert response.status_code == 400
    assert _before_h1(response.content.decode(), "未解款的原因")
    ledger.refresh_from_db()
    assert ledger.state == LedgerState.OPEN

    reason = "押运车未到，现金存入保险柜"
    response = client.post(
        _ledger_url("ledger_submit", ledger), {**count, "no_deposit_reason": reason}
    )
    assert response.status_code == 302
    ledger.refresh_from_db()
    assert ledger.state == LedgerState.SUBMITTED and ledger.no_deposit_reason == reason
    entry = AuditEntry.objects.get(action="billing.ledger.submit", object_id=str(ledger.pk))
    assert reason in entry.summary and entry.actor == world.cashier

    lead = login(world.shift_lead)
    assert reason in lead.get(_ledger_url("ledger_detail", ledger)).content.decode()
    hall_day = lead.get(_day_url("hall_day", world)).content.decode()
    assert 'data-testid="hall-day-remarks"' in hall_day and reason in hall_day
    export = lead.get(
        reverse(
            "billing:hall_day_export",
            kwargs={"hall": world.hall_a.pk, "day": _today().isoformat(), "fmt": "csv"},
        )
    )
    assert reason in export.content.decode("utf-8")


def test_no_reason_is_asked_without_cash_or_with_a_deposit(world, login, pay, account):
    pay(account, "30.00", method="wechat", reference="W1")
    ledger = ledger_services.ledger_submit(
        cashier=world.cashier, ledger=_ledger(world.cashier), counts={"100": 5}, coins_total="0"
    )
    assert ledger.state == LedgerState.SUBMITTED and ledger.no_deposit_reason == ""

    pay(account, "30.00", cashier=world.cashier2)
    ledger = _ledger(world.cashier2)
    deposit_services.deposit_record(
        cashier=world.cashier2,
        ledger=ledger,
        bank="工商银行",
        slip_no="S2",
        amount="30.00",
        depositor=world.cashier2.employee,
        escort=world.cashier.employee,
    )
    page = login(world.cashier2).get(_ledger_url("ledger_detail", ledger)).content.decode()
    assert 'name="no_deposit_reason"' not in page
    ledger = ledger_services.ledger_submit(
        cashier=world.cashier2, ledger=ledger, counts={"100": 5}, coins_total="0"
    )
    assert ledger.state == LedgerState.SUBMITTED


# --- Deposits the lead decides on ---------------------------------------------------------------


def test_deposits_other_than_they_should_be_need_the_leads_decision(world, pay, account):
    pay(account, "30.00")
    ledger = _ledger(world.cashier)
    deposit_services.deposit_record(
        cashier=world.cashier,
        ledger=ledger,
        bank="工商银行",
        slip_no="S1",
        amount="20.00",
        depositor=world.cashier.employee,
        escort=world.cashier2.employee,
    )
    ledger = ledger_services.ledger_submit(
        cashier=world.cashier, ledger=ledger, counts={"100": 5, "10": 1}, coins_total="0"
    )
    assert ledger.variance == 0  # the 10.00 not deposited is in the drawer, carried out
    with pytest.raises(ValidationError):
        ledger_services.ledger_verify(lead=world.shift_lead, ledger=ledger)
    ledger = ledger_services.ledger_verify(
        lead=world.shift_lead, ledger=ledger, note="10元随次日资金入账"
    )
    entry = AuditEntry.objects.get(action="billing.ledger.verify", object_id=str(ledger.pk))
    assert entry.changes["deposit_difference"] == "-10.00"


# --- A hall day signed without every settlement total -----------------------------------------


def _verified_day(world, pay, account):
    """The cashier's day: 30.00 cash deposited, 20.00 by WeChat, verified by the lead."""
    pay(account, "30.00")
    pay(account, "20.00", method="wechat", reference="W1")
    ledger = _ledger(world.cashier)
    deposit_services.deposit_record(
        cashier=world.cashier,
        ledger=ledger,
        bank="工商银行",
        slip_no="S1",
        amount="30.00",
        depositor=world.cashier.employee,
        escort=world.cashier2.employee,
    )
    ledger = ledger_services.ledger_submit(
        cashier=world.cashier, ledger=ledger, counts={"100": 5}, coins_total="0"
    )
    return ledger_services.ledger_verify(lead=world.shift_lead, ledger=ledger)


def test_signing_with_a_settlement_missing_needs_its_reason(world, pay, account):
    _verified_day(world, pay, account)
    sign = {"lead": world.shift_lead, "hall": world.hall_a, "business_date": _today()}
    with pytest.raises(ValidationError, match="微信支付|WeChat"):
        hall_day_services.hall_day_sign(**sign, note="已核对")
    assert not HallDay.objects.get().is_signed
    hall_day = hall_day_services.hall_day_sign(
        **sign, missing_settlement_reason="微信对账单次日才出"
    )
    assert hall_day.is_signed and hall_day.missing_settlement_reason == "微信对账单次日才出"
    entry = AuditEntry.objects.get(action="billing.hall_day.sign")
    assert "微信对账单次日才出" in entry.summary and entry.actor == world.shift_lead


def test_the_reason_for_missing_settlements_is_asked_and_printed_on_the_report(
    world, login, pay, account
):
    _verified_day(world, pay, account)
    client = login(world.shift_lead)
    page = client.get(_day_url("hall_day", world)).content.decode()
    assert 'name="missing_settlement_reason"' in page and "缺少：微信支付" in page
    response = client.post(_day_url("hall_day_sign", world), {"note": ""})
    assert response.status_code == 400
    assert _before_h1(response.content.decode(), "未录入结算总额")
    response = client.post(
        _day_url("hall_day_sign", world),
        {"note": "", "missing_settlement_reason": "微信对账单次日才出"},
    )
    assert response.status_code == 302
    report = client.get(_day_url("hall_day_report", world)).content.decode()
    assert 'data-testid="missing-settlement-reason"' in report
    assert "微信对账单次日才出" in report


def test_no_reason_is_asked_once_every_settlement_is_entered(world, login, pay, account):
    _verified_day(world, pay, account)
    client = login(world.shift_lead)
    client.post(_day_url("hall_day_settlement", world), {"method": "wechat", "amount": "20.00"})
    page = client.get(_day_url("hall_day", world)).content.decode()
    assert 'name="missing_settlement_reason"' not in page
    assert client.post(_day_url("hall_day_sign", world), {"note": ""}).status_code == 302
    assert HallDay.objects.get().missing_settlement_reason == ""
