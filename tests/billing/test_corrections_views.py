"""Corrections (更正) through the bills upload page, and the office's list of corrections."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from billing.bills_file import CorrectionRow
from billing.models import Bill, BillCorrection, BillImportJob, ImportKind, Movement
from billing.services import imports as import_services
from billing.services.corrections import bill_corrections_apply
from tests.billing.factories import account_with_bills

D = Decimal


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _upload(client, text, *, corrections, encoding="utf-8", name="corrections.csv"):
    data = io.BytesIO(text.encode(encoding))
    data.name = name
    form = {"file": data}
    if corrections:
        form["corrections"] = "on"
    return client.post(reverse("billing:bill_import"), form)


def _correct(account, period, amount, actor, file="更正.csv"):
    return bill_corrections_apply(
        actor=actor,
        rows=[CorrectionRow(account.account_no, period, D(amount))],
        source_file=file,
    )


def test_office_uploads_a_corrections_file_previews_confirms_and_the_job_corrects(
    world, login, pay
):
    account = account_with_bills("30.00", "40.00")
    pay(account, "30.00")
    client = login(world.office)
    text = f"户号,账期,金额\n{account.account_no},2026-01,20.00\n{account.account_no},2026-02,40\n"

    response = _upload(client, text, corrections=True, encoding="gbk")

    job = BillImportJob.objects.get()
    assert job.kind == ImportKind.CORRECTIONS
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="preview-problem"' not in page
    assert 'data-testid="corrections-help"' in page
    client.post(reverse("billing:bill_import_confirm", args=[job.pk]))
    job = import_services.bill_import_job_run(job_id=job.pk)

    assert (job.status, job.bills_corrected, job.rows_unchanged) == ("imported", 1, 1)
    paid = Bill.objects.get(account=account, period="2026-01")
    assert (paid.amount_due, paid.amount_paid) == (D("20.00"), D("20.00"))
    account.refresh_from_db()
    assert account.prepaid_balance == D("10.00")
    correction = BillCorrection.objects.get()
    assert (correction.corrected_by, correction.source_file) == (world.office, "corrections.csv")
    result = client.get(reverse("billing:bill_import_job", args=[job.pk])).content.decode()
    assert 'data-testid="job-result"' in result and 'data-testid="job-notes"' in result


def test_corrections_job_with_an_unknown_bill_is_rejected_with_its_line(world, login):
    account = account_with_bills("30.00")
    client = login(world.office)
    no = account.account_no
    text = f"account_no,period,amount\n{no},2026-01,20\n{no},2025-01,1\n"
    _upload(client, text, corrections=True)
    job = BillImportJob.objects.get()
    client.post(reverse("billing:bill_import_confirm", args=[job.pk]))

    job = import_services.bill_import_job_run(job_id=job.pk)

    assert job.status == "rejected"
    assert job.errors[0].startswith("第 3 行")
    assert Bill.objects.get(account=account).amount_due == D("30.00")
    assert not Movement.objects.exists()


def test_normal_upload_of_a_known_period_is_rejected_and_points_to_corrections(world, login):
    account = account_with_bills("30.00")
    client = login(world.office)
    text = (
        "account_no,name,address,phone,period,volume_m3,amount\n"
        f"{account.account_no},张三,,,2026-01,1,20\n"
    )
    _upload(client, text, corrections=False, name="bills.csv")
    job = BillImportJob.objects.get()
    assert job.kind == ImportKind.BILLS
    client.post(reverse("billing:bill_import_confirm", args=[job.pk]))

    job = import_services.bill_import_job_run(job_id=job.pk)

    assert job.status == "rejected"
    assert "更正" in job.errors[0]
    assert Bill.objects.get(account=account).amount_due == D("30.00")


def test_corrections_preview_says_what_a_wrong_header_lacks(world, login):
    client = login(world.office)
    response = _upload(client, "account_no,amount\n1001,3\n", corrections=True)

    page = client.get(response["Location"]).content.decode()

    assert 'data-testid="preview-problem"' in page and "户号,账期,金额" in page
    assert 'data-testid="confirm"' not in page


def test_office_lists_corrections_with_old_and_new_amounts(world, login, pay):
    account = account_with_bills("30.00", name="王五")
    pay(account, "30.00")
    _correct(account, "2026-01", "12.50", world.office)

    page = login(world.office).get(reverse("billing:correction_list")).content.decode()

    assert "王五" in page and "2026-01" in page and "更正.csv" in page
    for amount in ("30.00", "12.50", "17.50"):
        assert amount in page
    assert "office姓名" in page


def test_correction_list_filters_by_account_file_and_date(world, login):
    first = account_with_bills("30.00")
    second = account_with_bills("40.00")
    _correct(first, "2026-01", "10.00", world.office, file="a.csv")
    _correct(second, "2026-01", "11.00", world.office, file="b.csv")
    client = login(world.director)
    url = reverse("billing:correction_list")

    by_account = client.get(url, {"account": second.account_no}).context["page"]
    by_file = client.get(url, {"file": "A.CSV"}).context["page"]
    by_date = client.get(url, {"date_from": "2000-01-01", "date_to": "2000-01-02"}).context["page"]
    bad_date = client.get(url, {"date_from": "not a date"})

    assert [c.bill.account_id for c in by_account] == [second.pk]
    assert [c.bill.account_id for c in by_file] == [first.pk]
    assert list(by_date) == []
    assert bad_date.status_code == 200


def test_correction_list_takes_the_same_queries_for_one_row_or_many(world, login):
    client = login(world.office)
    url = reverse("billing:correction_list")
    _correct(account_with_bills("30.00"), "2026-01", "10.00", world.office)
    client.get(url)  # warm the session and the menu cache
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for actor in (world.director, world.office, None):
        _correct(account_with_bills("30.00"), "2026-01", "10.00", actor)

    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert len(response.context["page"]) == 4
    assert len(many) == len(one)


def test_correction_export_csv_has_the_amounts_as_numbers(world, login, pay):
    account = account_with_bills("30.00")
    pay(account, "30.00")
    _correct(account, "2026-01", "12.50", world.office)

    response = login(world.office).get(reverse("billing:correction_export", args=["csv"]))

    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][1:9] == [
        account.account_no,
        account.name,
        "2026-01",
        "30.00",
        "12.50",
        "30.00",
        "12.50",
        "17.50",
    ]


def test_cashier_cannot_see_the_corrections(world, login):
    client = login(world.cashier)

    assert client.get(reverse("billing:correction_list")).status_code == 403
    assert reverse("billing:correction_list") not in client.get("/").content.decode()


def test_office_finds_the_corrections_in_the_menu(world, login):
    page = login(world.office).get("/").content.decode()

    assert reverse("billing:correction_list") in page
