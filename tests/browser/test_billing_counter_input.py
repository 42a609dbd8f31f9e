"""The counter with what cashiers really type: full-width digits (a Chinese input method), odd
cents, slips of the keyboard; and the confirming Enter of a large overpayment."""

import re
from decimal import Decimal

from playwright.sync_api import expect

from billing.models import Payment
from tests.billing.factories import InvoiceRangeFactory, account_with_bills


def _counter_for(page, login_as, world, *amounts, account_no="88000123"):
    account = account_with_bills(*amounts, account_no=account_no)
    InvoiceRangeFactory(cashier=world.cashier, first_no=1, last_no=500)
    login_as(world.cashier)
    page.goto("/billing/counter/")
    expect(page.locator("#id_q")).to_be_focused()
    return account


def test_cashier_types_full_width_digits_in_the_lookup_and_the_tender(page, login_as, world):
    _counter_for(page, login_as, world, "141.60")

    page.keyboard.type("８８０００１２３")
    page.keyboard.press("Enter")
    page.get_by_test_id("account").wait_for()
    expect(page.locator("#id_tendered")).to_be_focused()
    assert page.locator("#id_amount").input_value() == "141.60"

    page.keyboard.type("２００．００")
    change = page.get_by_test_id("change")
    assert change.inner_text() == "58.40"
    assert change.get_attribute("class") == "status-ok"
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/billing/payments/\d+/"))
    assert page.get_by_test_id("receipt-change").inner_text() == "58.40"
    payment = Payment.objects.get()
    assert (payment.amount, payment.tendered, payment.change) == (
        Decimal("141.60"),
        Decimal("200.00"),
        Decimal("58.40"),
    )
    assert payment.handling_time is not None


def test_the_live_change_shows_nothing_while_the_amount_is_invalid(page, login_as, world):
    account = _counter_for(page, login_as, world, "12.34")
    page.goto(f"/billing/counter/?q={account.account_no}")
    expect(page.locator("#id_tendered")).to_be_focused()
    page.keyboard.type("200")
    change = page.get_by_test_id("change")
    assert change.inner_text() == "187.66"

    for amount in ("0", "12.345", "1e3", "1_000", "١٢", "12,5", "NaN", "-12.34", "１２．３４５"):
        page.fill("#id_amount", amount)
        assert change.inner_text() == "—", amount
        assert change.get_attribute("class") != "status-ok", amount

    page.fill("#id_amount", "１２．３４")
    assert change.inner_text() == "187.66"
    page.fill("#id_tendered", "1e3")
    assert change.inner_text() == "—"


def test_a_large_overpayment_posts_after_a_confirming_enter(page, login_as, world):
    account = _counter_for(page, login_as, world, "27.45")
    page.goto(f"/billing/counter/?q={account.account_no}")
    expect(page.locator("#id_tendered")).to_be_focused()
    page.fill("#id_amount", "100000")
    page.fill("#id_tendered", "100000")
    page.keyboard.press("Enter")

    errors = page.get_by_test_id("errors")
    errors.wait_for()
    assert "99,972.55 元转入预存" in errors.inner_text()
    post = page.get_by_test_id("post")
    assert post.inner_text() == "确认 99,972.55 元转入预存并收费（回车）"
    assert not Payment.objects.exists()
    # Still keyboard-first: the focus is back on the tender, and Enter confirms.
    expect(page.locator("#id_tendered")).to_be_focused()
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/billing/payments/\d+/"))
    payment = Payment.objects.get()
    assert payment.prepaid_added == Decimal("99972.55")


def test_changing_the_amount_drops_the_confirmation(page, login_as, world):
    account = _counter_for(page, login_as, world, "27.45")
    page.goto(f"/billing/counter/?q={account.account_no}")
    expect(page.locator("#id_tendered")).to_be_focused()
    page.fill("#id_amount", "2000")
    page.fill("#id_tendered", "2000")
    page.keyboard.press("Enter")
    page.get_by_test_id("errors").wait_for()
    expect(page.locator("#id_tendered")).to_be_focused()

    page.fill("#id_amount", "27.45")

    assert page.get_by_test_id("post").inner_text() == "确认收费（回车）"
    assert page.locator("#id_confirm_prepaid").count() == 0
