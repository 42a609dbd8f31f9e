"""Token authentication of the API and its call log: no token, an unknown or a revoked one
answer 401, a token without the scope 403; a signed-in browser is no client; every call,
answered or refused, is one ApiCall row, and the client's last call is kept."""

import hashlib

import pytest

from billing.models import ApiCall, ApiClient
from billing.services.api_clients import api_client_revoke
from tests.billing.api_helpers import bearer, make_client

pytestmark = pytest.mark.django_db

URL = "/api/v1/movements/"


def _refusal(response):
    [error] = response.json()["errors"]
    return response.status_code, error["code"]


def test_a_call_without_a_token_is_refused_with_401(client):
    response = client.get(URL)
    assert _refusal(response) == (401, "token_missing")
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    ["Bearer nonsense", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc", "Bearer " + "x" * 500],
)
def test_an_unknown_token_or_another_scheme_is_refused_with_401(client, db, header):
    make_client()
    response = client.get(URL, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "token_invalid"


def test_a_revoked_token_is_refused_with_401(client, db):
    _client, token = make_client()
    assert client.get(URL, **bearer(token)).status_code == 200
    api_client_revoke(actor=None, name="营收系统")
    assert _refusal(client.get(URL, **bearer(token))) == (401, "token_revoked")


def test_a_token_without_the_scope_is_refused_with_403(client, db):
    _client, token = make_client(scopes=["channel"])
    assert _refusal(client.get(URL, **bearer(token))) == (403, "scope_missing")


def test_a_signed_in_member_of_staff_is_no_client_system(client, world):
    client.force_login(world.director)
    assert _refusal(client.get(URL)) == (401, "token_missing")


def test_only_the_tokens_hash_is_stored(db):
    api_client, token = make_client()
    stored = ApiClient.objects.get(pk=api_client.pk)
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {stored.token_hash, stored.token_prefix, stored.name}
    assert token.startswith(stored.token_prefix)


def test_every_call_is_logged_answered_or_refused(client, db):
    api_client, token = make_client()
    client.get(URL + "?after=3", **bearer(token), REMOTE_ADDR="10.1.2.3")
    client.get(URL, HTTP_AUTHORIZATION="Bearer wrong")
    client.get(URL, **bearer(token), QUERY_STRING="after=x")
    client.get("/api/v1/nowhere/", **bearer(token))
    calls = list(ApiCall.objects.order_by("id"))
    assert [(c.method, c.path, c.status, c.error_code) for c in calls] == [
        ("GET", URL, 200, ""),
        ("GET", URL, 401, "token_invalid"),
        ("GET", URL, 400, "cursor_invalid"),
        ("GET", "/api/v1/nowhere/", 404, "not_found"),
    ]
    assert [c.client_id for c in calls] == [api_client.pk, None, api_client.pk, api_client.pk]
    assert calls[0].query == "after=3" and calls[0].remote_addr == "10.1.2.3"
    assert all(c.duration_ms >= 0 for c in calls)
    api_client.refresh_from_db()
    assert api_client.last_seen_at == calls[-1].at


def test_a_revoked_clients_calls_are_logged_under_its_name(client, db):
    api_client, token = make_client()
    api_client_revoke(actor=None, name=api_client.name)
    client.get(URL, **bearer(token))
    call = ApiCall.objects.get()
    assert (call.client_id, call.status, call.error_code) == (api_client.pk, 401, "token_revoked")


def test_the_callers_address_is_taken_behind_the_configured_proxies(client, db, settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    _client, token = make_client()
    client.get(URL, **bearer(token), HTTP_X_FORWARDED_FOR="10.9.9.9, 10.0.0.1")
    assert ApiCall.objects.get().remote_addr == "10.0.0.1"


def test_the_office_reads_the_clients_and_the_call_log_in_the_admin(client, world):
    api_client, token = make_client()
    client.get(URL, **bearer(token))
    client.force_login(world.office)
    assert "营收系统" in client.get("/admin/billing/apiclient/").content.decode()
    detail = client.get(f"/admin/billing/apiclient/{api_client.pk}/change/").content.decode()
    assert api_client.token_hash not in detail
    assert URL in client.get("/admin/billing/apicall/").content.decode()
    client.force_login(world.cashier)
    assert client.get("/admin/billing/apicall/").status_code in (302, 403)
