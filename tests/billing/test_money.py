from decimal import Decimal

import pytest

from billing.money import parse_amount, rmb_capitals, yuan


@pytest.mark.parametrize(
    ("amount", "capitals"),
    [
        ("123.45", "壹佰贰拾叁元肆角伍分"),
        ("100", "壹佰元整"),
        ("10.05", "壹拾元零伍分"),
        ("0.50", "伍角"),
        ("0", "零元整"),
        ("1001.50", "壹仟零壹元伍角"),
        ("12.345", "壹拾贰元叁角伍分"),  # rounded half up, not truncated
        ("-5.20", "负伍元贰角"),
    ],
)
def test_it_writes_chinese_capitals(amount, capitals):
    assert rmb_capitals(Decimal(amount)) == capitals


def test_it_parses_typed_amounts():
    assert parse_amount(" 1,234.5 ") == Decimal("1234.50")
    assert parse_amount("1.234") is None
    assert parse_amount("abc") is None
    assert parse_amount("NaN") is None
    assert parse_amount("") is None


def test_it_formats_yuan():
    assert yuan(Decimal("12345.6")) == "12,345.60"
