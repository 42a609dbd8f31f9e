"""POST /api/v1/channel-payments/: a payment made through a channel (scope `channel`)."""

from django.db import IntegrityError
from ninja import Router, Status

from ..models import ApiScope, MovementLine
from ..services.channels import (
    ChannelPaymentInput,
    ChannelPaymentsRefused,
    channel_payments_record,
)
from .auth import ClientToken
from .errors import ApiError, ErrorOut
from .schemas import ChannelPaymentIn, ChannelPaymentOut, iso_time, money

router = Router(tags=["channel payments"])

DESCRIPTION = """
报送一笔渠道缴费（微信生活缴费、支付宝、银行代扣/代收、公众号），按账期从早到晚销账，余额转预存。
Report one payment made through a channel: it settles the account's bills oldest first, the
rest goes to prepaid.

**Idempotent by (channel, reference).** `201` when new; `200` with the same body when the
same payment (same account, amount and paid time) was reported before: resend freely after a
lost answer. `409 reference_conflict` when the reference was used for another payment.

When nothing was left to settle (the bills were paid at the counter already), the whole amount
goes to prepaid and `possible_double` is true: the hall's lead follows it up.
"""


def _record(item: ChannelPaymentInput, client):
    try:
        return channel_payments_record([item], client=client)[0]
    except IntegrityError:
        # The same reference was reported at the same moment for another account (two
        # accounts' locks do not serialise them): the first is committed now, and the second
        # attempt answers like a resend (200) or a conflict (409).
        return channel_payments_record([item], client=client)[0]


def channel_payment_out(payment) -> dict:

    movement = payment.movement
    settled = MovementLine.objects.filter(movement=movement).order_by("period", "pk")
    return {
        "id": payment.pk,
        "channel": payment.channel,
        "reference": payment.reference,
        "account_no": payment.account.account_no,
        "amount": money(payment.amount),
        "paid_at": iso_time(payment.paid_at),
        "received_at": iso_time(payment.received_at),
        "business_date": payment.business_date,
        "movement_id": movement.public_id,
        "movement_seq": movement.seq,
        "settled": [{"period": line.period, "amount": money(line.amount)} for line in settled],
        "prepaid_used": money(payment.prepaid_used),
        "prepaid_added": money(payment.prepaid_added),
        "possible_double": payment.possible_double,
    }


@router.post(
    "/channel-payments/",
    auth=ClientToken(ApiScope.CHANNEL),
    response={
        200: ChannelPaymentOut,
        201: ChannelPaymentOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        409: ErrorOut,
        413: ErrorOut,
    },
    url_name="channel_payments",
    operation_id="channel_payment_report",
    summary="报送渠道缴费 Report a channel payment",
    description=DESCRIPTION,
)
def channel_payment_report(request, payload: ChannelPaymentIn):
    item = ChannelPaymentInput(
        channel=payload.channel,
        reference=payload.reference,
        account_no=payload.account_no,
        amount=payload.amount,
        paid_at=payload.paid_at,
    )
    try:
        recorded = _record(item, request.auth)
    except ChannelPaymentsRefused as refused:
        conflict = all(error.code == "reference_conflict" for error in refused.errors)
        raise ApiError(
            409 if conflict else 400,
            [(error.code, error.field, error.message) for error in refused.errors],
        ) from None
    return Status(201 if recorded.created else 200, channel_payment_out(recorded.payment))
