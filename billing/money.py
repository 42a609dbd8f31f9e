"""The one place where money is parsed, rounded, summed and written out in Chinese capitals (大写).

The parser itself (`read_amount`, `parse_amount`) lives in staff.core.money, below every app, so the
staff app's forms use it too without importing billing; it is re-exported here.
"""

from decimal import ROUND_HALF_UP, Decimal

import cn2an
from django.db.models import BigIntegerField, F, Sum
from django.db.models.functions import Round

from staff.core.money import AMOUNT_MAX, AmountError, ascii_digits, parse_amount, read_amount

__all__ = [
    "AMOUNT_MAX",
    "CENT",
    "ZERO",
    "AmountError",
    "ascii_digits",
    "fen",
    "fen_sum",
    "from_fen",
    "parse_amount",
    "read_amount",
    "rmb_capitals",
    "to_cents",
    "yuan",
]

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def fen(field_name: str):
    """The money column `field_name` in whole fen, for constraints that do arithmetic.

    SQLite keeps decimals as floating point, so there 200 − 141.6 is 58.400000000000006, not
    the 58.4 stored as the change, and a plain `change = tendered - amount` fails about a
    third of odd-cent payments. Rounded to whole fen both sides are exact integers.
    Comparing two stored amounts needs no rounding (`amount_paid <= amount_due`): every
    decimal of up to 15 digits converts to the nearest double, and that conversion keeps order
    and equality. PostgreSQL's numeric is exact anyway; rounding it changes nothing.
    """
    return Round(F(field_name) * 100)


def fen_sum(field_name: str = "amount") -> Sum:
    """SUM of a money column in whole fen (ROUND(amount * 100)).

    PostgreSQL sums numerics exactly anyway, but SQLite stores decimals as floating point and
    its SUM drifts: ten thousand payments of 0.10 would not come to exactly 1000.00 there.
    """
    return Sum(fen(field_name), output_field=BigIntegerField())


def from_fen(value) -> Decimal:
    """A sum in fen (`fen_sum`) back in yuan, 0.00 for no rows."""
    if value is None:
        return ZERO
    return (Decimal(int(round(value))) / 100).quantize(CENT)


def to_cents(value) -> Decimal:
    """`value` rounded to fen (two places), half up, as a Decimal."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


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
