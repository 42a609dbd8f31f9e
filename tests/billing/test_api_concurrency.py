"""Real threads against PostgreSQL: the same channel payment posted to the API at once by a
gateway that retried is one payment; the same reference for two accounts at once is one payment
and one 409, never a 500."""

import json
import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from billing.models import ChannelPayment, Movement
from tests.billing.api_helpers import bearer, make_client
from tests.billing.factories import account_with_bills

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/api/v1/channel-payments/"


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL (set DATABASE_URL)")


def _post_at_once(token, bodies):
    barrier = threading.Barrier(len(bodies))
    results = [None] * len(bodies)

    def run(index, body):
        try:
            client = Client(raise_request_exception=False)
            barrier.wait()
            results[index] = client.post(
                URL, json.dumps(body), content_type="application/json", **bearer(token)
            ).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(bodies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _body(account, paid_at, **changes):
    return {
        "channel": "wechat",
        "reference": "WX-RACE",
        "account_no": account.account_no,
        "amount": "30.00",
        "paid_at": paid_at,
        **changes,
    }


def test_the_same_payment_posted_at_once_is_one_payment():
    _client, token = make_client()
    account = account_with_bills("30.00")
    paid_at = timezone.localtime().isoformat()
    statuses = _post_at_once(token, [_body(account, paid_at)] * 4)
    assert sorted(statuses) == [200, 200, 200, 201]
    assert ChannelPayment.objects.count() == 1 == Movement.objects.count()


def test_one_reference_for_two_accounts_at_once_is_one_payment_and_one_conflict():
    _client, token = make_client()
    first, second = account_with_bills("30.00"), account_with_bills("30.00")
    paid_at = timezone.localtime().isoformat()
    statuses = _post_at_once(token, [_body(first, paid_at), _body(second, paid_at)])
    assert sorted(statuses) == [201, 409]
    assert ChannelPayment.objects.count() == 1 == Movement.objects.count()
