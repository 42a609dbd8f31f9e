"""What the API tests share: client systems with their tokens, calls with a token."""

import json

import pytest

from billing.services.api_clients import api_client_create


def make_client(name="营收系统", scopes=("read", "channel")):
    """(client, token) of a new client system."""
    created = api_client_create(actor=None, name=name, scopes=list(scopes))
    return created.client, created.token


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def token(db):
    """A token of the billing system, with both scopes."""
    return make_client()[1]


@pytest.fixture
def api(client, token):
    """`api.get(path, **params)` and `api.post(path, body)` with the billing system's token."""

    class Api:
        def get(self, path, token=token, **params):
            return client.get(path, params, **(bearer(token) if token else {}))

        def post(self, path, body, token=token, raw=False):
            data = body if raw else json.dumps(body)
            return client.post(
                path, data, content_type="application/json", **(bearer(token) if token else {})
            )

    return Api()
