"""GET /api/v1/movements/: every kind of movement with its fields, read by cursor; the same
cursor reads the same rows; a page costs the same queries whatever its size."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from billing.models import ApiClient, Movement
from billing.services.channels import ChannelPaymentInput, channel_payments_record
from tests.billing.api_helpers import bearer, make_client
from tests.billing.api_helpers import channel_payment as _channel
from tests.billing.factories import account_with_bills

pytestmark = pytest.mark.django_db

URL = "/api/v1/movements/"


def test_the_billing_system_reads_every_kind_of_movement_with_its_fields(api, world, every_kind):
    response = api.get(URL)
    assert response.status_code == 200
    page = response.json()
    assert page["has_more"] is False and page["next"] == 4
    payment, reversal, channel, correction = page["movements"]
    assert [m["kind"] for m in page["movements"]] == [
        "payment",
        "reversal",
        "channel_payment",
        "correction",
    ]
    assert [m["seq"] for m in page["movements"]] == [1, 2, 3, 4]
    stored = Movement.objects.get(seq=1)
    assert payment["id"] == str(stored.public_id)
    assert payment["account_no"] == every_kind["account"].account_no
    assert payment["amount"] == "50.00" and payment["method"] == "cash"
    assert payment["lines"] == [
        {"period": "2026-01", "amount": "30.00"},
        {"period": "2026-02", "amount": "20.00"},
    ]
    assert payment["hall"] == "longquan" and payment["hall_name"] == "龙泉"
    assert payment["cashier_employee_no"] == world.cashier.employee.employee_no
    assert payment["invoice_code"] and payment["invoice_number"]
    assert payment["business_date"] == timezone.localdate().isoformat()
    assert payment["occurred_at"].endswith("+08:00")
    assert payment["reverses"] is None and payment["channel"] is None
    assert reversal["reverses"] == payment["id"]
    assert reversal["amount"] == "-50.00"
    assert reversal["lines"] == [
        {"period": "2026-01", "amount": "-30.00"},
        {"period": "2026-02", "amount": "-20.00"},
    ]
    assert channel["channel"] == "wechat" and channel["method"] == "wechat"
    assert channel["reference"] == "WX1" and channel["amount"] == "35.60"
    # Times in full, with the +08:00 offset.
    assert channel["paid_at"] == timezone.localtime(every_kind["paid_at"]).isoformat()
    assert channel["hall"] is None and channel["invoice_number"] == ""
    assert correction["old_amount_due"] == "40.00" and correction["new_amount_due"] == "45.00"
    assert correction["amount"] == "5.00"


def test_the_cursor_pages_through_in_seq_order_and_says_what_comes_next(api):
    account = account_with_bills(*["10.00"] * 5)
    for number in range(5):
        _channel(account, "1.00", reference=f"R{number}")
    first = api.get(URL, after="0", limit="2").json()
    assert [m["seq"] for m in first["movements"]] == [1, 2]
    assert first["next"] == 2 and first["has_more"] is True
    second = api.get(URL, after=first["next"], limit="2").json()
    assert [m["seq"] for m in second["movements"]] == [3, 4] and second["has_more"] is True
    last = api.get(URL, after=second["next"], limit="2").json()
    assert [m["seq"] for m in last["movements"]] == [5]
    assert last["next"] == 5 and last["has_more"] is False
    empty = api.get(URL, after="5").json()
    assert empty == {"movements": [], "next": 5, "has_more": False}


def test_reading_the_same_cursor_again_returns_the_same_movements(api):
    account = account_with_bills("10.00", "10.00")
    _channel(account, "3.00", reference="A")
    _channel(account, "4.00", reference="B")
    first = api.get(URL, after="0", limit="2").json()
    assert api.get(URL, after="0", limit="2").json() == first
    _channel(account, "5.00", reference="C")  # a newer movement comes after, never between
    again = api.get(URL, after="0", limit="2").json()
    assert again["movements"] == first["movements"] and again["next"] == first["next"]
    assert again["has_more"] is True
    assert (
        api.get(URL, after="0").json()["movements"][:2]
        == api.get(URL, after="0", limit="2").json()["movements"]
    )


def test_the_default_page_is_100_and_the_limit_may_reach_the_maximum(api, settings):
    settings.API_MOVEMENTS_MAX_LIMIT = 3
    account = account_with_bills("10.00")
    for number in range(4):
        _channel(account, "1.00", reference=f"R{number}")
    assert len(api.get(URL, limit="3").json()["movements"]) == 3
    assert len(api.get(URL).json()["movements"]) == 4
    refused = api.get(URL, limit="4")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["code"] == "limit_too_large"


def _queries(api, limit):
    with CaptureQueriesContext(connection) as queries:
        response = api.get(URL, limit=str(limit))
    assert response.status_code == 200 and len(response.json()["movements"]) == limit
    return [query["sql"] for query in queries.captured_queries]


def test_a_page_costs_the_same_queries_whatever_its_size(api, world, pay):
    account = account_with_bills(*["10.00"] * 30)
    for number in range(30):
        pay(account, "1.00") if number % 3 == 0 else _channel(account, "1.00", f"R{number}")
    small, large = _queries(api, 1), _queries(api, 30)
    assert len(small) == len(large)
    feed = [sql for sql in large if "billing_movement" in sql]
    assert len(feed) == 2, feed  # the movements with what they join, then all their lines


def test_a_successful_read_sets_the_clients_last_read_time(api, token):
    client = ApiClient.objects.get()
    assert client.last_read_at is None
    api.get(URL)
    client.refresh_from_db()
    assert client.last_read_at is not None and client.last_seen_at == client.last_read_at
    refused_at = client.last_read_at
    api.get(URL, after="x")
    client.refresh_from_db()
    assert client.last_read_at == refused_at  # a refused read is no read
    assert client.last_seen_at > refused_at


def test_a_client_without_the_read_scope_is_refused(api):
    _client, channel_only = make_client("支付网关", scopes=["channel"])
    response = api.get(URL, token=channel_only)
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "scope_missing"


class TestPagingByCursor(TestCase):
    """Whatever the page sizes, paging from any cursor reads every later movement exactly once,
    in seq order, each page again the same when its cursor is read again."""

    @given(
        count=st.integers(min_value=0, max_value=12),
        start=st.integers(min_value=0, max_value=14),
        limits=st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=6),
    )
    def test_pages_cover_every_later_movement_once_in_order(self, count, start, limits):
        token = make_client()[1]
        account = account_with_bills("1.00")
        if count:
            channel_payments_record(
                [
                    ChannelPaymentInput(
                        channel="alipay",
                        reference=f"P{number}",
                        account_no=account.account_no,
                        amount=Decimal("0.50"),
                        paid_at=timezone.now(),
                    )
                    for number in range(count)
                ]
            )
        client = Client()
        seqs = list(Movement.objects.order_by("seq").values_list("seq", flat=True))
        read, after = [], start
        for turn in range(len(seqs) + 2):
            limit = limits[turn % len(limits)]
            query = {"after": after, "limit": limit}
            page = client.get(URL, query, **bearer(token)).json()
            assert client.get(URL, query, **bearer(token)).json() == page
            got = [movement["seq"] for movement in page["movements"]]
            assert len(got) <= limit
            assert page["next"] == (got[-1] if got else after)
            read += got
            after = page["next"]
            if not page["has_more"]:
                break
        assert read == [seq for seq in seqs if seq > start]
