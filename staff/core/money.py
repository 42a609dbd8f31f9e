"""Yuan amounts typed by people or read from files: the one parser, and its form field.

It lives in staff, below every app, so that every app's forms and imports use the same rules
(billing.money re-exports it beside its formatting helpers). Python's Decimal() is far too
lenient for this: it takes "1e3", "1_000", "NaN", "Infinity" and the digits of every script
("١٢٣"). Here only full-width digits, the full-width point and comma (typed with a Chinese
input method) are turned into ASCII; then the text must match a strict pattern.
"""

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")
# The largest amount a DecimalField(max_digits=12, decimal_places=2) holds.
AMOUNT_MAX = Decimal("9999999999.99")

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，－", "0123456789.,-")
_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
# Thousands separators only in groups of three, so "12,5" is refused rather than read as 125.
_AMOUNT = re.compile(
    r"(?P<sign>-)?(?P<whole>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.(?P<fraction>[0-9]+))?"
)


class AmountError(ValueError):
    """Why a text is not an amount: `code` is "invalid", "places" or "negative"."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def ascii_digits(text: str) -> str:
    """`text` with full-width digits (１２３) as ASCII digits, for lookups by number."""
    return (text or "").translate(_DIGITS)


def read_amount(text: str, *, places: int = 2, negative: bool = False) -> Decimal:
    """The amount in `text`, quantized to `places` decimals, or AmountError.

    Accepts "123", "123.45", "1,234.50", "１２３．４５"; trailing zeros beyond `places` are
    fine ("1.230"), other digits there are not ("1.234": code "places"). A minus sign is
    refused (code "negative") unless `negative`.
    """
    match = _AMOUNT.fullmatch((text or "").strip().translate(_FULL_WIDTH))
    if match is None:
        raise AmountError("invalid")
    fraction = (match["fraction"] or "").rstrip("0")
    if len(fraction) > places:
        raise AmountError("places")
    # Built with exactly `places` decimals: no quantize, which fails past 28 digits.
    value = Decimal(f"{match['whole'].replace(',', '')}.{fraction:0<{places}}")
    if match["sign"]:
        if not negative:
            raise AmountError("negative")
        value = -value if value else value
    return value


def parse_amount(text: str) -> Decimal | None:
    """A yuan amount (not negative, at most two decimals) typed by a person, or None."""
    try:
        return read_amount(text)
    except AmountError:
        return None


class AmountField(forms.CharField):
    """A yuan amount field: `read_amount`'s rules, not negative, at most `max_value`."""

    default_error_messages = {
        "invalid": _("Enter an amount in yuan with at most two decimals, e.g. 123.45."),
        "max_value": _("The amount is too large: at most %(max)s yuan."),
    }

    def __init__(self, *, max_value: Decimal = AMOUNT_MAX, **kwargs):
        self.max_value = max_value
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            amount = read_amount(value)
        except AmountError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if amount > self.max_value:
            raise forms.ValidationError(
                self.error_messages["max_value"],
                code="max_value",
                params={"max": f"{self.max_value:,.2f}"},
            )
        return amount

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "decimal", "autocomplete": "off"}
