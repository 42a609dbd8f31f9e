"""The served OpenAPI schema is the API's contract: every documented answer of every endpoint
is produced here and validated against the schema served at /api/v1/schema/ with openapi-core
(the request too: valid requests must pass, and the ones the server refuses for their shape
must fail the schema as well). A new endpoint or answer that no case covers fails the test."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from tests.billing.api_helpers import bearer, make_client
from tests.billing.factories import account_with_bills

pytestmark = pytest.mark.django_db

MOVEMENTS = "/api/v1/movements/"
CHANNEL = "/api/v1/channel-payments/"


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def tokens(db):
    return {
        "both": make_client("营收系统")[1],
        "read": make_client("只读", scopes=["read"])[1],
        "channel": make_client("网关", scopes=["channel"])[1],
    }


def _payment(account, **changes):
    return {
        "channel": "wechat",
        "reference": "API-1",
        "account_no": account.account_no,
        "amount": "35.60",
        "paid_at": timezone.localtime().replace(microsecond=0).isoformat(),
        **changes,
    }


def _cases(client, tokens, account):
    """(path, method, status, request valid by the schema?, response) of every answer."""

    def get(query="", token="both"):
        headers = bearer(tokens[token]) if token else {}
        return client.get(f"{MOVEMENTS}{query}", **headers)

    def post(body, token="both"):
        headers = bearer(tokens[token]) if token else {}
        data = body if isinstance(body, str) else json.dumps(body)
        return client.post(CHANNEL, data, content_type="application/json", **headers)

    payment = _payment(account)
    yield CHANNEL, "post", 201, True, post(payment)
    yield CHANNEL, "post", 200, True, post(payment)
    yield CHANNEL, "post", 409, True, post({**payment, "amount": "1.00"})
    yield CHANNEL, "post", 400, True, post(_payment(account, account_no="0", reference="X"))
    yield CHANNEL, "post", 400, False, post(_payment(account, amount="1.234", reference="Y"))
    yield CHANNEL, "post", 401, False, post(payment, token=None)
    yield CHANNEL, "post", 403, True, post(payment, token="read")
    yield CHANNEL, "post", 413, False, post(_payment(account, reference="Z" * 70_000))
    yield MOVEMENTS, "get", 200, True, get("?after=0&limit=10")
    yield MOVEMENTS, "get", 200, True, get()
    yield MOVEMENTS, "get", 400, False, get("?after=abc")
    yield MOVEMENTS, "get", 400, False, get("?limit=1001")
    yield MOVEMENTS, "get", 401, False, get(token=None)
    yield MOVEMENTS, "get", 401, True, client.get(MOVEMENTS, HTTP_AUTHORIZATION="Bearer unknown")
    yield MOVEMENTS, "get", 403, True, get(token="channel")


def test_every_answer_of_every_endpoint_matches_the_served_schema(
    client, schema, tokens, every_kind
):
    openapi = OpenAPI.from_dict(schema)
    account = account_with_bills("20.00", "30.00")
    account.created_at = timezone.now() - timedelta(days=1)
    account.save(update_fields=["created_at"])
    tested = set()
    for path, method, status, request_valid, response in _cases(client, tokens, account):
        assert response.status_code == status, (path, status, response.content[:300])
        request = DjangoOpenAPIRequest(response.wsgi_request)
        openapi.validate_response(request, DjangoOpenAPIResponse(response))
        if request_valid:
            openapi.validate_request(request)
        else:
            with pytest.raises(Exception):  # noqa: B017 (any of openapi-core's request errors)
                openapi.validate_request(request)
        tested.add((path, method, str(status)))
    documented = {
        (path, method, status)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        for status in operation["responses"]
    }
    assert documented == tested, "documented answers without a case here, or the reverse"


def test_the_movements_page_of_every_kind_matches_the_schema(client, schema, tokens, every_kind):
    openapi = OpenAPI.from_dict(schema)
    response = client.get(MOVEMENTS, **bearer(tokens["read"]))
    kinds = {movement["kind"] for movement in response.json()["movements"]}
    assert kinds == {"payment", "reversal", "channel_payment", "correction"}
    request = DjangoOpenAPIRequest(response.wsgi_request)
    openapi.validate_response(request, DjangoOpenAPIResponse(response))
    # The check has teeth: an amount as a JSON number is not what the schema promises.
    page = response.json()
    page["movements"][0]["amount"] = 50.0
    response.content = json.dumps(page).encode()
    with pytest.raises(Exception):  # noqa: B017 (openapi-core's response errors)
        openapi.validate_response(request, DjangoOpenAPIResponse(response))


def test_the_schema_documents_auth_errors_and_examples(schema):
    assert schema["components"]["securitySchemes"]["ClientToken"]["scheme"] == "bearer"
    for operations in schema["paths"].values():
        for operation in operations.values():
            assert operation["security"] == [{"ClientToken": []}]
            assert operation["summary"] and operation["description"]
            for status, answer in operation["responses"].items():
                if status.startswith("4"):
                    ref = answer["content"]["application/json"]["schema"]["$ref"]
                    assert ref.endswith("/ErrorOut")
    assert schema["components"]["schemas"]["ErrorOut"]["examples"]


def test_the_docs_page_is_served_from_local_static_files(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "<script>" not in page
