"""The bill import reads amounts, volumes and phones with the counter's rules (billing.money)."""

import io
from decimal import Decimal

import pytest

from billing.bills_file import BillImportError
from billing.models import Account, Bill
from billing.services.imports import bills_import

HEADER = "account_no,name,address,phone,period,volume_m3,amount\n"


def _import(text):
    return bills_import(actor=None, source=io.BytesIO(text.encode("utf-8")), filename="t.csv")


def test_full_width_digits_are_read_in_amounts_volumes_and_phones(db):
    _import(HEADER + "1001,张三,龙泉路,１３８ ０００-０００,2026-01,１２．５,３７．５０\n")

    bill = Bill.objects.get()
    assert (bill.volume_m3, bill.amount_due) == (Decimal("12.50"), Decimal("37.50"))
    assert Account.objects.get().phone == "138 000-000"


@pytest.mark.parametrize(
    ("volume", "amount", "problem"),
    [
        ("1", "1e3", "金额“1e3”不是数字"),
        ("1", "1E-2", "金额“1E-2”不是数字"),
        ("1", "1_000", "金额“1_000”不是数字"),
        ("1", "١٢٣", "金额“١٢٣”不是数字"),
        ("1", "NaN", "金额“NaN”不是数字"),
        ("1", "Infinity", "金额“Infinity”不是数字"),
        ("1e2", "3", "水量“1e2”不是数字"),
        ("1_0", "3", "水量“1_0”不是数字"),
        ("٣", "3", "水量“٣”不是数字"),
        ("1.234", "3", "水量最多两位小数"),
        ("1", "-3", "金额不能为负数"),
    ],
)
def test_exponents_underscores_other_digits_and_nan_are_refused(db, volume, amount, problem):
    with pytest.raises(BillImportError) as caught:
        _import(HEADER + f"1001,张三,,,2026-01,{volume},{amount}\n")

    assert caught.value.errors == [f"第 2 行：{problem}"]
    assert not Bill.objects.exists()


@pytest.mark.parametrize("phone", ["138abc", "+86 138", "0724/123", "١٣٨"])
def test_a_phone_is_digits_dashes_and_spaces_only(db, phone):
    with pytest.raises(BillImportError) as caught:
        _import(HEADER + f"1001,张三,,{phone},2026-01,1,3\n")

    assert caught.value.errors == [f"第 2 行：电话“{phone}”只能包含数字、“-”和空格"]
    assert not Account.objects.exists()
