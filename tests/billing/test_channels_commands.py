"""`manage.py import_channel_payments FILE`: UTF-8 or GBK, all or nothing with line numbers,
a summary, and a second import of the same file writes nothing."""

from datetime import UTC, timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from billing.models import Account, BillImportJob, BillStatus, ChannelPayment, Movement
from billing.services.channels import ChannelPaymentInput, channel_payments_record

from .factories import account_with_bills

pytestmark = pytest.mark.django_db

HEADER = "channel,reference,account_no,amount,paid_at\n"
CHINESE_HEADER = "渠道,流水号,户号,金额,支付时间\n"


def _paid(minutes_ago=60):
    return timezone.localtime(timezone.now() - timedelta(minutes=minutes_ago)).strftime(
        "%Y-%m-%d %H:%M"
    )


def _write(tmp_path, text, encoding="utf-8", name="channels.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return str(path)


def _run(path, *args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_channel_payments", path, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _fail(path, *args):
    from io import StringIO

    err = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_channel_payments", path, *args, stdout=StringIO(), stderr=err)
    return str(refused.value), err.getvalue()


@pytest.fixture
def accounts():
    return [account_with_bills("30.00", "20.00", created_at=None) for _ in range(3)]


def test_a_gbk_file_with_chinese_header_and_names_settles_bills_and_prints_a_summary(
    tmp_path, accounts
):
    a, b, c = accounts
    text = CHINESE_HEADER + (
        f"微信,WX1,{a.account_no},30.00,{_paid()}\n"
        f"支付宝,ZFB1,{b.account_no},５０．００,{_paid()}\n"
        f"bank_debit,BK1,{c.account_no},10,{_paid()}\n"
    )
    out, _err = _run(_write(tmp_path, text, "gbk"))

    assert "3 new channel payments of 90.00 yuan" in out
    assert "0 already reported" in out and "0 possible double payments" in out
    assert "GBK" in out
    assert list(a.bills.order_by("period").values_list("status", flat=True)) == [
        BillStatus.PAID,
        BillStatus.UNPAID,
    ]
    assert {bill.status for bill in b.bills.all()} == {BillStatus.PAID}
    assert ChannelPayment.objects.get(reference="ZFB1").channel == "alipay"
    assert Movement.objects.count() == 3


def test_importing_the_same_file_again_writes_nothing_new(tmp_path, accounts):
    a = accounts[0]
    path = _write(tmp_path, HEADER + f"wechat,WX1,{a.account_no},30.00,{_paid()}\n")
    _run(path)
    out, _err = _run(path)

    assert "0 new channel payments" in out and "1 already reported" in out
    assert ChannelPayment.objects.count() == 1 == Movement.objects.count()
    a.refresh_from_db()
    assert a.prepaid_balance == Decimal("0.00")


def test_a_utf8_file_with_bom_and_iso_times_with_offset_is_read(tmp_path, accounts):
    a = accounts[0]
    paid = (timezone.now() - timedelta(hours=1)).astimezone(UTC).replace(microsecond=0)
    text = "\ufeff" + HEADER + f"official_account,GZH1,{a.account_no},1.50,{paid.isoformat()}\n"
    _run(_write(tmp_path, text))

    assert ChannelPayment.objects.get().paid_at == paid


def test_every_bad_line_is_reported_with_its_number_and_nothing_is_written(tmp_path, accounts):
    a = accounts[0]
    future = timezone.localtime(timezone.now() + timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    text = HEADER + (
        f"wechat,OK1,{a.account_no},30.00,{_paid()}\n"  # 2: good
        f"paypal,X1,{a.account_no},1.00,{_paid()}\n"  # 3: channel
        f"wechat,X2,999999,1.00,{_paid()}\n"  # 4: no such account
        f"wechat,X3,{a.account_no},0,{_paid()}\n"  # 5: zero
        f"wechat,X4,{a.account_no},1.005,{_paid()}\n"  # 6: three decimals
        f"wechat,X5,{a.account_no},1e3,{_paid()}\n"  # 7: exponent
        f"wechat,X6,{a.account_no},1.00,{future}\n"  # 8: future
        f"wechat,X7,{a.account_no},1.00,yesterday\n"  # 9: not a time
        f"wechat,,{a.account_no},1.00,{_paid()}\n"  # 10: no reference
        f"wechat,OK1,{a.account_no},31.00,{_paid()}\n"  # 11: same reference, other amount
        f"wechat,X8,{a.account_no}\n"  # 12: columns
    )
    message, err = _fail(_write(tmp_path, text))

    assert "nothing was imported" in message
    for line in range(3, 13):
        assert f"第 {line} 行" in err or f"Line {line}:" in err, line
    assert not err.startswith("第 2 行") and "\n第 2 行" not in err and "Line 2:" not in err
    assert not ChannelPayment.objects.exists() and not Movement.objects.exists()


def test_a_reference_already_reported_for_another_amount_is_refused(tmp_path, accounts):
    a = accounts[0]
    channel_payments_record(
        [
            ChannelPaymentInput(
                "wechat", "WX9", a.account_no, Decimal("5.00"), timezone.now() - timedelta(hours=2)
            )
        ]
    )
    _message, err = _fail(_write(tmp_path, HEADER + f"wechat,WX9,{a.account_no},6.00,{_paid()}\n"))

    assert "WX9" in err
    assert ChannelPayment.objects.count() == 1


def test_a_paid_time_before_the_account_existed_is_refused(tmp_path):
    account = account_with_bills("30.00")
    account.created_at = timezone.now() - timedelta(minutes=10)
    account.save()
    _message, err = _fail(
        _write(tmp_path, HEADER + f"wechat,WX1,{account.account_no},30,{_paid(60)}\n")
    )
    assert account.account_no in err
    assert not ChannelPayment.objects.exists()


def test_only_the_first_200_errors_are_listed_with_the_total(tmp_path):
    text = HEADER + "".join(f"wechat,R{n},1,abc,{_paid()}\n" for n in range(250))
    message, err = _fail(_write(tmp_path, text))
    assert "250 error(s)" in message
    assert "and 50 more" in err


def test_a_big5_file_is_refused(tmp_path, accounts):
    text = ("渠道,流水號,戶號,金額,支付時間\n" + "微信,繳費,1,1,2026-01-01 10:00\n" * 20).encode(
        "big5"
    )
    message, err = _fail(_write(tmp_path, text))
    assert "nothing was imported" in message
    assert "Big5" in err or "UTF-8" in err
    assert not ChannelPayment.objects.exists()


def test_a_payment_twice_in_one_file_is_one_payment(tmp_path, accounts):
    a = accounts[0]
    line = f"wechat,WX1,{a.account_no},30.00,{_paid()}\n"
    out, _err = _run(_write(tmp_path, HEADER + line + line))
    assert "1 new channel payments" in out and "1 already reported" in out
    assert ChannelPayment.objects.count() == 1


def test_background_queues_a_job_for_the_worker(tmp_path, accounts):
    a = accounts[0]
    out, _err = _run(
        _write(tmp_path, HEADER + f"wechat,WX1,{a.account_no},30.00,{_paid()}\n"),
        "--background",
        "--source",
        "wechat-2026-11-30.csv",
    )
    job = BillImportJob.objects.get()
    assert job.kind == "channel_payments" and job.status == "queued"
    assert job.filename == "wechat-2026-11-30.csv"
    assert f"job {job.pk}" in out
    assert not ChannelPayment.objects.exists()
    assert Account.objects.count() == 3
