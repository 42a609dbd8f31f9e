from decimal import Decimal

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st

from billing.money import parse_amount, read_amount, rmb_capitals, yuan
from staff.core.money import AmountError, AmountField, ascii_digits

FULL_WIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")
# Decimal() takes every one of these; a person typing them at the counter meant something else.
REFUSED = [
    "1e3",
    "1E3",
    "1E-2",
    "1_000",
    "١٢٣",  # Arabic-Indic digits
    "۱۲۳",  # Extended Arabic-Indic (Persian) digits
    "१२३",  # Devanagari digits
    "NaN",
    "nan",
    "sNaN",
    "Infinity",
    "-Infinity",
    "inf",
    "+5",
    "0x10",
    "12,5",  # not a thousands group: refused, not read as 125
    "1,23.45",
    ".5",
    "5.",
    "1 000",
    "１ｅ３",
    "¥5",
    "",
    "  ",
]


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
    assert parse_amount("1.230") == Decimal("1.23")
    assert parse_amount("1.234") is None
    assert parse_amount("abc") is None
    assert parse_amount("NaN") is None
    assert parse_amount("") is None


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("１２３．４５", "123.45"),
        ("１２３", "123.00"),
        ("１，２３４．５", "1234.50"),
        ("1２3.4５", "123.45"),
        ("\u3000１４１．６０\u3000", "141.60"),  # full-width spaces around it
        ("12，345", "12345.00"),
    ],
)
def test_full_width_digits_point_and_comma_are_accepted(text, amount):
    assert parse_amount(text) == Decimal(amount)


@pytest.mark.parametrize("text", REFUSED)
def test_exponents_underscores_other_scripts_and_nan_are_refused(text):
    assert parse_amount(text) is None


def test_refusals_say_why_for_the_import():
    with pytest.raises(AmountError) as places:
        read_amount("1.234")
    with pytest.raises(AmountError) as negative:
        read_amount("－３")
    with pytest.raises(AmountError) as invalid:
        read_amount("1e3")
    assert (places.value.code, negative.value.code, invalid.value.code) == (
        "places",
        "negative",
        "invalid",
    )
    assert read_amount("-3", negative=True) == Decimal("-3.00")
    assert parse_amount("-0") is None


def test_a_huge_amount_is_read_exactly_and_left_to_the_limits():
    assert read_amount("9" * 40) == Decimal("9" * 40 + ".00")


def test_the_form_field_refuses_with_the_chinese_message_and_caps_the_amount():
    field = AmountField(max_value=Decimal("100.00"))

    assert field.clean("１００．００") == Decimal("100.00")
    with pytest.raises(forms.ValidationError) as exponent:
        field.clean("1e2")
    with pytest.raises(forms.ValidationError) as large:
        field.clean("100.01")
    assert exponent.value.messages == ["请输入以元为单位、最多两位小数的金额，例如 123.45。"]
    assert large.value.messages == ["金额过大：最多 100.00 元。"]


def test_lookups_read_full_width_digits_only():
    assert ascii_digits("８８００００１") == "8800001"
    assert ascii_digits("١٢٣") == "١٢٣"


def test_it_formats_yuan():
    assert yuan(Decimal("12345.6")) == "12,345.60"


amounts = st.decimals(
    min_value=Decimal("0"), max_value=Decimal("9999999999.99"), places=2, allow_nan=False
)


@given(amounts)
def test_any_amount_with_two_places_reads_back_as_itself(amount):
    plain = f"{amount:.2f}"
    grouped = f"{amount:,.2f}"
    short = f"{amount.normalize():f}"  # 12.5, 100: fewer decimals are fine

    assert parse_amount(plain) == amount
    assert parse_amount(grouped) == amount
    assert parse_amount(short) == amount
    assert parse_amount(plain.translate(FULL_WIDTH)) == amount
    assert parse_amount(grouped.translate(FULL_WIDTH)) == amount


@given(amounts, st.sampled_from(["e0", "E2", "e-2", "_0", "0_0"]))
def test_amounts_with_exponents_or_underscores_are_refused(amount, tail):
    assert parse_amount(f"{amount:.2f}".replace(".", "") + tail) is None


@given(
    st.decimals(min_value=Decimal("0"), max_value=Decimal("99999"), places=4).filter(
        lambda d: d != d.quantize(Decimal("0.01"))
    )
)
def test_amounts_with_more_than_two_places_are_refused(amount):
    assert parse_amount(f"{amount:f}") is None


NEAR_MISSES = "0123456789０１２３４５６７８９١٢٣۴५.．,，。eE_-－+ \u3000"


@given(st.text(max_size=12) | st.text(alphabet=NEAR_MISSES, max_size=10))
def test_whatever_is_typed_reads_as_a_two_place_amount_or_none(text):
    amount = parse_amount(text)

    if amount is not None:
        assert amount == amount.quantize(Decimal("0.01")) and amount >= 0
        typed = text.strip()
        assert set(typed) <= set("0123456789.,０１２３４５６７８９．，")
        ascii_text = typed.translate(str.maketrans("０１２３４５６７８９．，", "0123456789.,"))
        assert Decimal(ascii_text.replace(",", "")) == amount
