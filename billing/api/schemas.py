"""What the API reads and answers (pydantic schemas, also the OpenAPI schema's components).

Amounts are JSON strings with exactly two decimals ("12.30"): a JSON number is a binary float
for most readers, and money must stay exact. An amount sent to the API may be a string or a
number; numbers are read as decimals (billing.api.parser), never as floats.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from staff.core.money import AmountError, read_amount
from staff.core.params import MAX_INT_DIGITS

from ..models import Channel, MovementKind

MONEY_PATTERN = r"^-?[0-9]+\.[0-9]{2}$"
Money = Annotated[
    str,
    Field(pattern=MONEY_PATTERN, examples=["12.30"], description="Yuan, exactly two decimals."),
]


# Times are written out by us in full (ISO 8601, microseconds, +08:00): Django's JSON encoder
# would cut them to milliseconds, and a client comparing paid times needs them exact.
Time = Annotated[
    str,
    WithJsonSchema({"type": "string", "format": "date-time"}),
    Field(examples=["2026-11-30T09:15:00.123456+08:00"]),
]


def iso_time(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def money(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return "0.00" if value == 0 else f"{value:.2f}"


# --- query parameters -------------------------------------------------------------------------


def _whole_number(value, code: str, message: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    elif isinstance(value, str):
        text = value
    else:
        raise PydanticCustomError(code, message)
    if not (text.isascii() and text.isdigit()) or len(text) > MAX_INT_DIGITS:
        raise PydanticCustomError(code, message)
    return int(text)


def _cursor(value) -> int:
    return _whole_number(
        value,
        "cursor_invalid",
        _("The cursor (after) must be a whole number of at least 0: the last seq you read."),
    )


def _limit(value) -> int:
    maximum = settings.API_MOVEMENTS_MAX_LIMIT
    limit = _whole_number(
        value,
        "limit_invalid",
        _("The limit must be a whole number from 1 to %(max)s.") % {"max": maximum},
    )
    if limit < 1:
        raise PydanticCustomError(
            "limit_invalid",
            _("The limit must be a whole number from 1 to %(max)s.") % {"max": maximum},
        )
    if limit > maximum:
        raise PydanticCustomError(
            "limit_too_large", _("The limit is at most %(max)s.") % {"max": maximum}
        )
    return limit


Cursor = Annotated[
    int,
    BeforeValidator(_cursor),
    WithJsonSchema({"type": "integer", "minimum": 0, "maximum": 10**MAX_INT_DIGITS - 1}),
]
Limit = Annotated[
    int,
    BeforeValidator(_limit),
    # The server's API_MOVEMENTS_MAX_LIMIT when the schema module was loaded.
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": settings.API_MOVEMENTS_MAX_LIMIT}),
]


# --- the channel payment sent ------------------------------------------------------------------


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError("nul_character", _("The text contains a NUL character."))
    return value


def Text(max_length: int, description: str, example: str):
    return Annotated[
        str,
        Field(max_length=max_length, description=description, examples=[example]),
        AfterValidator(_no_nul),
    ]


def _amount(value) -> Decimal:
    invalid = PydanticCustomError(
        "amount_invalid", _("Enter the amount in yuan with at most two decimals, e.g. 12.30.")
    )
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise invalid
    if isinstance(value, Decimal):
        # A JSON number, read exactly (billing.api.parser). Far too large ones are refused
        # before they are written out in full.
        if not value.is_finite() or value.adjusted() > 15:
            raise invalid
        text = format(value, "f")
    else:
        text = str(value)
    if len(text) > 40:
        raise invalid
    try:
        return read_amount(text)
    except AmountError as error:
        if error.code == "negative":
            raise PydanticCustomError(
                "amount_not_positive", _("The amount must be more than zero.")
            ) from None
        raise invalid from None


def _paid_at(value) -> datetime:
    invalid = PydanticCustomError(
        "paid_at_invalid",
        _("Give the paid time in ISO 8601 with its offset, e.g. 2026-11-30T09:15:00+08:00."),
    )
    if not isinstance(value, str) or len(value) > 40:
        raise invalid
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise invalid from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise invalid
    return moment


Amount = Annotated[
    Decimal,
    BeforeValidator(_amount),
    WithJsonSchema(
        {
            "oneOf": [
                {"type": "string", "pattern": r"^[0-9]+(\.[0-9]{1,2})?$"},
                {"type": "number", "exclusiveMinimum": 0},
            ],
            "description": "Yuan, more than 0, at most two decimals; a string is best.",
            "examples": ["35.60"],
        }
    ),
]
PaidAt = Annotated[
    datetime,
    BeforeValidator(_paid_at),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date-time",
            "description": "When the customer paid, ISO 8601 with its offset.",
            "examples": ["2026-11-30T09:15:00+08:00"],
        }
    ),
]


class ChannelPaymentIn(Schema):
    channel: Annotated[
        str,
        Field(
            max_length=24,
            description="Channel code.",
            examples=["wechat"],
            json_schema_extra={"enum": Channel.values},
        ),
        AfterValidator(_no_nul),
    ]
    reference: Text(
        64, "The channel's own reference (流水号), unique per channel.", "WX20261130001"
    )
    account_no: Text(32, "The account number (户号).", "100234")
    amount: Amount
    paid_at: PaidAt


# --- answers --------------------------------------------------------------------------------------


class LineOut(Schema):
    period: str = Field(description="Bill period YYYY-MM.", examples=["2026-10"])
    amount: Money = Field(description="Change of the bill's amount paid.")


class MovementOut(Schema):
    id: UUID = Field(description="The movement's stable public id.")
    seq: int = Field(description="Sequence number, given in commit order; the cursor.")
    kind: MovementKind
    account_no: str
    amount: Money = Field(
        description="Money received (negative for a reversal); for a correction new − old "
        "amount due."
    )
    method: str = Field(description="Counter payment method, or the channel code.")
    reference: str
    prepaid_change: Money = Field(description="Prepaid balance added (+) or used (−).")
    invoice_code: str
    invoice_number: str
    hall: str | None = Field(description="Hall code (counter payments and reversals).")
    hall_name: str | None
    cashier_employee_no: str
    business_date: date
    occurred_at: Time = Field(description="When it was committed, +08:00.")
    reverses: UUID | None = Field(description="For a reversal: the id of the movement reversed.")
    lines: list[LineOut] = Field(description="The bills (periods) it settles, with amounts.")
    channel: str | None = Field(description="Channel payments: the channel.")
    paid_at: Time | None = Field(description="Channel payments: when the customer paid.")
    old_amount_due: Money | None = Field(description="Corrections: the amount due before.")
    new_amount_due: Money | None = Field(description="Corrections: the amount due after.")


class MovementsPage(Schema):
    movements: list[MovementOut]
    next: int = Field(description="The cursor for the next call (`after`).")
    has_more: bool = Field(description="True: more movements follow; call again at once.")


class ChannelPaymentOut(Schema):
    id: int = Field(description="The channel payment's number in the counter system.")
    channel: str
    reference: str
    account_no: str
    amount: Money
    paid_at: Time
    received_at: Time
    business_date: date
    movement_id: UUID = Field(description="Its movement's id (in the movements feed).")
    movement_seq: int
    settled: list[LineOut] = Field(description="The bills it settled, oldest first.")
    prepaid_used: Money
    prepaid_added: Money
    possible_double: bool = Field(
        description="Nothing was left to settle: the whole amount went to prepaid, and the "
        "hall's lead follows it up as a possible double payment."
    )
