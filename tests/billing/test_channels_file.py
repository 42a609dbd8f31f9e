"""The channel payments file: how its cells are read, and a large file recorded a batch at a
time and still all or nothing."""

import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from billing.bills_file import BillImportError
from billing.channels_file import channel_code, channels_check, parse_paid_at
from billing.models import ChannelPayment, Movement
from billing.services import imports as import_services
from billing.services.channels import ChannelPaymentInput, ChannelPaymentsRefused

from .factories import account_with_bills

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-01 09:05", datetime(2026, 3, 1, 9, 5, tzinfo=SHANGHAI)),
        ("2026/3/1 9:05", datetime(2026, 3, 1, 9, 5, tzinfo=SHANGHAI)),
        ("2026-03-01 09:05:07", datetime(2026, 3, 1, 9, 5, 7, tzinfo=SHANGHAI)),
        ("2026-03-01T01:05:00Z", datetime(2026, 3, 1, 1, 5, tzinfo=UTC)),
        ("2026-03-01T09:05:00+08:00", datetime(2026, 3, 1, 1, 5, tzinfo=UTC)),
        ("２０２６-03-01 09:05", datetime(2026, 3, 1, 9, 5, tzinfo=SHANGHAI)),
    ],
)
def test_paid_times_are_beijing_time_unless_they_carry_an_offset(text, expected):
    assert parse_paid_at(text) == expected


@pytest.mark.parametrize("text", ["2026-02-30 10:00", "2026-03-01", "昨天", "2026-03-01 25:00", ""])
def test_a_paid_time_that_is_not_a_time_is_refused(text):
    assert parse_paid_at(text) is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("wechat", "wechat"),
        ("微信", "wechat"),
        ("微信生活缴费", "wechat"),
        ("支付宝", "alipay"),
        ("Alipay", "alipay"),
        ("银行代扣", "bank_debit"),
        ("银行代收", "bank_collection"),
        ("公众号", "official_account"),
        ("paypal", None),
    ],
)
def test_channels_are_read_by_code_or_name(text, code):
    assert channel_code(text) == code


@pytest.mark.django_db
def test_the_check_totals_each_payment_once():
    account = account_with_bills("30.00", created_at=None)
    line = f"wechat,W1,{account.account_no},1.10,2026-01-01 10:00\n"
    text = "channel,reference,account_no,amount,paid_at\n" + line + line
    checked = channels_check(io.BytesIO(text.encode()))
    assert checked.rows == 2 and checked.total == Decimal("1.10")


@pytest.mark.django_db
def test_a_file_recorded_in_batches_is_still_all_or_nothing(monkeypatch):
    """A refusal in the last batch (another import took a reference in between) undoes the
    batches before it."""
    account = account_with_bills("50.00", created_at=None)
    when = timezone.localtime(timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    text = "channel,reference,account_no,amount,paid_at\n" + "".join(
        f"wechat,W{n},{account.account_no},1.00,{when}\n" for n in range(5)
    )
    monkeypatch.setattr(import_services, "RECORD_BATCH", 2)
    calls = []
    record = import_services.channel_payments_record

    def refuse_the_third(items, **kwargs):
        calls.append(len(items))
        if len(calls) == 3:
            raise ChannelPaymentsRefused([_refusal_of(items[0])], total=1)
        return record(items, **kwargs)

    monkeypatch.setattr(import_services, "channel_payments_record", refuse_the_third)

    with pytest.raises(BillImportError) as refused:
        import_services.channel_payments_import(actor=None, source=io.BytesIO(text.encode()))

    assert calls == [2, 2, 1]
    assert "6" in refused.value.errors[0]
    assert not ChannelPayment.objects.exists() and not Movement.objects.exists()


def _refusal_of(item: ChannelPaymentInput):
    from billing.services.channels import InputError

    return InputError("reference_conflict", "reference", "taken", line=item.line)
