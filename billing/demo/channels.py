"""Demo channel payments: a week of WeChat, Alipay, bank and 公众号 payments through the service
(so their movements exist), and one possible double payment: an account paid at the counter
that then paid again by WeChat, for the lead of that hall to follow up."""

import datetime
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from ..models import Account, AccountStatus, BillStatus, Channel, ChannelPayment, Payment
from ..services.channels import ChannelPaymentInput, channel_payments_record

DAYS = 7
PREFIX = "DEMO"
# The accounts the counter demo never takes payments on (it uses the first 49 active ones).
FIRST_ACCOUNT, LAST_ACCOUNT = "88000050", "88000059"


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _record(items, *, now):
    return channel_payments_record(items, source_file="demo", now=now)


def _open_amount(account) -> Decimal:
    due = account.bills.exclude(status=BillStatus.PAID).aggregate(
        due=Sum("amount_due"), paid=Sum("amount_paid")
    )
    return (due["due"] or Decimal(0)) - (due["paid"] or Decimal(0))


def seed(today) -> int:
    """Channel payments of the last DAYS days; nothing when the demo has them already."""
    if ChannelPayment.objects.filter(reference__startswith=PREFIX).exists():
        return 0
    week_ago = _at(today - datetime.timedelta(days=DAYS + 1), 0)
    # Demo accounts count as old ones (their bills are of past months): a payment of last
    # week is not "before the account existed".
    Account.objects.filter(account_no__startswith="88", created_at__gt=week_ago).update(
        created_at=None
    )
    accounts = list(
        Account.objects.filter(
            account_no__gte=FIRST_ACCOUNT,
            account_no__lte=LAST_ACCOUNT,
            status=AccountStatus.ACTIVE,
        ).order_by("account_no")
    )
    channels = list(Channel.values)
    recorded = 0
    n = 0
    for days_ago in range(DAYS - 1, -1, -1):
        day = today - datetime.timedelta(days=days_ago)
        now = _at(day, 20) if days_ago else timezone.now()
        items = []
        # Four or five a day, spread over the accounts and every channel; small amounts, so
        # each settles part of a bill and none is a double by accident.
        for k in range(4 + days_ago % 2):
            account = accounts[n % len(accounts)]
            items.append(
                ChannelPaymentInput(
                    channel=channels[n % len(channels)],
                    reference=f"{PREFIX}{day:%Y%m%d}{k:03d}",
                    account_no=account.account_no,
                    amount=Decimal("10.00") + Decimal(n % 4) * 2,
                    # Today's only before now (a paid time in the future is refused).
                    paid_at=_at(day, 8 + k * 2, 15)
                    if days_ago
                    else now - datetime.timedelta(minutes=20 * (k + 1)),
                )
            )
            n += 1
        recorded += len(_record(items, now=now))
    recorded += _double(today)
    return recorded


def _double(today) -> int:
    """An account paid at the counter (its last payment's hall follows it up) whose bills are
    then all paid, and then paid again by WeChat: nothing left to settle."""
    payment = (
        Payment.objects.filter(kind="payment", account__status=AccountStatus.ACTIVE)
        .select_related("account")
        .order_by("-created_at")
        .first()
    )
    if payment is None:
        return 0
    account = payment.account
    now = timezone.now()
    items = []
    open_amount = _open_amount(account)
    if open_amount > 0:
        # The rest of the bills paid by Alipay first, so that the WeChat payment finds nothing.
        items.append(
            ChannelPaymentInput(
                channel=Channel.ALIPAY,
                reference=f"{PREFIX}{today:%Y%m%d}REST",
                account_no=account.account_no,
                amount=open_amount,
                paid_at=now - datetime.timedelta(minutes=30),
            )
        )
    items.append(
        ChannelPaymentInput(
            channel=Channel.WECHAT,
            reference=f"{PREFIX}{today:%Y%m%d}TWICE",
            account_no=account.account_no,
            amount=Decimal("50.00"),
            paid_at=now - datetime.timedelta(minutes=10),
        )
    )
    return len(_record(items, now=now))
