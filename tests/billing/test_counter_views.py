import re
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from billing.models import Bill, BillStatus, Payment
from tests.billing.factories import BillFactory, InvoiceRangeFactory, account_with_bills

COUNTER = reverse("billing:counter")


def _form(account, **overrides):
    data = {
        "account": account.pk,
        "form_token": str(uuid.uuid4()),
        "amount": "120.00",
        "method": "cash",
        "tendered": "150",
        "reference": "",
    }
    return {**data, **overrides}


def test_account_number_shows_open_bills_oldest_first_and_the_amount_to_pay(world, login, ranges):
    account = account_with_bills("30.00", "40.00", "50.00", prepaid="20.00")
    client = login(world.cashier)

    page = client.get(COUNTER, {"q": account.account_no}).content.decode()

    assert page.index("2026-01") < page.index("2026-02") < page.index("2026-03")
    assert 'value="100.00"' in page  # 120.00 due less 20.00 prepaid
    assert "120.00" in page
    assert 'name="form_token"' in page


def test_search_by_name_lists_the_matches(world, login, ranges):
    account_with_bills("30.00", name="王小明")
    account_with_bills("30.00", name="王大明")
    client = login(world.cashier)

    page = client.get(COUNTER, {"q": "明"}).content.decode()

    assert "王小明" in page and "王大明" in page
    assert 'data-testid="matches"' in page


def test_unknown_account_says_so_in_chinese(world, login, ranges):
    page = login(world.cashier).get(COUNTER, {"q": "nope"}).content.decode()
    assert "没有" in page


def test_posting_redirects_to_the_receipt_with_capitals_and_change(world, login, ranges):
    account = account_with_bills("30.00", "40.00", "50.00")
    client = login(world.cashier)

    response = client.post(COUNTER, _form(account, amount="123.45", tendered="200"))

    payment = Payment.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith(
        reverse("billing:payment_detail", kwargs={"pk": payment.pk})
    )
    receipt = client.get(response["Location"]).content.decode()
    assert "壹佰贰拾叁元肆角伍分" in receipt
    assert "找零" in receipt and "76.55" in receipt
    assert payment.invoice.display in receipt
    assert "2026-01" in receipt and "2026-03" in receipt
    assert "cashier姓名" in receipt


def test_a_resent_form_makes_one_payment_and_shows_the_same_receipt(world, login, ranges):
    account = account_with_bills("120.00")
    client = login(world.cashier)
    data = _form(account)

    first = client.post(COUNTER, data)
    second = client.post(COUNTER, data)

    assert Payment.objects.count() == 1
    assert first["Location"] == second["Location"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"amount": "0"}, "金额必须大于零"),
        ({"amount": "12.345"}, "最多两位小数"),
        ({"tendered": "100"}, "少于"),
        ({"method": "wechat", "tendered": ""}, "参考号"),
        ({"amount": "abc"}, "最多两位小数"),
    ],
)
def test_bad_input_gets_a_chinese_message_and_writes_nothing(
    world, login, ranges, overrides, message
):
    account = account_with_bills("120.00")
    response = login(world.cashier).post(COUNTER, _form(account, **overrides))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Payment.objects.exists()
    assert Bill.objects.get().status == BillStatus.UNPAID


def test_without_an_invoice_range_the_counter_warns_and_refuses(world, login):
    account = account_with_bills("120.00")
    client = login(world.cashier)

    message = "您没有发票号段：收费前请向收费班长领用发票。"
    page = client.get(COUNTER).content.decode()
    assert 'data-testid="no-range"' in page and message in page
    response = client.post(COUNTER, _form(account))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Payment.objects.exists()


def test_low_invoice_stock_is_announced(world, login):
    InvoiceRangeFactory(cashier=world.cashier, first_no=1, last_no=5)
    account = account_with_bills("120.00")
    client = login(world.cashier)

    assert 'data-testid="stock-low"' in client.get(COUNTER).content.decode()
    response = client.post(COUNTER, _form(account), follow=True)
    assert re.search(r"仅剩\s*4\s*张发票", response.content.decode())


def test_a_posted_payment_takes_at_most_19_queries(world, login, ranges):
    from django.contrib.contenttypes.models import ContentType

    from billing.services.ledger import ledger_open

    account = account_with_bills(*["10.00"] * 6, prepaid="5.00")
    client = login(world.cashier)
    ContentType.objects.get_for_model(Payment)  # cached in a running server
    # The day's first payment also opens the cash ledger, once a day (tests/billing/test_ledger*).
    ledger_open(cashier=world.cashier)

    with CaptureQueriesContext(connection) as captured:
        response = client.post(COUNTER, _form(account, amount="100.00", tendered="100"))

    # The test's own transaction turns the request's atomic blocks into savepoints.
    queries = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert response.status_code == 302
    assert Payment.objects.count() == 1
    # 15 for the payment, 4 for its movement (sequence lock and step, movement, its lines).
    assert len(queries) <= 19, "\n".join(queries)


def _count_queries(client, url, params):

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured.captured_queries)


def test_the_counter_page_runs_a_fixed_number_of_queries(world, login, ranges):
    few = account_with_bills("10.00")
    many = account_with_bills(*["10.00"] * 12)
    client = login(world.cashier)
    _count_queries(client, COUNTER, {"q": few.account_no})

    assert _count_queries(client, COUNTER, {"q": few.account_no}) == _count_queries(
        client, COUNTER, {"q": many.account_no}
    )
    assert _count_queries(client, COUNTER, {"q": many.account_no}) <= 12


def test_the_receipt_runs_a_fixed_number_of_queries(world, login, ranges):
    from billing.services import counter as counter_services

    client = login(world.cashier)
    counts = []
    for bills in (1, 8):
        account = account_with_bills(*["10.00"] * bills)
        BillFactory(account=account, period="2027-01", amount_due=Decimal("1.00"))
        payment = counter_services.payment_post(
            cashier=world.cashier,
            account_id=account.pk,
            amount=Decimal("100.00"),
            method="cash",
            tendered=Decimal("100.00"),
        ).payment
        url = reverse("billing:payment_detail", kwargs={"pk": payment.pk})
        _count_queries(client, url, {})
        counts.append(_count_queries(client, url, {}))
    assert counts[0] == counts[1]


def test_a_closed_account_shows_no_payment_form_and_says_what_to_do(world, login, ranges):
    account = account_with_bills("30.00", status="closed")

    page = login(world.cashier).get(COUNTER, {"q": account.account_no}).content.decode()

    assert 'name="form_token"' not in page
    assert f"户号 {account.account_no} 已销户，不能在此收费" in page
    assert "请用户到营抄中心办理复户或结清手续，或请收费班长处理" in page
    # No bold amount to take where nothing can be taken.
    assert 'data-testid="to-pay"' not in page and "应收" not in page


def test_the_counter_says_the_day_is_submitted_before_anything_is_typed(
    world, login, ranges, pay, account
):
    from billing.models import CashLedger
    from billing.services import ledger as ledger_services

    client = login(world.cashier)
    assert 'data-testid="day-submitted"' not in client.get(COUNTER).content.decode()
    pay(account, "30.00")
    ledger = CashLedger.objects.get(cashier=world.cashier)
    ledger_services.ledger_submit(
        cashier=world.cashier,
        ledger=ledger,
        counts={"100": 5, "10": 3},
        coins_total="0",
        no_deposit_reason="随次日资金入账",
    )

    page = client.get(COUNTER, {"q": account.account_no}).content.decode()

    assert 'data-testid="day-submitted"' in page and "现金日记账已提交" in page
    assert "data-counter-form" not in page, "no payment form to fill in vain"
    assert 'data-testid="account"' in page, "the account and its bills are still shown"


def test_a_ledger_submitted_in_another_hall_does_not_close_this_counter(
    world, login, ranges, pay, account
):
    """Posting locks the ledger of the cashier's current hall, and so the banner checks it."""
    from billing.models import CashLedger
    from billing.services import ledger as ledger_services

    pay(account, "30.00")
    ledger_services.ledger_submit(
        cashier=world.cashier,
        ledger=CashLedger.objects.get(cashier=world.cashier),
        counts={"100": 5, "10": 3},
        coins_total="0",
        no_deposit_reason="随次日资金入账",
    )
    employee = world.cashier.employee
    employee.hall = world.hall_b
    employee.save(update_fields=["hall"])

    page = login(world.cashier).get(COUNTER, {"q": account.account_no}).content.decode()

    assert 'data-testid="day-submitted"' not in page
    assert "data-counter-form" in page


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


# --- htmx: only the page's <main> ----------------------------------------------------------

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_htmx_lookup_gets_the_counter_without_the_page_around_it(world, login, ranges):
    account = account_with_bills("30.00")
    client = login(world.cashier)

    part = client.get(COUNTER, {"q": account.account_no}, **HTMX)
    page = client.get(COUNTER, {"q": account.account_no})

    body = part.content.decode()
    assert part.status_code == 200 and 'data-testid="account"' in body
    assert "<html" not in body and 'class="site-header' not in body
    assert body.startswith("<title>收费台 · ")
    assert "<html" in page.content.decode() and 'class="site-header' in page.content.decode()
    assert "HX-Request" in part["Vary"] and "HX-Request" in page["Vary"]


def test_htmx_post_answers_the_receipt_itself_at_its_own_url(world, login, ranges):
    account = account_with_bills("30.00")
    client = login(world.cashier)

    response = client.post(COUNTER, _form(account, amount="30.00", tendered="50"), **HTMX)

    payment = Payment.objects.get()
    url = reverse("billing:payment_detail", kwargs={"pk": payment.pk})
    assert response.status_code == 200
    assert response["HX-Push-Url"] == f"{url}?receipt=1"
    body = response.content.decode()
    assert 'data-testid="receipt"' in body and "<html" not in body
    assert 'data-testid="next-payment"' in body and payment.invoice.display in body


def test_htmx_refused_post_answers_the_counter_with_its_message(world, login, ranges):
    account = account_with_bills("30.00")
    client = login(world.cashier)

    response = client.post(COUNTER, _form(account, amount="30.00", tendered="20"), **HTMX)

    body = response.content.decode()
    assert response.status_code == 400 and "HX-Push-Url" not in response
    assert "实收现金（20.00）少于应收金额（30.00）。" in body and "<html" not in body
    assert not Payment.objects.exists()


def test_the_receipts_messages_come_with_the_htmx_answer(world, login):
    InvoiceRangeFactory(cashier=world.cashier, first_no=1, last_no=5)
    account = account_with_bills("120.00")
    client = login(world.cashier)

    body = client.post(COUNTER, _form(account), **HTMX).content.decode()

    assert 'data-testid="messages"' in body and re.search(r"仅剩\s*4\s*张发票", body)
