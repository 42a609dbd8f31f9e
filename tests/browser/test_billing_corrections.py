"""The office uploads the meter-reading office's corrections (更正): the box on the bills import
page, the first rows, the job's result, and the corrections in their list."""

import signal
from decimal import Decimal

from django.core.management import call_command

from billing.models import Bill
from tests.billing.factories import account_with_bills


def _run_worker():
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def test_office_uploads_corrections_and_finds_them_in_the_list(page, login_as, world):
    account = account_with_bills("30.00", "40.00", name="欧阳娜娜")
    text = f"户号,账期,金额\n{account.account_no},2026-01,25.50\n{account.account_no},2026-02,40\n"
    login_as(world.office)
    page.goto("/billing/bills/import/")

    page.get_by_test_id("corrections").check()
    page.screenshot(path="tests/browser/screenshots/corrections-upload.png", full_page=True)
    corrections = {"name": "更正四月.csv", "mimeType": "text/csv", "buffer": text.encode("gbk")}
    page.set_input_files("input[type=file]", corrections)
    page.locator("[data-upload-form] button[type=submit]").click()
    page.get_by_test_id("preview").wait_for()
    assert page.get_by_test_id("kind").inner_text() == "更正"
    assert page.get_by_test_id("preview-problem").count() == 0
    page.screenshot(path="tests/browser/screenshots/corrections-preview.png", full_page=True)
    page.get_by_test_id("confirm").click()

    _run_worker()
    page.get_by_test_id("job-result").wait_for()
    assert "已更正账单 1 张" in page.get_by_test_id("job-result").inner_text()
    assert "未改动" in page.get_by_test_id("job-notes").inner_text()
    assert Bill.objects.get(account=account, period="2026-01").amount_due == Decimal("25.50")

    page.get_by_role("link", name="查看更正").click()
    table = page.get_by_test_id("corrections")
    table.wait_for()
    assert "欧阳娜娜" in table.inner_text() and "更正四月.csv" in table.inner_text()
    page.screenshot(path="tests/browser/screenshots/corrections-list.png", full_page=True)
