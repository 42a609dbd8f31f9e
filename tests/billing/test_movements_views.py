"""The counter knows: an account's recent payments from every hall and channel at the lookup; its
customer statement (缴费记录); the office's page of daily batch files."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from billing.models import Movement
from billing.selectors.movements import HISTORY_LIMIT
from tests.billing.factories import account_with_bills
from tests.billing.movement_factories import (
    channel_pay,
    clock_moved,
    correction,
    day_of_movements,
    pay,
    sign_hall_day,
)

COUNTER = reverse("billing:counter")
FILES = reverse("billing:movement_files")
HTMX = {"HTTP_HX_REQUEST": "true"}


def _history(page: str) -> str:
    match = re.search(r'<section class="card history".*?</section>', page, re.S)
    assert match, "no history on the page"
    return match.group(0)


def _rows(section: str) -> list[str]:
    return re.findall(r'<tr class="[^"]*" data-testid="history-row">(.*?)</tr>', section, re.S)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _statement_url(account, **query):
    url = reverse("billing:account_statement", kwargs={"account_no": account.account_no})
    return url, query


# --- The counter's history -----------------------------------------------------------------


def test_the_lookup_shows_a_wechat_payment_with_when_where_how_and_amount(world, login, ranges):
    paid_at = timezone.now() - timedelta(hours=3)
    account = account_with_bills("30.00", "40.00", created_at=paid_at - timedelta(days=90))
    channel_pay(account, "30.00", "WX-1", paid_at=paid_at)

    page = login(world.cashier).get(COUNTER, {"q": account.account_no}).content.decode()

    [row] = _rows(_history(page))
    text = _text(row)
    assert timezone.localtime(paid_at).strftime("%Y-%m-%d %H:%M") in text
    assert "微信生活缴费" in text.replace(" ", "") and "渠道缴费" in text
    assert "2026-01" in text and "30.00" in text


def test_the_lookup_shows_payments_of_every_hall_with_the_cashier_and_marks_the_void(world, login):
    day = day_of_movements(world)
    pay(world.other_cashier, day.wechat_account, "1.00")

    page = login(world.cashier).get(COUNTER, {"q": day.wechat_account.account_no})

    rows = [_text(row) for row in _rows(_history(page.content.decode()))]
    # Newest first: hall B's payment, WeChat 生活缴费, the reversal, hall A's payments.
    assert len(rows) == 6
    assert world.hall_b.name in rows[0] and "other_cashier姓名" in rows[0]
    assert world.other_cashier.employee.employee_no in rows[0]
    assert "微信" in rows[1]
    assert "冲正" in rows[2] and "-12.34" in rows[2]
    voided = [row for row in rows if "12.34" in row and "-12.34" not in row]
    assert len(voided) == 1 and "已作废" in voided[0]
    assert world.hall_a.name in rows[-1] and "cashier姓名" in rows[-1] and "现金" in rows[-1]


def test_the_history_holds_only_this_accounts_movements_and_no_hall_totals(world, login, ranges):
    """The blind count: the cashier sees this customer's payments, never the hall's cash."""
    mine = account_with_bills("30.00")
    others = account_with_bills("777.00")
    pay(world.cashier2, others, "777.00")
    pay(world.cashier2, mine, "30.00")

    page = login(world.cashier).get(COUNTER, {"q": mine.account_no}).content.decode()
    section = _history(page)

    assert len(_rows(section)) == 1
    assert "777" not in section and "807" not in section


def test_the_history_shows_the_latest_movements_only(world, login, ranges):
    account = account_with_bills(*["1.00"] * (HISTORY_LIMIT + 3))
    for _ in range(HISTORY_LIMIT + 3):
        pay(world.cashier, account, "1.00")
    page = login(world.cashier).get(COUNTER, {"q": account.account_no}).content.decode()
    rows = _rows(_history(page))
    assert len(rows) == HISTORY_LIMIT
    # The newest settled the last period.
    assert f"2026-{HISTORY_LIMIT + 3:02d}" in rows[0]


def test_an_account_without_movements_says_so(world, login, ranges):
    account = account_with_bills("30.00")
    page = login(world.cashier).get(COUNTER, {"q": account.account_no}).content.decode()
    section = _history(page)
    assert _rows(section) == [] and "暂无" in section


def test_the_htmx_lookup_carries_the_history_too(world, login, ranges):
    account = account_with_bills("30.00")
    channel_pay(account, "30.00", "WX-1")
    body = login(world.cashier).get(COUNTER, {"q": account.account_no}, **HTMX).content.decode()
    assert "<html" not in body and len(_rows(_history(body))) == 1
    assert 'data-testid="statement-link"' in body


def _count(client, url, params, **extra):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params, **extra).status_code == 200
    return len(captured.captured_queries)


def test_the_lookup_with_its_history_runs_a_fixed_small_number_of_queries(world, login, ranges):
    few = account_with_bills("10.00")
    pay(world.cashier, few, "10.00")
    many = account_with_bills(*["1.00"] * 15)
    for index in range(12):
        pay(world.cashier, many, "1.00")
        channel_pay(many, "0.50", f"WX-{index}")
    client = login(world.cashier)
    _count(client, COUNTER, {"q": few.account_no})

    counts = [_count(client, COUNTER, {"q": account.account_no}) for account in (few, many)]
    swaps = [_count(client, COUNTER, {"q": a.account_no}, **HTMX) for a in (few, many)]

    # Session, user, roles, the account, its bills, the invoice range; the history (one query).
    assert counts[0] == counts[1] == swaps[0] == swaps[1] <= 7


# --- The customer statement ------------------------------------------------------------------


def test_the_statement_lists_every_movement_of_the_period_with_totals(world, login):
    day = day_of_movements(world)
    url, _query = _statement_url(day.wechat_account)

    page = login(world.cashier).get(url).content.decode()

    assert 'data-testid="statement"' in page
    rows = re.findall(r'data-testid="statement-row">(.*?)</tr>', page, re.S)
    assert len(rows) == 5  # cash, cash voided, WeChat at the counter, reversal, WeChat 生活缴费
    year = timezone.localdate().year
    assert f"{year}-01-01 — {timezone.localdate():%Y-%m-%d}" in page
    received = Movement.objects.filter(account=day.wechat_account)
    total = sum((m.amount for m in received), start=Decimal("0.00"))
    assert total == Decimal("130.00")
    assert re.search(r'data-testid="statement-received">130\.00<', page)
    assert day.wechat_account.address in page and day.wechat_account.name in page
    assert "statement.css" in page and "<style" not in page


def test_the_statement_of_another_period_leaves_the_rest_out(world, login):
    day = day_of_movements(world)
    url, _query = _statement_url(day.wechat_account)
    yesterday = day.business_date - timedelta(days=1)
    client = login(world.office)

    page = client.get(url, {"from": "2020-01-01", "to": yesterday.isoformat()}).content.decode()

    assert 'data-testid="statement-row"' not in page
    assert re.search(r'data-testid="statement-received">0\.00<', page)
    assert f"2020-01-01 — {yesterday:%Y-%m-%d}" in page


@pytest.mark.parametrize(
    "query",
    [
        {"from": "2026-13-01"},
        {"to": "yesterday"},
        {"from": "2026-11-30", "to": "2026-01-01"},
        {"from": "2026-02-30"},
        {"from": "2026-01-01", "to": "2026-01-01T00:00"},
    ],
)
def test_a_bad_period_gets_a_chinese_message_not_a_statement(world, login, query):
    account = account_with_bills("30.00")
    url, _ = _statement_url(account)
    response = login(world.cashier).get(url, query)
    page = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="errors"' in page and 'data-testid="statement-rows"' not in page
    assert re.search(r"[\u4e00-\u9fff]", _text(page.split('data-testid="errors"')[1]))


def test_an_unknown_account_has_no_statement(world, login):
    url = reverse("billing:account_statement", kwargs={"account_no": "99999999"})
    assert login(world.cashier).get(url).status_code == 404


def test_the_statement_runs_a_fixed_number_of_queries(world, login, ranges):
    few = account_with_bills("10.00")
    pay(world.cashier, few, "10.00")
    many = account_with_bills(*["1.00"] * 15)
    for index in range(12):
        pay(world.cashier, many, "1.00")
        channel_pay(many, "0.50", f"WX-{index}")
    client = login(world.cashier)
    urls = [_statement_url(account)[0] for account in (few, many)]
    _count(client, urls[0], {})
    assert _count(client, urls[0], {}) == _count(client, urls[1], {}) <= 5


# --- The batch files page ---------------------------------------------------------------------


def test_the_files_page_offers_yesterday_and_says_whether_it_is_open(world, login):
    day = day_of_movements(world)
    with clock_moved(days=1):
        # Logged in on the next day: a session of the day before would have run out.
        client = login(world.office)
        page = client.get(FILES).content.decode()
        assert f"movements-{day.business_date.isoformat()}-OPEN.csv" in page
        assert world.hall_a.name in page and world.hall_b.name in page
        sign_hall_day(world.hall_a, day.business_date, world.shift_lead)
        sign_hall_day(world.hall_b, day.business_date, world.other_lead)
        page = client.get(FILES).content.decode()

    assert f"movements-{day.business_date.isoformat()}.csv" in page
    assert re.search(r'data-testid="day-state">\s*已关账', page)
    link = reverse("billing:movement_export", args=[day.business_date.isoformat(), "csv"])
    assert f"{link}?encoding=utf-8" in page


def test_the_download_is_the_days_file_under_its_name(world, login):
    day = day_of_movements(world)
    client = login(world.director)
    url = reverse("billing:movement_export", args=[day.business_date.isoformat(), "csv"])

    response = client.get(url, {"encoding": "gbk"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=gbk"
    name = f"movements-{day.business_date.isoformat()}-OPEN.csv"
    assert f'filename="{name}"' in response["Content-Disposition"]
    assert "微信转账0001" in response.content.decode("gbk")


def test_a_refused_download_goes_back_to_the_page_with_its_message(world, login):
    account = account_with_bills("30.00")
    channel_pay(account, "30.00", "WX-😀")
    client = login(world.office)
    today = timezone.localdate().isoformat()
    url = reverse("billing:movement_export", args=[today, "csv"])

    for encoding in ("gbk", "latin-1"):
        response = client.get(url, {"encoding": encoding}, follow=True)
        assert response.redirect_chain[0][0].startswith(FILES)
        assert 'class="message message-error' in response.content.decode()


@pytest.mark.parametrize("day", ["2026-13-40", "2026-1-1-1", "--"])
def test_a_download_of_a_date_that_is_not_one_is_not_found(world, login, day):
    url = reverse("billing:movement_export", args=[day, "csv"])
    assert login(world.office).get(url).status_code == 404


def test_a_bad_date_on_the_files_page_gets_a_message(world, login):
    response = login(world.office).get(FILES, {"day": "2026-02-30", "encoding": "gbk"})
    assert response.status_code == 400
    assert 'class="errors"' in response.content.decode()


def test_the_files_page_runs_a_fixed_number_of_queries(world, login):
    day_of_movements(world)
    client = login(world.office)
    today = timezone.localdate()
    params = [{"day": d.isoformat(), "encoding": "utf-8"} for d in (date(2020, 1, 1), today)]
    _count(client, FILES, params[0])
    assert _count(client, FILES, params[0]) == _count(client, FILES, params[1])


def test_the_statement_and_the_history_show_a_bill_correction(world, login, ranges):
    account = account_with_bills("50.00")
    pay(world.cashier, account, "50.00")
    correction(world.office, account.bills.get(), "42.50")
    client = login(world.cashier)
    url, _query = _statement_url(account)

    page = client.get(url).content.decode()
    history = _history(client.get(COUNTER, {"q": account.account_no}).content.decode())

    rows = [_text(row) for row in re.findall(r'data-testid="statement-row">(.*?)</tr>', page, re.S)]
    assert len(rows) == 2 and "账单更正" in rows[1]
    assert "-7.50" in rows[1] and "7.50" in rows[1]
    totals = _text(page.split('data-testid="statement-totals"')[1].split("</dl>")[0])
    assert "账单更正 -7.50" in totals and "实收合计 50.00" in totals
    assert "预存余额变动 7.50" in totals
    assert "账单更正" in _text(_rows(history)[0])


def test_the_files_page_takes_a_date_alone_in_utf_8(world, login):
    response = login(world.office).get(FILES, {"day": "2026-01-05"})
    page = response.content.decode()
    assert response.status_code == 200 and "movements-2026-01-05.csv" in page
    assert "2026-01-05/export.csv?encoding=utf-8" in page
