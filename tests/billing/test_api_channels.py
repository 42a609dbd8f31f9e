"""POST /api/v1/channel-payments/: a channel payment settles the oldest bills; the same payment
twice is one payment (201, then 200 with the same body); a reused reference is 409; every bad
input is 400 with its code and field, and writes nothing."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from billing.models import ApiCall, ChannelPayment, Movement
from staff.models import AuditEntry
from tests.billing.api_helpers import bearer, make_client
from tests.billing.factories import account_with_bills

pytestmark = pytest.mark.django_db

URL = "/api/v1/channel-payments/"


def body(account, **changes):
    return {
        "channel": "wechat",
        "reference": "WX20261130001",
        "account_no": account.account_no,
        "amount": "35.60",
        "paid_at": timezone.localtime().replace(microsecond=0).isoformat(),
        **changes,
    }


@pytest.fixture
def account(db):
    account = account_with_bills("20.00", "30.00")
    account.created_at = timezone.now() - timedelta(days=365)
    account.save(update_fields=["created_at"])
    return account


def _written():
    return (ChannelPayment.objects.count(), Movement.objects.count(), AuditEntry.objects.count())


def test_a_channel_payment_settles_the_oldest_bills_and_answers_its_movement(api, account):
    response = api.post(URL, body(account))
    assert response.status_code == 201
    answer = response.json()
    payment = ChannelPayment.objects.get()
    movement = Movement.objects.get()
    assert answer["id"] == payment.pk and payment.client.name == "营收系统"
    assert answer["movement_id"] == str(movement.public_id)
    assert answer["movement_seq"] == movement.seq
    assert answer["amount"] == "35.60"
    assert answer["settled"] == [
        {"period": "2026-01", "amount": "20.00"},
        {"period": "2026-02", "amount": "15.60"},
    ]
    assert answer["prepaid_added"] == "0.00" and answer["possible_double"] is False
    assert answer["paid_at"].endswith("+08:00")


def test_the_same_payment_reported_twice_is_one_payment_answered_alike(api, account):
    first = api.post(URL, body(account))
    again = api.post(URL, body(account))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert ChannelPayment.objects.count() == 1 == Movement.objects.count()


def test_a_reference_reused_for_another_payment_is_a_conflict(api, account):
    api.post(URL, body(account))
    before = _written()
    response = api.post(URL, body(account, amount="35.61"))
    assert response.status_code == 409
    [error] = response.json()["errors"]
    assert error["code"] == "reference_conflict" and error["field"] == "reference"
    assert _written() == before


def test_a_payment_finding_nothing_to_settle_goes_to_prepaid_as_a_possible_double(api, account):
    api.post(URL, body(account, amount="50.00"))
    response = api.post(URL, body(account, reference="WX2", amount="50.00"))
    assert response.status_code == 201
    assert response.json()["possible_double"] is True
    assert response.json()["prepaid_added"] == "50.00" and response.json()["settled"] == []


def test_an_amount_may_be_a_json_number_read_exactly(api, account):
    response = api.post(
        URL,
        f'{{"channel": "alipay", "reference": "A1", "account_no": "{account.account_no}", '
        f'"amount": 0.30, "paid_at": "{timezone.localtime().isoformat()}"}}',
        raw=True,
    )
    assert response.status_code == 201
    assert ChannelPayment.objects.get().amount == Decimal("0.30")


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"account_no": "99999999"}, "account_unknown", "account_no"),
        ({"amount": "0"}, "amount_not_positive", "amount"),
        ({"amount": "-5.00"}, "amount_not_positive", "amount"),
        ({"amount": "1.234"}, "amount_invalid", "amount"),
        ({"amount": 12.345}, "amount_invalid", "amount"),
        ({"amount": "1e3"}, "amount_invalid", "amount"),
        ({"amount": True}, "amount_invalid", "amount"),
        ({"amount": None}, "amount_invalid", "amount"),
        ({"amount": "NaN"}, "amount_invalid", "amount"),
        ({"amount": "100000.01"}, "amount_too_large", "amount"),
        ({"channel": "paypal"}, "channel_unknown", "channel"),
        ({"reference": ""}, "reference_missing", "reference"),
        ({"reference": 123}, "field_invalid", "reference"),
        ({"paid_at": "2026-11-30 09:15"}, "paid_at_invalid", "paid_at"),
        ({"paid_at": "yesterday"}, "paid_at_invalid", "paid_at"),
        ({"paid_at": 1764465300}, "paid_at_invalid", "paid_at"),
        ({"account_no": "1\x00"}, "nul_character", "account_no"),
    ],
)
def test_bad_input_is_refused_with_its_code_and_field_and_nothing_written(
    api, account, changes, code, field
):
    before = _written()
    response = api.post(URL, body(account, **changes))
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert (errors[0]["code"], errors[0]["field"]) == (code, field)
    assert errors[0]["message"] and not errors[0]["message"].isascii()  # Chinese
    assert _written() == before
    assert ApiCall.objects.latest("id").error_code == code


def test_a_paid_time_in_the_future_is_refused(api, account):
    later = timezone.localtime() + timedelta(hours=1)
    response = api.post(URL, body(account, paid_at=later.isoformat()))
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "paid_at_future"
    assert ChannelPayment.objects.count() == 0


def test_a_paid_time_before_the_account_existed_is_refused(api, account):
    before_account = account.created_at - timedelta(days=1)
    response = api.post(URL, body(account, paid_at=timezone.localtime(before_account).isoformat()))
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "paid_before_account"
    assert ChannelPayment.objects.count() == 0


def test_missing_fields_are_each_named(api, account):
    response = api.post(URL, {"channel": "wechat"})
    assert response.status_code == 400
    errors = {(e["code"], e["field"]) for e in response.json()["errors"]}
    assert errors == {
        ("field_missing", "reference"),
        ("field_missing", "account_no"),
        ("field_missing", "amount"),
        ("field_missing", "paid_at"),
    }


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("{not json", "json_malformed"),
        ('{"amount": NaN}', "json_malformed"),
        ("[1, 2]", "body_invalid"),
        ('"text"', "body_invalid"),
        ("", "body_missing"),
        ("\xff\xfe".encode("latin-1"), "json_malformed"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_refused(api, raw, code):
    response = api.post(URL, raw, raw=True)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == code
    assert ChannelPayment.objects.count() == 0


def test_a_client_without_the_channel_scope_may_not_report_payments(api, account):
    _client, read_only = make_client("营收系统只读", scopes=["read"])
    response = api.post(URL, body(account), token=read_only)
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "scope_missing"
    assert ChannelPayment.objects.count() == 0


class TestAmountsAreExact(TestCase):
    """Any amount with at most two decimals, sent as a string or a JSON number, is recorded to
    the fen; any with more decimals is refused and writes nothing."""

    def _post(self, amount_json):
        # Each example runs in a transaction of its own, rolled back after it.
        self.token = make_client()[1]
        self.account = account_with_bills("99999.99")
        self.account.created_at = timezone.now() - timedelta(days=1)
        self.account.save(update_fields=["created_at"])
        self.sent = 1
        text = (
            f'{{"channel": "bank_debit", "reference": "R{self.sent}", '
            f'"account_no": "{self.account.account_no}", "amount": {amount_json}, '
            f'"paid_at": "{timezone.localtime().isoformat()}"}}'
        )
        return Client().post(URL, text, content_type="application/json", **bearer(self.token))

    @given(
        amount=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2),
        as_number=st.booleans(),
    )
    def test_two_decimals_are_kept_to_the_fen(self, amount, as_number):
        text = str(amount) if as_number else json.dumps(str(amount))
        response = self._post(text)
        assert response.status_code == 201, response.content
        assert ChannelPayment.objects.get(reference=f"R{self.sent}").amount == amount
        assert response.json()["amount"] == f"{amount:.2f}"

    @given(
        amount=st.decimals(
            min_value=Decimal("0.001"), max_value=Decimal("9999.999"), places=3
        ).filter(lambda amount: amount != amount.quantize(Decimal("0.01"))),
        as_number=st.booleans(),
    )
    def test_more_decimals_are_refused(self, amount, as_number):
        text = str(amount) if as_number else json.dumps(str(amount))
        response = self._post(text)
        assert response.status_code == 400
        assert response.json()["errors"][0]["code"] == "amount_invalid"
        assert ChannelPayment.objects.count() == 0
