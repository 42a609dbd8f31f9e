"""A cashier's day closed blind, verified by the shift lead, the hall day signed and printed."""

import re
from decimal import Decimal

from django.utils import timezone

from billing.models import CashLedger, Deposit, HallDay, LedgerState
from billing.services import counter as counter_services
from billing.services import ledger as ledger_services
from tests.billing.factories import InvoiceRangeFactory, account_with_bills


def test_cashier_deposits_and_closes_blind_then_the_lead_verifies_signs_and_prints(
    page, login_as, world
):
    page.on("dialog", lambda dialog: dialog.accept())
    account = account_with_bills("30.00", "20.00")
    InvoiceRangeFactory(cashier=world.cashier)
    for amount, method, reference in (("30.00", "cash", ""), ("20.00", "wechat", "WX1")):
        counter_services.payment_post(
            cashier=world.cashier,
            account_id=account.pk,
            amount=Decimal(amount),
            method=method,
            tendered=Decimal(amount) if method == "cash" else None,
            reference=reference,
        )

    # The cashier: the ledger shows no expected cash while open, nor what to deposit.
    login_as(world.cashier)
    page.goto("/billing/ledgers/today/")
    page.wait_for_url(re.compile(r"/billing/ledgers/\d+/$"))
    assert page.get_by_test_id("blind").is_visible()
    assert page.get_by_test_id("expected").count() == 0
    deposit = page.get_by_test_id("deposit-form")
    assert deposit.get_by_label("解款金额").input_value() == ""
    assert re.fullmatch(r"\d\d:\d\d:\d\d", deposit.get_by_label("解款时间").input_value())

    # A deposit refused (the depositor as escort): the message is at the top, focused.
    deposit.get_by_label("银行").fill("工商银行龙泉支行")
    deposit.get_by_label("解款单号").fill("JK0001")
    deposit.get_by_label("解款金额").fill("30.00")
    deposit.get_by_label("陪同人").select_option(str(world.cashier.employee.pk))
    deposit.get_by_role("button", name="登记解款").click()
    alert = page.locator(".messages [role=alert]")
    alert.wait_for()
    assert "陪同人" in alert.inner_text()
    assert page.evaluate("document.activeElement.getAttribute('role')") == "alert"
    assert alert.bounding_box()["y"] < 768  # in view, not below the fold

    # Again with the escort: the amount the cashier counted for the bank.
    deposit = page.get_by_test_id("deposit-form")
    deposit.get_by_label("陪同人").select_option(str(world.cashier2.employee.pk))
    deposit.get_by_role("button", name="登记解款").click()
    page.get_by_test_id("deposits").wait_for()
    assert Deposit.objects.get().escort == world.cashier2.employee

    # The blind count: the float of 500 in notes of 100.
    count = page.get_by_test_id("count-form")
    count.get_by_label("100 元").fill("5")
    count.get_by_role("button", name="提交清点").click()
    page.get_by_test_id("expected").wait_for()
    assert page.get_by_test_id("expected").inner_text() == "500.00"
    assert "无" in page.get_by_test_id("variance").inner_text()
    ledger = CashLedger.objects.get()
    assert ledger.state == LedgerState.SUBMITTED

    # The shift lead verifies the ledger.
    login_as(world.shift_lead)
    page.goto(f"/billing/ledgers/{ledger.pk}/")
    page.get_by_test_id("verify-form").get_by_role("button", name="核对并签字").click()
    page.wait_for_function(
        "document.querySelector('[data-testid=ledger-state]').textContent.includes('已核对')"
    )

    # The hall day: the WeChat statement entered, then signed.
    day = timezone.localdate().isoformat()
    page.goto(f"/billing/days/{world.hall_a.pk}/{day}/")
    settlement = page.get_by_test_id("settlement-form")
    settlement.get_by_label("收款渠道").select_option("wechat")
    settlement.get_by_label("结算总额").fill("20.00")
    settlement.get_by_role("button", name="保存").click()
    page.get_by_test_id("sign-form").get_by_role("button", name="营业日签字确认").click()
    page.get_by_test_id("hall-day-signed").wait_for()
    assert HallDay.objects.get().is_signed

    # The printable report, with its signature lines.
    page.get_by_test_id("report-link").click()
    report = page.get_by_test_id("hall-day-report")
    report.wait_for()
    lines = page.get_by_test_id("signature-lines").inner_text()
    for word in ("收费员", "班长", "陪同人"):
        assert word in lines


def test_lead_sees_why_verify_and_sign_are_off_and_a_recount_turns_verify_on(page, login_as, world):
    from billing.services import counter as counter_services

    account = account_with_bills("30.00")
    InvoiceRangeFactory(cashier=world.cashier)
    counter_services.payment_post(
        cashier=world.cashier,
        account_id=account.pk,
        amount=Decimal("30.00"),
        method="cash",
        tendered=Decimal("30.00"),
    )
    ledger = ledger_services.ledger_submit(
        cashier=world.cashier,
        ledger=CashLedger.objects.get(),
        counts={"100": 5, "10": 2},
        coins_total="0",
        no_deposit_reason="银行已关门",
    )
    assert ledger.variance == Decimal("-10.00")

    # Not explained yet: the verify button is off, and says why.
    login_as(world.shift_lead)
    page.goto(f"/billing/ledgers/{ledger.pk}/")
    verify = page.get_by_test_id("verify-form")
    button = verify.get_by_role("button", name="核对并签字")
    assert button.is_disabled()
    assert "收费员尚未说明长短款" in page.get_by_test_id("verify-blocker").inner_text()
    assert "银行已关门" in page.get_by_test_id("no-deposit-reason").inner_text()

    # The hall day cannot be signed either, and says why.
    day = timezone.localdate().isoformat()
    page.goto(f"/billing/days/{world.hall_a.pk}/{day}/")
    sign = page.get_by_test_id("sign-form")
    assert sign.get_by_role("button", name="营业日签字确认").is_disabled()
    assert "未核对" in page.get_by_test_id("sign-blocker").inner_text()

    # A recount that finds the drawer right: the button comes on, and the ledger is verified.
    page.goto(f"/billing/ledgers/{ledger.pk}/")
    verify = page.get_by_test_id("verify-form")
    verify.get_by_label("复点金额（如复点）").fill("530.00")
    assert verify.get_by_role("button", name="核对并签字").is_enabled()
    verify.get_by_label("长短款处理意见").fill("复点无误，收费员点错")
    verify.get_by_role("button", name="核对并签字").click()
    page.wait_for_function(
        "document.querySelector('[data-testid=ledger-state]').textContent.includes('已核对')"
    )

    # Every ledger verified, no non-cash takings: the hall day is signed plainly.
    page.goto(f"/billing/days/{world.hall_a.pk}/{day}/")
    page.get_by_test_id("sign-form").get_by_role("button", name="营业日签字确认").click()
    page.get_by_test_id("hall-day-signed").wait_for()
    assert HallDay.objects.get().is_signed


def test_lead_signs_without_the_wechat_statement_giving_the_reason_printed_on_the_report(
    page, login_as, world
):
    from billing.services import counter as counter_services

    account = account_with_bills("20.00")
    InvoiceRangeFactory(cashier=world.cashier)
    counter_services.payment_post(
        cashier=world.cashier,
        account_id=account.pk,
        amount=Decimal("20.00"),
        method="wechat",
        reference="WX1",
    )
    ledger = ledger_services.ledger_submit(
        cashier=world.cashier, ledger=CashLedger.objects.get(), counts={"100": 5}, coins_total="0"
    )
    ledger_services.ledger_verify(lead=world.shift_lead, ledger=ledger)

    login_as(world.shift_lead)
    day = timezone.localdate().isoformat()
    page.goto(f"/billing/days/{world.hall_a.pk}/{day}/")
    sign = page.get_by_test_id("sign-form")
    assert "缺少：微信支付" in sign.inner_text()
    # Without the reason: refused, the message at the top and focused.
    sign.get_by_role("button", name="营业日签字确认").click()
    alert = page.locator(".messages [role=alert]")
    alert.wait_for()
    assert "未录入结算总额" in alert.inner_text()
    assert page.evaluate("document.activeElement.getAttribute('role')") == "alert"
    sign = page.get_by_test_id("sign-form")
    sign.get_by_label("结算总额不全仍签字的原因").fill("微信对账单次日才出")
    sign.get_by_role("button", name="营业日签字确认").click()
    page.get_by_test_id("hall-day-signed").wait_for()
    page.get_by_test_id("report-link").click()
    assert "微信对账单次日才出" in page.get_by_test_id("missing-settlement-reason").inner_text()
