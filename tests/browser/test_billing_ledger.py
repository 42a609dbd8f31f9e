"""A cashier's day closed blind, verified by the shift lead, the hall day signed and printed."""

import re
from decimal import Decimal

from django.utils import timezone

from billing import services
from billing.models import CashLedger, Deposit, HallDay, LedgerState
from tests.billing.factories import InvoiceRangeFactory, account_with_bills


def test_cashier_deposits_and_closes_blind_then_the_lead_verifies_signs_and_prints(
    page, login_as, world
):
    page.on("dialog", lambda dialog: dialog.accept())
    account = account_with_bills("30.00", "20.00")
    InvoiceRangeFactory(cashier=world.cashier)
    for amount, method, reference in (("30.00", "cash", ""), ("20.00", "wechat", "WX1")):
        services.payment_post(
            cashier=world.cashier,
            account_id=account.pk,
            amount=Decimal(amount),
            method=method,
            tendered=Decimal(amount) if method == "cash" else None,
            reference=reference,
        )

    # The cashier: the ledger shows no expected cash while open.
    login_as(world.cashier)
    page.goto("/billing/ledgers/today/")
    page.wait_for_url(re.compile(r"/billing/ledgers/\d+/$"))
    assert page.get_by_test_id("blind").is_visible()
    assert page.get_by_test_id("expected").count() == 0

    # A deposit with an escort: the form proposes what it should be.
    assert "30.00" in page.get_by_test_id("deposit-should-be").inner_text()
    deposit = page.get_by_test_id("deposit-form")
    deposit.get_by_label("银行").fill("工商银行龙泉支行")
    deposit.get_by_label("解款单号").fill("JK0001")
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
