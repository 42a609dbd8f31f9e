"""The possible double payments a hall lead follows up, the leads' home-page item, the office's
channel payments list and the channel payments import page (upload → preview → confirm →
background job → result)."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from billing.models import BillImportJob, ChannelPayment, Movement
from billing.services.channels import ChannelPaymentInput, channel_payments_record
from staff.core.audit import history_for

from .factories import account_with_bills
from .test_imports_views import media, run_worker  # noqa: F401 - fixtures

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

DOUBLES = reverse("billing:channel_doubles")
HEADER = "channel,reference,account_no,amount,paid_at\n"


def _channel(account, reference, amount="30.00", channel="wechat"):
    [recorded] = channel_payments_record(
        [
            ChannelPaymentInput(
                channel=channel,
                reference=reference,
                account_no=account.account_no,
                amount=Decimal(amount),
                paid_at=timezone.now() - timedelta(minutes=30),
            )
        ]
    )
    return recorded.payment


@pytest.fixture
def doubles(world, pay):
    """A double of hall A (paid at its counter, then by WeChat), one of hall B, one of no hall."""
    paid_in_a = account_with_bills("30.00", created_at=None)
    pay(paid_in_a, "30.00")
    paid_in_b = account_with_bills("20.00", created_at=None)
    pay(paid_in_b, "20.00", cashier=world.other_cashier)
    never_at_counter = account_with_bills("10.00", created_at=None)
    _channel(never_at_counter, "FIRST", "10.00")
    return {
        "a": _channel(paid_in_a, "WX-A"),
        "b": _channel(paid_in_b, "WX-B", "20.00"),
        "none": _channel(never_at_counter, "WX-N", "10.00"),
    }


def test_a_lead_sees_the_doubles_of_their_hall_and_of_no_hall(world, login, doubles):
    page = login(world.shift_lead).get(DOUBLES).content.decode()
    assert "WX-A" in page and "WX-N" in page
    assert "WX-B" not in page


def test_the_office_sees_every_double_with_the_counter_payment_that_settled_the_bill(
    world, login, doubles
):
    page = login(world.office).get(DOUBLES).content.decode()
    assert "WX-A" in page and "WX-B" in page and "WX-N" in page
    # The counter payment: its hall and cashier; the earlier channel payment of the other.
    assert "龙泉" in page and "cashier姓名" in page
    assert "泉口" in page and "other_cashier姓名" in page
    assert "FIRST" in page


def test_a_cashier_cannot_open_the_doubles(world, login, doubles):
    assert login(world.cashier).get(DOUBLES).status_code == 403


def test_the_lead_follows_up_a_double_once_with_a_note(world, login, doubles):
    client = login(world.shift_lead)
    url = reverse("billing:channel_follow_up", args=[doubles["a"].pk])

    response = client.post(url, {"note": "已电话联系用户，转预存"})

    assert response.status_code == 302
    payment = ChannelPayment.objects.get(pk=doubles["a"].pk)
    assert payment.followed_up_by == world.shift_lead and payment.followed_up_at
    assert payment.follow_up_note == "已电话联系用户，转预存"
    assert "billing.channel_payment.follow_up" in [entry.action for entry in history_for(payment)]
    page = client.get(DOUBLES).content.decode()
    assert "已电话联系用户，转预存" in page

    again = client.post(url, {"note": "再次"}, follow=True).content.decode()
    assert "已经跟进" in again
    payment.refresh_from_db()
    assert payment.follow_up_note == "已电话联系用户，转预存"


def test_a_follow_up_without_a_note_is_refused(world, login, doubles):
    client = login(world.shift_lead)
    url = reverse("billing:channel_follow_up", args=[doubles["a"].pk])
    page = client.post(url, {"note": "  "}, follow=True).content.decode()
    assert 'role="alert"' in page or "errorlist" in page or "必填" in page
    assert ChannelPayment.objects.get(pk=doubles["a"].pk).followed_up_at is None


def test_the_lead_of_another_hall_cannot_follow_up(world, login, doubles):
    url = reverse("billing:channel_follow_up", args=[doubles["a"].pk])
    response = login(world.other_lead).post(url, {"note": "x"})
    assert response.status_code == 404
    assert ChannelPayment.objects.get(pk=doubles["a"].pk).followed_up_at is None


def test_leads_see_how_many_doubles_wait_on_their_home_page(world, login, doubles):
    home = login(world.shift_lead).get(reverse("staff:home")).content.decode()
    assert DOUBLES in home and "可能重复缴费" in home
    ChannelPayment.objects.filter(possible_double=True).update(
        followed_up_by=world.shift_lead, followed_up_at=timezone.now()
    )
    home = login(world.shift_lead).get(reverse("staff:home")).content.decode()
    assert "待跟进" not in home or DOUBLES not in home.split("attention")[-1]


def test_the_doubles_page_runs_a_fixed_number_of_queries(world, login, pay, doubles):
    client = login(world.office)
    client.get(DOUBLES)
    with CaptureQueriesContext(connection) as few:
        client.get(DOUBLES)
    for n in range(5):
        account = account_with_bills("10.00", created_at=None)
        pay(account, "10.00")
        _channel(account, f"MORE{n}", "10.00")
    with CaptureQueriesContext(connection) as many:
        assert client.get(DOUBLES).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_office_lists_channel_payments_filtered_by_channel_and_doubles(world, login, doubles):
    client = login(world.office)
    url = reverse("billing:channel_payment_list")
    page = client.get(url).content.decode()
    assert "WX-A" in page and "FIRST" in page
    page = client.get(url, {"doubles": "on"}).content.decode()
    assert "WX-A" in page and "FIRST" not in page
    page = client.get(url, {"channel": "alipay"}).content.decode()
    assert "WX-A" not in page


def test_the_channel_payments_list_runs_a_fixed_number_of_queries(world, login, doubles):
    client = login(world.office)
    url = reverse("billing:channel_payment_list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(5):
        _channel(account_with_bills("10.00", created_at=None), f"LIST{n}", "10.00")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)


def _file(text, encoding="utf-8", name="wechat.csv"):
    data = io.BytesIO(text.encode(encoding))
    data.name = name
    return data


def _run_worker(request):
    """The bills import tests' worker fixture (the same jobs machinery)."""
    request.getfixturevalue("run_worker")()


def test_office_uploads_a_channel_file_confirms_and_the_worker_imports_it(
    world, login, request, pay
):
    paid = account_with_bills("30.00", created_at=None)
    pay(paid, "30.00")
    open_bill = account_with_bills("25.00", created_at=None)
    when = timezone.localtime(timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    text = "渠道,流水号,户号,金额,支付时间\n" + (
        f"微信,WX1,{paid.account_no},30.00,{when}\n支付宝,ZFB1,{open_bill.account_no},25,{when}\n"
    )
    client = login(world.office)

    response = client.post(
        reverse("billing:channel_import"), {"file": _file(text, "gbk")}, follow=True
    )

    job = BillImportJob.objects.get()
    assert job.kind == "channel_payments"
    page = response.content.decode()
    assert "GBK" in page and "ZFB1" in page and "支付宝" in page
    client.post(reverse("billing:channel_import_confirm", args=[job.pk]))
    _run_worker(request)

    job.refresh_from_db()
    assert job.status == "imported", job.errors
    assert job.result["new"] == 2 and job.result["doubles"] == 1
    result = client.get(reverse("billing:channel_import_job", args=[job.pk])).content.decode()
    assert "2" in result and DOUBLES in result
    assert ChannelPayment.objects.get(reference="WX1").possible_double
    assert Movement.objects.filter(kind="channel_payment").count() == 2


def test_a_bad_channel_file_is_rejected_by_the_job_with_line_numbers(world, login, request):
    when = timezone.localtime(timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    client = login(world.office)
    client.post(
        reverse("billing:channel_import"),
        {"file": _file(HEADER + f"wechat,WX1,404404,1.00,{when}\n")},
    )
    job = BillImportJob.objects.get()
    client.post(reverse("billing:channel_import_confirm", args=[job.pk]))
    _run_worker(request)

    job.refresh_from_db()
    assert job.status == "rejected" and job.error_count == 1
    assert "2" in job.errors[0] and "404404" in job.errors[0]
    assert not ChannelPayment.objects.exists()


def test_a_bills_job_is_not_reachable_through_the_channel_pages(world, login):
    job = BillImportJob.objects.create(
        filename="bills.csv",
        size=1,
        encoding="UTF-8",
        lines=1,
        status="rejected",
        uploaded_by=world.office,
    )
    client = login(world.office)
    assert client.get(reverse("billing:channel_import_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("billing:bill_import_job", args=[job.pk])).status_code == 200


def test_the_channel_upload_page_refuses_a_file_with_a_wrong_header_in_the_preview(world, login):
    client = login(world.office)
    response = client.post(
        reverse("billing:channel_import"), {"file": _file("a,b,c\n1,2,3\n")}, follow=True
    )
    page = response.content.decode()
    assert 'data-testid="preview-problem"' in page
    assert 'data-testid="confirm"' not in page
