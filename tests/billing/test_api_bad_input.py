"""Hostile input to the API never reaches a 500 and is never answered in HTML: NUL characters in
the address, the query or the body, a huge body, emoji, wrong types, unknown addresses and
methods; and a real server error is a JSON 500, logged like any call. (The pages' fuzz test,
tests/test_fuzz.py, skips the API: it logs in with sessions, the API takes tokens.)"""

import json
import sqlite3

import pytest

from billing.models import ApiCall, ChannelPayment, Movement
from tests.billing.api_helpers import bearer
from tests.fuzz import HOSTILE

pytestmark = pytest.mark.django_db

MOVEMENTS = "/api/v1/movements/"
CHANNEL = "/api/v1/channel-payments/"

VALID = {
    "channel": "wechat",
    "reference": "WX1",
    "account_no": "10000001",
    "amount": "10.00",
    "paid_at": "2026-11-30T09:00:00+08:00",
}


def _is_refusal(response, status=400):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    errors = response.json()["errors"]
    assert errors and all({"code", "field", "message"} <= set(error) for error in errors)
    return errors


@pytest.mark.parametrize("label", sorted(HOSTILE))
@pytest.mark.parametrize("name", ["after", "limit"])
def test_hostile_query_values_are_400_in_json(api, name, label):
    # Every one is refused, "huge" too: 20 digits are beyond any sequence number.
    _is_refusal(api.get(MOVEMENTS, **{name: HOSTILE[label]}))


@pytest.mark.parametrize("label", sorted(HOSTILE))
@pytest.mark.parametrize("field", sorted(VALID))
def test_hostile_body_values_are_400_in_json_and_write_nothing(api, field, label):
    response = api.post(CHANNEL, {**VALID, field: HOSTILE[label]})
    _is_refusal(response)
    assert ChannelPayment.objects.count() == 0 == Movement.objects.count()


@pytest.mark.parametrize(
    "value", [1, 1.5, True, None, [], {}, ["wechat"], {"a": 1}, "😀" * 100, "x" * 10_000]
)
@pytest.mark.parametrize("field", sorted(VALID))
def test_wrong_types_are_400_in_json(api, field, value):
    _is_refusal(api.post(CHANNEL, {**VALID, field: value}))


def test_a_nul_in_the_address_or_query_is_400_in_json_and_logged(api):
    assert _is_refusal(api.get("/api/v1/movements/%00/"))[0]["code"] == "nul_character"
    assert _is_refusal(api.get(MOVEMENTS, after="1\x00"))[0]["code"] == "nul_character"
    assert _is_refusal(api.get(MOVEMENTS, other="\x00"))[0]["code"] == "nul_character"
    calls = ApiCall.objects.order_by("id")
    assert [call.error_code for call in calls] == ["nul_character"] * 3
    assert calls[0].path == "/api/v1/movements/\\x00/"


def test_a_nul_in_a_form_encoded_body_is_400_in_json(client, token):
    response = client.post(
        CHANNEL, "channel=%00", content_type="application/x-www-form-urlencoded", **bearer(token)
    )
    _is_refusal(response)


def test_a_huge_body_is_refused_unread_with_413(api):
    body = json.dumps({**VALID, "reference": "x" * 100_000})
    errors = _is_refusal(api.post(CHANNEL, body, raw=True), status=413)
    assert errors[0]["code"] == "body_too_large"


def test_deeply_nested_json_is_400(api):
    _is_refusal(api.post(CHANNEL, "[" * 20_000 + "]" * 20_000, raw=True))


def test_a_json_number_of_thousands_of_digits_is_400(api):
    body = json.dumps(VALID).replace('"10.00"', "9" * 5000)
    assert _is_refusal(api.post(CHANNEL, body, raw=True))[0]["code"] == "amount_invalid"


def test_unknown_addresses_and_methods_answer_json(api, client, token):
    assert _is_refusal(api.get("/api/v1/nothing/"), status=404)[0]["code"] == "not_found"
    assert _is_refusal(api.get("/api/v1/"), status=404)[0]["code"] == "not_found"
    refused = client.delete(MOVEMENTS, **bearer(token))
    assert _is_refusal(refused, status=405)[0]["code"] == "method_not_allowed"
    assert "GET" in refused["Allow"]
    refused = client.get(CHANNEL, **bearer(token))
    assert _is_refusal(refused, status=405)[0]["code"] == "method_not_allowed"


def test_a_server_error_is_a_json_500_and_logged(client, token, monkeypatch):
    def broken(after, limit):
        raise RuntimeError("boom")

    monkeypatch.setattr("billing.api.movements.movements_after", broken)
    client.raise_request_exception = False
    response = client.get(MOVEMENTS, **bearer(token))
    errors = _is_refusal(response, status=500)
    assert errors[0]["code"] == "server_error" and "boom" not in response.content.decode()
    call = ApiCall.objects.get()
    assert (call.status, call.error_code) == (500, "server_error")


def test_an_address_without_its_final_slash_is_a_json_404_not_a_redirect(api):
    for response in (api.get("/api/v1/movements"), api.post("/api/v1/channel-payments", VALID)):
        errors = _is_refusal(response, status=404)
        assert errors[0]["code"] == "not_found" and "/" in errors[0]["message"]


def test_the_database_unavailable_is_a_json_503_with_retry_after(client, token, monkeypatch):
    def unreachable(after, limit):
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr("billing.api.movements.movements_after", unreachable)
    client.raise_request_exception = False
    response = client.get(MOVEMENTS, **bearer(token))
    assert _is_refusal(response, status=503)[0]["code"] == "database_unavailable"
    assert response["Retry-After"] == "10"
