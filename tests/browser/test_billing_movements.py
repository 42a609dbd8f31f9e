"""The counter knows: a customer says "I already paid on WeChat"; the cashier looks the account up,
sees the WeChat payment in its recent payments, and opens the customer statement to print."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.billing.factories import InvoiceRangeFactory, account_with_bills
from tests.billing.movement_factories import channel_pay, pay


def test_a_cashier_sees_a_wechat_payment_and_opens_the_statement(page, login_as, world):
    paid_at = timezone.now() - timedelta(hours=2)
    account = account_with_bills("45.60", "30.00", created_at=paid_at - timedelta(days=60))
    InvoiceRangeFactory(cashier=world.cashier2)
    pay(world.cashier2, account, "30.00")
    channel_pay(account, "45.60", "WX4200001234", paid_at=paid_at)
    InvoiceRangeFactory(cashier=world.cashier)
    login_as(world.cashier)
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))

    page.goto("/billing/counter/")
    page.keyboard.type(account.account_no)
    page.keyboard.press("Enter")

    history = page.get_by_test_id("history")
    expect(history).to_be_visible()
    rows = history.get_by_test_id("history-row")
    expect(rows).to_have_count(2)
    # Newest first: WeChat 生活缴费 two hours ago, then the counter payment of a colleague.
    expect(rows.nth(0)).to_contain_text("微信生活缴费")
    expect(rows.nth(0)).to_contain_text(timezone.localtime(paid_at).strftime("%Y-%m-%d %H:%M"))
    expect(rows.nth(0)).to_contain_text("45.60")
    expect(rows.nth(1)).to_contain_text(world.hall_a.name)
    expect(rows.nth(1)).to_contain_text("cashier2姓名")

    page.get_by_test_id("statement-link").click()
    statement = page.get_by_test_id("statement")
    expect(statement).to_be_visible()
    expect(page.get_by_test_id("statement-account")).to_have_text(account.account_no)
    expect(page.get_by_test_id("statement-row")).to_have_count(2)
    expect(page.get_by_test_id("statement-received")).to_have_text("75.60")
    # The print stylesheet: the page's header and buttons are not printed.
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_test_id("statement-form")).to_be_hidden()
    expect(page.get_by_test_id("statement-rows")).to_be_visible()
    page.emulate_media(media="screen")

    # Another period: last year has nothing.
    year = timezone.localdate().year - 1
    page.fill("#id_from", f"{year}-01-01")
    page.fill("#id_to", f"{year}-12-31")
    page.get_by_test_id("statement-form").get_by_role("button").click()
    expect(page.get_by_test_id("statement-row")).to_have_count(0)
    expect(page.get_by_test_id("statement-received")).to_have_text("0.00")
    assert errors == []
