"""The counter's rough edges (issue #11, item 7): overpay confirmation, closed and unknown
accounts, full-width digits, the one-minute promise measured, the void form of a closed day."""

import re
import uuid
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from billing.forms import lookup_stamp
from billing.models import Account, AccountStatus, Bill, InvoiceNumber, Payment
from billing.services import counter as counter_services
from tests.billing.factories import account_with_bills

COUNTER = reverse("billing:counter")
D = Decimal


def _hidden(page, name):
    match = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)" id="id_{name}">', page)
    return match[1] if match else None


def _lookup(client, account):
    """The counter's form for `account`, as the page hands it out (hidden fields included)."""
    page = client.get(COUNTER, {"q": account.account_no}).content.decode()
    return {
        "account": _hidden(page, "account"),
        "form_token": _hidden(page, "form_token"),
        "looked_up": _hidden(page, "looked_up"),
        "method": "cash",
        "reference": "",
    }


# --- Overpayment to prepaid ------------------------------------------------------------------


def test_an_overpayment_above_the_limit_asks_for_a_confirming_enter(world, login, ranges):
    account = account_with_bills("27.45")
    client = login(world.cashier)
    form = {**_lookup(client, account), "amount": "100000", "tendered": "100000"}

    refused = client.post(COUNTER, form)

    page = refused.content.decode()
    assert refused.status_code == 400
    assert "本笔收费将有 99,972.55 元转入预存" in page
    assert _hidden(page, "confirm_prepaid") == "99972.55"
    assert "确认 99,972.55 元转入预存并收费（回车）" in page
    assert not Payment.objects.exists() and not InvoiceNumber.objects.exists()
    # The same form again (Enter): it carries the confirmation and posts.
    confirmed = client.post(COUNTER, {**form, "confirm_prepaid": _hidden(page, "confirm_prepaid")})

    assert confirmed.status_code == 302
    payment = Payment.objects.get()
    assert (payment.amount, payment.prepaid_added) == (D("100000.00"), D("99972.55"))
    assert Account.objects.get().prepaid_balance == D("99972.55")


def test_a_confirmation_holds_only_for_the_amount_it_was_asked_for(world, login, ranges):
    account = account_with_bills("27.45")
    client = login(world.cashier)
    form = {**_lookup(client, account), "amount": "2000", "tendered": "2000"}

    changed = {**form, "amount": "3000", "tendered": "3000"}
    response = client.post(COUNTER, {**changed, "confirm_prepaid": "1972.55"})

    assert response.status_code == 400
    assert _hidden(response.content.decode(), "confirm_prepaid") == "2972.55"
    assert not Payment.objects.exists()


def test_up_to_the_limit_over_the_due_posts_without_asking(world, pay):
    account = account_with_bills("27.45")

    payment = pay(account, "527.45")

    assert payment.prepaid_added == D("500.00")


@override_settings(BILLING_OVERPAY_CONFIRM="50.00")
def test_the_overpay_limit_comes_from_the_settings(world, pay):
    account = account_with_bills("27.45", prepaid="10.00")

    with pytest.raises(counter_services.OverpayNotConfirmed) as refused:
        pay(account, "80.00")  # 10.00 prepaid + 80.00 − 27.45 due: 62.55 more to prepaid

    assert refused.value.prepaid == D("80.00") - D("17.45")
    assert pay(account, "80.00", prepaid_confirmed=D("62.55")).prepaid_added == D("62.55")


# --- Closed and unknown accounts -------------------------------------------------------------


def test_a_post_naming_an_account_that_does_not_exist_shows_the_counter_with_the_message(
    world, login, ranges
):
    client = login(world.cashier)
    form = {
        "account": "999999",
        "form_token": str(uuid.uuid4()),
        "amount": "10.00",
        "method": "cash",
        "tendered": "10.00",
    }

    response = client.post(COUNTER, form)

    page = response.content.decode()
    assert response.status_code == 400
    assert "该用户不存在。" in page
    assert 'id="id_q"' in page, "the counter, ready for the next account number"


def test_an_account_closed_between_lookup_and_post_says_what_to_do(world, login, ranges):
    account = account_with_bills("30.00")
    client = login(world.cashier)
    form = {**_lookup(client, account), "amount": "30.00", "tendered": "30.00"}
    Account.objects.filter(pk=account.pk).update(status=AccountStatus.CLOSED)

    page = client.post(COUNTER, form).content.decode()

    assert "已销户，不能在此收费" in page and "营抄中心" in page
    assert "data-counter-form" not in page
    assert not Payment.objects.exists()


def test_a_bad_account_field_is_a_message_not_a_blank_page(world, login, ranges):
    response = login(world.cashier).post(COUNTER, {"account": "abc", "amount": "1"})

    assert response.status_code == 400
    assert 'data-testid="errors"' in response.content.decode()


# --- Full-width digits -----------------------------------------------------------------------


def test_the_lookup_understands_full_width_digits(world, login, ranges):
    account = account_with_bills("30.00", account_no="88000123", phone="13800001234")
    client = login(world.cashier)

    by_number = client.get(COUNTER, {"q": "８８０００１２３"}).content.decode()
    by_phone = client.get(COUNTER, {"q": "１３８００００１２３４"}).content.decode()

    assert _hidden(by_number, "account") == str(account.pk)
    assert _hidden(by_phone, "account") == str(account.pk)


def test_full_width_amounts_post_at_the_counter(world, login, ranges):
    account = account_with_bills("141.60")
    client = login(world.cashier)
    form = {**_lookup(client, account), "amount": "１４１．６０", "tendered": "２００"}

    assert client.post(COUNTER, form).status_code == 302
    payment = Payment.objects.get()
    assert (payment.amount, payment.change) == (D("141.60"), D("58.40"))


@pytest.mark.parametrize("amount", ["1e3", "1_000", "١٢٣", "NaN", "Infinity"])
def test_amounts_decimal_would_take_are_refused_at_the_counter(world, login, ranges, amount):
    account = account_with_bills("1000.00")
    client = login(world.cashier)
    form = {**_lookup(client, account), "amount": amount, "tendered": "1000"}

    response = client.post(COUNTER, form)

    assert response.status_code == 400
    assert "请输入以元为单位、最多两位小数的金额" in response.content.decode()
    assert not Payment.objects.exists()
    assert Bill.objects.get().amount_paid == 0


# --- The one-minute promise (单笔收费1分钟办理完结) ----------------------------------------


def test_a_payment_keeps_the_time_from_the_lookup_to_the_post(world, login, ranges):
    account = account_with_bills("30.00")
    client = login(world.cashier)
    form = {**_lookup(client, account), "amount": "30.00", "tendered": "50"}

    client.post(COUNTER, form)

    payment = Payment.objects.get()
    assert timedelta(0) <= payment.handling_time < timedelta(seconds=30)


@pytest.mark.parametrize(
    "stamp",
    [
        "",  # missing
        "tampered",
        lambda token: lookup_stamp(uuid.uuid4(), timezone.now()),  # another form's
        lambda token: lookup_stamp(token, timezone.now())[:-2] + "xx",  # altered signature
    ],
)
def test_a_missing_or_forged_lookup_time_is_not_measured(world, login, ranges, stamp):
    account = account_with_bills("30.00")
    client = login(world.cashier)
    form = {**_lookup(client, account), "amount": "30.00", "tendered": "50"}
    form["looked_up"] = stamp(form["form_token"]) if callable(stamp) else stamp

    assert client.post(COUNTER, form).status_code == 302
    assert Payment.objects.get().handling_time is None


@pytest.mark.parametrize(
    ("offset", "measured"),
    [
        (timedelta(seconds=-45), timedelta(seconds=45)),
        (timedelta(seconds=30), None),  # in the future
        (timedelta(days=-1), None),  # a form of another business day
    ],
)
def test_the_lookup_time_must_be_of_today_and_not_in_the_future(
    world, pay, monkeypatch, offset, measured
):
    noon = timezone.make_aware(datetime.combine(timezone.localdate(), time(12)))
    monkeypatch.setattr(timezone, "now", lambda: noon)

    payment = pay(account_with_bills("30.00"), "30.00", looked_up_at=noon + offset)

    assert payment.handling_time == measured


# --- The void form of a closed day ----------------------------------------------------------
