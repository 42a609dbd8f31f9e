"""The one place where money is parsed, rounded and written out in Chinese capitals (大写)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import cn2an

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# The largest amount a money column (numeric(12, 2)) holds: beyond it PostgreSQL refuses the
# row and SQLite stores a float that no longer reads back as a Decimal.
AMOUNT_MAX = Decimal("9999999999.99")


def to_cents(value) -> Decimal:
    """`value` rounded to fen (two places), half up, as a Decimal."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def parse_amount(text: str) -> Decimal | None:
    """A yuan amount typed by a person, or None when it is not a plain number with ≤ 2 decimals."""
    text = (text or "").strip().replace(",", "").replace("，", "")
    if not text:
        return None
    try:
        value = Decimal(text)
        if not value.is_finite():
            return None
        cents = value.quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:  # not a number, or more digits than Decimal works with (28)
        return None
    return cents if value == cents else None


def yuan(value) -> str:
    """12345.6 -> "12,345.60"."""
    return f"{to_cents(value):,.2f}"


def rmb_capitals(value) -> str:
    """The amount in Chinese capitals as written on receipts: 123.45 -> 壹佰贰拾叁元肆角伍分.

    cn2an's "rmb" mode already writes the banking form (壹佰元整, 壹拾元零伍分, 伍角); this helper
    rounds to fen first (cn2an truncates extra decimals), writes 正 as 整, and marks a negative
    amount (a reversal) with 负.
    """
    amount = to_cents(value)
    negative = amount < 0
    text = cn2an.an2cn(f"{abs(amount):.2f}", "rmb")
    text = text.replace("正", "整")
    if text.startswith("负"):
        text = text[1:]
    return f"负{text}" if negative else text
