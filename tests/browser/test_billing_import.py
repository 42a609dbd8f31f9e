"""The office imports the month's bills: too large refused at once, first rows to check, then
the background job's progress on the page until its result."""

import signal

from django.core.management import call_command

from billing.models import Account, BillImportJob

BILLS = "户号,户名,地址,电话,账期,水量,金额\n8001,欧阳娜娜,掇刀区白石坡路5号,,2026-04,3,8.85\n"


def _run_worker():
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def test_office_uploads_checks_the_first_rows_and_follows_the_import(
    page, login_as, world, settings
):
    settings.UPLOAD_MAX_MB = 1
    login_as(world.office)
    page.goto("/billing/bills/import/")

    # Too large: the browser says so before sending anything.
    big = {"name": "big.csv", "mimeType": "text/csv", "buffer": b"x" * (2 * 1024 * 1024)}
    page.set_input_files("input[type=file]", big)
    assert page.locator("[data-upload-error]").inner_text() == "文件大于 1 MB，未上传。"
    page.locator("[data-upload-form] button[type=submit]").click()
    assert page.url.endswith("/billing/bills/import/") and not BillImportJob.objects.exists()

    # A GBK file: its first rows as read, then confirm.
    bills = {"name": "四月.csv", "mimeType": "text/csv", "buffer": BILLS.encode("gbk")}
    page.set_input_files("input[type=file]", bills)
    page.locator("[data-upload-form] button[type=submit]").click()
    page.get_by_test_id("preview").wait_for()
    assert page.get_by_test_id("encoding").inner_text() == "GBK"
    assert "欧阳娜娜" in page.get_by_test_id("preview").inner_text()
    page.get_by_test_id("confirm").click()
    assert page.get_by_test_id("job-state").inner_text() == "排队中"
    assert not Account.objects.exists()

    # The worker runs the job; the page follows it without a reload.
    _run_worker()
    page.get_by_test_id("job-result").wait_for()
    assert "已导入 1 张账单" in page.get_by_test_id("job-result").inner_text()
    assert Account.objects.get(account_no="8001").name == "欧阳娜娜"
