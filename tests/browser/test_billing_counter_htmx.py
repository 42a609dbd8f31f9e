"""The counter with htmx: a lookup and a post swap only the page's <main>, no page load; the
address bar follows, so reload and back show the same thing; Enter and Esc still lead."""

import re

from playwright.sync_api import expect

from billing.models import Payment
from tests.billing.factories import InvoiceRangeFactory, account_with_bills

# Set on the window of the first page load: a full page load in between would drop it.
MARK = "window.counterPageMark = 'first load'"
SAME_PAGE = "window.counterPageMark === 'first load'"


def _console_errors(page):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    return errors


def test_lookup_and_post_swap_the_page_and_the_address_bar_follows(page, login_as, world):
    account = account_with_bills("100.00", "23.45")
    InvoiceRangeFactory(cashier=world.cashier, first_no=1, last_no=500)
    login_as(world.cashier)
    errors = _console_errors(page)
    page.goto("/billing/counter/")
    expect(page.locator("#id_q")).to_be_focused()
    page.evaluate(MARK)

    # Enter on the account number: the bills, the cursor in the tender, the URL of the lookup.
    page.keyboard.type(account.account_no)
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("account")).to_contain_text(account.account_no)
    expect(page.locator("#id_tendered")).to_be_focused()
    assert page.url.endswith(f"/billing/counter/?q={account.account_no}")
    assert page.evaluate(SAME_PAGE), "the lookup loaded a whole page"

    # Enter on the tender: the receipt, at its own URL, the way back to the counter focused.
    page.keyboard.type("200")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("receipt")).to_contain_text("壹佰贰拾叁元肆角伍分")
    expect(page.get_by_test_id("next-payment")).to_be_focused()
    payment = Payment.objects.get()
    assert re.search(rf"/billing/payments/{payment.pk}/\?receipt=1$", page.url)
    assert page.title().startswith("收据")
    assert page.evaluate(SAME_PAGE), "the post loaded a whole page"

    # Esc: an empty counter, ready for the next account number, still the same page.
    page.keyboard.press("Escape")
    expect(page.locator("#id_q")).to_be_focused()
    expect(page.get_by_test_id("receipt")).to_have_count(0)
    assert page.url.endswith("/billing/counter/")
    assert page.evaluate(SAME_PAGE)

    # Back: the receipt again, from the server; reload keeps it.
    page.go_back()
    expect(page.get_by_test_id("receipt")).to_contain_text(payment.invoice.display)
    page.reload()
    expect(page.get_by_test_id("receipt")).to_contain_text(payment.invoice.display)
    expect(page.get_by_test_id("next-payment")).to_be_focused()
    # Back once more: the lookup, shown afresh (a new form; the account now has nothing due).
    page.go_back()
    expect(page.get_by_test_id("account")).to_contain_text(account.account_no)
    assert page.url.endswith(f"/billing/counter/?q={account.account_no}")
    assert Payment.objects.count() == 1
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_a_refused_post_shows_its_message_in_place_with_the_cursor_in_the_tender(
    page, login_as, world
):
    account = account_with_bills("30.00")
    InvoiceRangeFactory(cashier=world.cashier, first_no=1, last_no=500)
    login_as(world.cashier)
    page.goto(f"/billing/counter/?q={account.account_no}")
    expect(page.locator("#id_tendered")).to_be_focused()
    page.evaluate(MARK)

    page.keyboard.type("20")
    page.keyboard.press("Enter")

    expect(page.get_by_test_id("errors")).to_contain_text("少于")
    expect(page.locator("#id_tendered")).to_be_focused()
    assert page.evaluate(SAME_PAGE)
    assert not Payment.objects.exists()
    page.fill("#id_tendered", "50")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("receipt-change")).to_have_text("20.00")
    assert Payment.objects.get().change == 20


def test_a_search_by_name_lists_matches_and_a_click_shows_the_account(page, login_as, world):
    account_with_bills("30.00", name="王小明")
    chosen = account_with_bills("30.00", name="王大明")
    InvoiceRangeFactory(cashier=world.cashier, first_no=1, last_no=500)
    login_as(world.cashier)
    page.goto("/billing/counter/")
    expect(page.locator("#id_q")).to_be_focused()
    page.evaluate(MARK)

    page.keyboard.type("明")
    page.keyboard.press("Enter")
    page.get_by_test_id("matches").get_by_role("link", name=chosen.account_no).click()

    expect(page.get_by_test_id("account")).to_contain_text("王大明")
    expect(page.locator("#id_tendered")).to_be_focused()
    assert page.url.endswith(f"?q={chosen.account_no}")
    assert page.evaluate(SAME_PAGE)


def test_a_session_ended_meanwhile_shows_the_login_page(page, login_as, world):
    account = account_with_bills("30.00")
    InvoiceRangeFactory(cashier=world.cashier, first_no=1, last_no=500)
    login_as(world.cashier)
    page.goto("/billing/counter/")
    expect(page.locator("#id_q")).to_be_focused()
    page.evaluate(MARK)
    page.context.clear_cookies()

    page.keyboard.type(account.account_no)
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/accounts/login/"))
    expect(page.locator("#id_username")).to_be_visible()
    # The login page itself, loaded as a page: not pasted into the counter's <main>.
    expect(page.locator("main")).to_have_count(1)
    assert not page.evaluate(SAME_PAGE)
