"""The counter by keyboard alone, and a shift lead approving a void."""

import re
from decimal import Decimal

from playwright.sync_api import expect

from billing.models import Payment, PaymentKind, VoidStatus
from billing.services import counter as counter_services
from billing.services import voids as void_services
from tests.billing.factories import InvoiceRangeFactory, account_with_bills


def test_cashier_takes_a_cash_payment_with_change_by_keyboard_only(page, login_as, world):
    account = account_with_bills("100.00", "23.45")
    InvoiceRangeFactory(cashier=world.cashier, first_no=1, last_no=500)
    login_as(world.cashier)
    page.goto("/billing/counter/")
    expect(page.locator("#id_q")).to_be_focused()

    # The search field has the focus: type the account number, Enter.
    page.keyboard.type(account.account_no)
    page.keyboard.press("Enter")
    page.get_by_test_id("account").wait_for()
    expect(page.locator("#id_tendered")).to_be_focused()
    assert page.locator("#id_amount").input_value() == "123.45"

    # The focus is on "cash tendered": type it, see the change, Enter posts.
    page.keyboard.type("200")
    assert page.get_by_test_id("change").inner_text() == "76.55"
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/billing/payments/\d+/"))
    expect(page.get_by_test_id("next-payment")).to_be_focused()
    receipt = page.get_by_test_id("receipt")
    assert "壹佰贰拾叁元肆角伍分" in receipt.inner_text()
    assert page.get_by_test_id("receipt-change").inner_text() == "76.55"
    assert page.get_by_test_id("invoice").inner_text().endswith("00000001")
    payment = Payment.objects.get()
    assert (payment.amount, payment.change) == (Decimal("123.45"), Decimal("76.55"))

    # One key back to an empty counter, ready for the next account number.
    page.keyboard.press("Escape")
    page.wait_for_url("**/billing/counter/")
    expect(page.locator("#id_q")).to_be_focused()


def test_shift_lead_approves_a_void(page, login_as, world):
    account = account_with_bills("30.00")
    InvoiceRangeFactory(cashier=world.cashier)
    payment = counter_services.payment_post(
        cashier=world.cashier,
        account_id=account.pk,
        amount=Decimal("30.00"),
        method="cash",
        tendered=Decimal("50.00"),
    ).payment
    void = void_services.void_request(actor=world.cashier, payment=payment, reason="户号输错")
    login_as(world.shift_lead)

    page.goto("/billing/voids/")
    pending = page.get_by_test_id("pending-voids")
    assert "户号输错" in pending.inner_text()
    page.on("dialog", lambda dialog: dialog.accept())
    pending.get_by_role("button", name="批准").click()

    page.wait_for_url("**/billing/voids/")
    assert "已批准作废" in page.locator(".messages").inner_text()
    void.refresh_from_db()
    assert void.status == VoidStatus.APPROVED
    assert Payment.objects.filter(kind=PaymentKind.REVERSAL, reverses=payment).exists()


def test_cashier_takes_a_wechat_payment_by_keyboard(page, login_as, world):
    account = account_with_bills("56.00")
    InvoiceRangeFactory(cashier=world.cashier, first_no=1, last_no=500)
    login_as(world.cashier)
    page.goto(f"/billing/counter/?q={account.account_no}")
    expect(page.locator("#id_tendered")).to_be_focused()

    page.keyboard.press("Shift+Tab")
    page.keyboard.press("3")
    page.keyboard.press("Tab")
    expect(page.locator("#id_reference")).to_be_focused()
    page.keyboard.type("4200009876")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/billing/payments/\d+/"))
    assert "微信支付（4200009876）" in page.get_by_test_id("receipt").inner_text()
    payment = Payment.objects.get()
    assert (payment.method, payment.tendered) == ("wechat", None)
