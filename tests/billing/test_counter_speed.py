"""What the counter's speed work changed keeps the counter's behaviour (issue 3, benchmark)."""

import multiprocessing
import re
import runpy
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from billing.models import Bill, BillStatus, Payment
from tests.billing.factories import account_with_bills

COUNTER = reverse("billing:counter")
GUNICORN_CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def test_settled_bills_are_written_in_one_statement_with_their_new_state(world, pay):
    account = account_with_bills("30.00", "40.00", "50.00")

    with CaptureQueriesContext(connection) as captured:
        pay(account, "85.00")

    bill_updates = [
        q["sql"] for q in captured.captured_queries if q["sql"].startswith('UPDATE "billing_bill"')
    ]
    assert len(bill_updates) == 1
    bills = list(Bill.objects.filter(account=account).order_by("period"))
    assert [(b.amount_paid, b.status) for b in bills] == [
        (Decimal("30.00"), BillStatus.PAID),
        (Decimal("40.00"), BillStatus.PAID),
        (Decimal("15.00"), BillStatus.PARTLY_PAID),
    ]


def test_a_part_payment_leaves_the_later_bills_untouched(world, pay):
    account = account_with_bills("30.00", "40.00")

    pay(account, "10.00")

    first, second = Bill.objects.filter(account=account).order_by("period")
    assert (first.amount_paid, first.status) == (Decimal("10.00"), BillStatus.PARTLY_PAID)
    assert (second.amount_paid, second.status) == (Decimal("0.00"), BillStatus.UNPAID)
    account.refresh_from_db()
    assert account.prepaid_balance == Decimal("0.00")


def test_the_prepaid_balance_is_written_when_it_changes(world, pay):
    account = account_with_bills("30.00", prepaid="5.00")

    pay(account, "40.00")

    account.refresh_from_db()
    assert account.prepaid_balance == Decimal("15.00")  # 5 + 40 - 30


def _hidden(page, name):
    return re.search(rf'<input type="hidden" name="{name}" value="([^"]*)" id="id_{name}">', page)


def test_the_counter_form_carries_the_account_and_a_fresh_token(world, login, ranges):
    account = account_with_bills("30.00")
    client = login(world.cashier)

    first = client.get(COUNTER, {"q": account.account_no}).content.decode()
    second = client.get(COUNTER, {"q": account.account_no}).content.decode()

    assert _hidden(first, "account")[1] == str(account.pk)
    tokens = {_hidden(first, "form_token")[1], _hidden(second, "form_token")[1]}
    assert len(tokens) == 2 and all(uuid.UUID(t) for t in tokens)
    assert re.search(r'<option value="cash" selected>', first)


def test_a_refused_post_shows_the_same_token_and_the_chosen_method_again(world, login, ranges):
    account = account_with_bills("30.00")
    client = login(world.cashier)
    token = str(uuid.uuid4())

    response = client.post(
        COUNTER,
        {
            "account": account.pk,
            "form_token": token,
            "amount": "30.00",
            "method": "wechat",
            "tendered": "",
            "reference": "",
        },
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert _hidden(page, "form_token")[1] == token
    assert _hidden(page, "account")[1] == str(account.pk)
    assert re.search(r'<option value="wechat" selected>', page)
    assert not re.search(r'<option value="cash" selected>', page)
    assert not Payment.objects.exists()


@pytest.mark.parametrize("value", ["off", "", "none"])
def test_gunicorn_writes_no_access_log_when_it_is_off(monkeypatch, value):
    monkeypatch.setenv("GUNICORN_ACCESS_LOG", value)
    assert runpy.run_path(str(GUNICORN_CONF))["accesslog"] is None


def test_gunicorn_defaults_to_two_sync_workers_per_core(monkeypatch):
    for name in ("GUNICORN_ACCESS_LOG", "GUNICORN_THREADS", "GUNICORN_WORKER_CLASS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    conf = runpy.run_path(str(GUNICORN_CONF))

    assert conf["accesslog"] == "-"
    assert conf["worker_class"] == "sync"
    assert conf["workers"] == 2 * multiprocessing.cpu_count()


def test_gthread_threads_fit_in_the_default_pool(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKER_CLASS", "gthread")
    monkeypatch.setenv("GUNICORN_THREADS", "4")
    conf = runpy.run_path(str(GUNICORN_CONF))
    base = (Path(__file__).resolve().parents[2] / "config/settings/base.py").read_text()
    pool_max = int(re.search(r'"DB_POOL_MAX_SIZE", default=(\d+)', base)[1])

    assert conf["worker_class"] == "gthread"
    assert conf["threads"] <= pool_max
