"""Channel payments (WeChat 生活缴费, Alipay, bank 代扣/代收, 公众号) reported through the API or a
file: each settles the account's bills oldest first like a counter payment, without a cash
ledger or a counter invoice, once per (channel, reference).

The API posts one at a time and the file import many in one transaction: both go through
`channel_payments_record`, which checks the whole batch before it writes anything.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.core.audit import audit_record

from ..models import (
    Account,
    Bill,
    BillStatus,
    Channel,
    ChannelPayment,
    MovementKind,
    Payment,
    PaymentKind,
)
from ..money import CENT, yuan
from .allocation import allocate_oldest_first
from .movements import MovementDraft, movements_record

# Rows per statement when a large file is written (SQLite allows 32,766 parameters).
CHUNK = 1000


@dataclass(frozen=True)
class ChannelPaymentInput:
    """One reported payment, as read from the API's JSON or a file's line."""

    channel: str
    reference: str
    account_no: str
    amount: Decimal
    paid_at: datetime
    line: int | None = None  # the file's line number, for the messages


@dataclass(frozen=True)
class InputError:
    """Why one input is refused: a machine code, the field, the message in Chinese."""

    code: str
    field: str
    message: str
    line: int | None = None


class ChannelPaymentsRefused(Exception):
    """The batch was refused; nothing was written. `errors` are at most `limit` InputErrors."""

    def __init__(self, errors: list[InputError], total: int):
        super().__init__(f"{total} input error(s)")
        self.errors = errors
        self.total = total


@dataclass(frozen=True)
class RecordedChannelPayment:
    payment: ChannelPayment
    created: bool  # False: the same payment was reported before; this is the first report


def payment_max() -> Decimal:
    return Decimal(settings.BILLING_PAYMENT_MAX)


def input_errors(item: ChannelPaymentInput, *, now: datetime) -> list[InputError]:
    """What is wrong with one input on its own (the account is checked against the database
    by `channel_payments_record`)."""
    errors = []

    def refuse(code, field, message):
        errors.append(InputError(code=code, field=field, message=message, line=item.line))

    if item.channel not in Channel.values:
        refuse(
            "channel_unknown",
            "channel",
            _("Unknown channel %(channel)s: use one of %(channels)s.")
            % {"channel": item.channel, "channels": ", ".join(Channel.values)},
        )
    reference = item.reference.strip()
    if not reference:
        refuse("reference_missing", "reference", _("Give the channel's reference number."))
    elif len(reference) > 64:
        refuse("reference_too_long", "reference", _("The reference number is too long."))
    if not item.account_no.strip():
        refuse("account_missing", "account_no", _("Give the account number."))
    amount = item.amount
    if amount is None or not amount.is_finite() or amount != amount.quantize(CENT):
        refuse("amount_invalid", "amount", _("Enter the amount in yuan with at most two decimals."))
    elif amount <= 0:
        refuse("amount_not_positive", "amount", _("The amount must be more than zero."))
    elif amount > payment_max():
        refuse(
            "amount_too_large",
            "amount",
            _("The amount is above the ceiling of %(max)s yuan for one payment.")
            % {"max": yuan(payment_max())},
        )
    if item.paid_at is None or timezone.is_naive(item.paid_at):
        refuse("paid_at_invalid", "paid_at", _("Give the paid time with its time zone."))
    elif item.paid_at > now + timedelta(minutes=5):
        # Five minutes for the clocks of two systems.
        refuse("paid_at_future", "paid_at", _("The paid time is in the future."))
    return errors


def _same_payment(existing: ChannelPayment, item: ChannelPaymentInput, account: Account) -> bool:
    return (
        existing.account_id == account.pk
        and existing.amount == item.amount
        and existing.paid_at == item.paid_at
    )


def _check_against_database(items, accounts, existing, *, now) -> list[InputError]:
    errors = []
    seen = {}
    for item in items:
        key = (item.channel, item.reference.strip())
        account = accounts.get(item.account_no.strip())
        if account is None:
            errors.append(
                InputError(
                    code="account_unknown",
                    field="account_no",
                    message=_("There is no account %(no)s.") % {"no": item.account_no.strip()},
                    line=item.line,
                )
            )
            continue
        if account.created_at is not None and item.paid_at < account.created_at:
            errors.append(
                InputError(
                    code="paid_before_account",
                    field="paid_at",
                    message=_("The paid time is before account %(no)s existed (%(created)s).")
                    % {
                        "no": account.account_no,
                        "created": timezone.localtime(account.created_at).strftime(
                            "%Y-%m-%d %H:%M"
                        ),
                    },
                    line=item.line,
                )
            )
        earlier = existing.get(key) or seen.get(key)
        if earlier is not None and not _same_payment(earlier, item, account):
            errors.append(
                InputError(
                    code="reference_conflict",
                    field="reference",
                    message=_(
                        "Reference %(reference)s of this channel was already reported for "
                        "another account, amount or time."
                    )
                    % {"reference": key[1]},
                    line=item.line,
                )
            )
        if key not in seen:
            seen[key] = ChannelPayment(
                account_id=account.pk, amount=item.amount, paid_at=item.paid_at
            )
    return errors


def _chunks(values, size=CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _follow_up_halls(account_ids) -> dict[int, int]:
    """The hall where each account last paid at the counter."""
    last_hall = (
        Payment.objects.filter(account=OuterRef("pk"), kind=PaymentKind.PAYMENT)
        .order_by("-created_at", "-id")
        .values("hall_id")[:1]
    )
    halls = {}
    for chunk in _chunks(account_ids):
        halls.update(
            Account.objects.filter(pk__in=chunk)
            .annotate(hall_id=Subquery(last_hall))
            .values_list("pk", "hall_id")
        )
    return halls


def channel_payments_record(
    items: list[ChannelPaymentInput],
    *,
    client=None,
    recorded_by=None,
    source_file: str = "",
    error_limit: int = 200,
    now: datetime | None = None,
) -> list[RecordedChannelPayment]:
    """Record `items` all or nothing (ChannelPaymentsRefused lists the first `error_limit`
    errors and the total). A payment reported again (same channel and reference, account,
    amount and paid time) is the first report's payment, not a second one."""
    now = now or timezone.now()
    errors = [error for item in items for error in input_errors(item, now=now)]
    if errors:
        raise ChannelPaymentsRefused(errors[:error_limit], len(errors))
    with transaction.atomic():
        account_nos = sorted({item.account_no.strip() for item in items})
        accounts = {}
        for chunk in _chunks(account_nos):
            # Locked in account-number order, as every import locks them: two imports never
            # deadlock, and a counter payment on one of them waits for this commit.
            accounts.update(
                (account.account_no, account)
                for account in Account.objects.select_for_update()
                .filter(account_no__in=chunk)
                .order_by("account_no")
            )
        keys = {(item.channel, item.reference.strip()) for item in items}
        existing = {}
        for channel in {channel for channel, _reference in keys}:
            references = [reference for c, reference in keys if c == channel]
            for chunk in _chunks(references):
                existing.update(
                    ((payment.channel, payment.reference), payment)
                    for payment in ChannelPayment.objects.filter(
                        channel=channel, reference__in=chunk
                    )
                )
        errors = _check_against_database(items, accounts, existing, now=now)
        if errors:
            raise ChannelPaymentsRefused(errors[:error_limit], len(errors))

        new_items = []
        for item in items:
            key = (item.channel, item.reference.strip())
            if key not in existing:
                existing[key] = None  # the first of its key in this batch
                new_items.append(item)
        created = _write(new_items, accounts, client, recorded_by, source_file, now)
        if len(new_items) == 1 and len(items) == 1:
            payment = created[0]
            audit_record(
                actor=recorded_by,
                action="billing.channel_payment.record",
                obj=payment,
                summary=_(
                    "Channel payment %(channel)s %(reference)s of %(amount)s yuan for "
                    "account %(no)s, reported by %(source)s"
                )
                % {
                    "channel": payment.get_channel_display(),
                    "reference": payment.reference,
                    "amount": yuan(payment.amount),
                    "no": accounts[items[0].account_no.strip()].account_no,
                    "source": client or recorded_by or "-",
                },
                changes={"prepaid_added": payment.prepaid_added, "double": payment.possible_double},
            )
        elif created:
            audit_record(
                actor=recorded_by,
                action="billing.channel_payment.import",
                obj=created[0],
                summary=_("%(count)s channel payments of %(total)s yuan imported from %(file)s")
                % {
                    "count": len(created),
                    "total": yuan(sum((payment.amount for payment in created), Decimal(0))),
                    "file": source_file or client or "-",
                },
                changes={
                    "count": len(created),
                    "first": created[0].pk,
                    "last": created[-1].pk,
                    "doubles": sum(payment.possible_double for payment in created),
                },
            )
        new = {(payment.channel, payment.reference): payment for payment in created}
        results, answered = [], set()
        for item in items:
            key = (item.channel, item.reference.strip())
            first_time = key in new and key not in answered
            answered.add(key)
            results.append(RecordedChannelPayment(new.get(key) or existing[key], first_time))
    return results


def _write(items, accounts, client, recorded_by, source_file, now) -> list[ChannelPayment]:
    """Settle and write the new payments; the movements last, under the sequence lock."""
    if not items:
        return []
    business_date = timezone.localdate(now)
    account_ids = sorted({accounts[item.account_no.strip()].pk for item in items})
    open_bills = defaultdict(list)
    for chunk in _chunks(account_ids):
        for bill in (
            Bill.objects.select_for_update(of=("self",))
            .filter(account_id__in=chunk)
            .exclude(status=BillStatus.PAID)
            .order_by("account_id", "period")
        ):
            open_bills[bill.account_id].append(bill)

    payments, settlements, touched_bills = [], [], {}
    for item in items:
        account = accounts[item.account_no.strip()]
        bills = [bill for bill in open_bills[account.pk] if bill.status != BillStatus.PAID]
        allocation = allocate_oldest_first(
            bills, prepaid=account.prepaid_balance, amount=item.amount
        )
        account.prepaid_balance = allocation.balance
        for bill, _part in allocation.settled:
            touched_bills[bill.pk] = bill
        settlements.append(allocation)
        payments.append(
            ChannelPayment(
                channel=item.channel,
                reference=item.reference.strip(),
                account=account,
                amount=item.amount,
                paid_at=item.paid_at,
                received_at=now,
                business_date=business_date,
                prepaid_used=allocation.prepaid_used,
                prepaid_added=allocation.prepaid_added,
                client=client,
                recorded_by=recorded_by,
                source_file=source_file[:200],
                possible_double=allocation.settled_nothing,
            )
        )
    doubles = {payment.account_id for payment in payments if payment.possible_double}
    halls = _follow_up_halls(doubles) if doubles else {}
    for payment in payments:
        if payment.possible_double:
            payment.follow_up_hall_id = halls.get(payment.account_id)
    ChannelPayment.objects.bulk_create(payments, batch_size=CHUNK)
    Bill.objects.bulk_update(
        list(touched_bills.values()), ["amount_paid", "status"], batch_size=CHUNK
    )
    changed_accounts = {payment.account_id: payment.account for payment in payments}
    Account.objects.bulk_update(
        list(changed_accounts.values()), ["prepaid_balance"], batch_size=CHUNK
    )
    movements_record(
        [
            MovementDraft(
                kind=MovementKind.CHANNEL_PAYMENT,
                account_id=payment.account_id,
                amount=payment.amount,
                business_date=business_date,
                occurred_at=now,
                method=payment.channel,
                reference=payment.reference,
                prepaid_change=payment.prepaid_added - payment.prepaid_used,
                channel_payment_id=payment.pk,
                lines=allocation.settled,
            )
            for payment, allocation in zip(payments, settlements, strict=True)
        ]
    )
    return payments


# --- The hall lead's follow-up of a possible double payment --------------------------------

FOLLOW_UP_NOTE_MAX = 500


def channel_payment_follow_up(*, actor, payment, note: str) -> ChannelPayment:
    """Record what the lead did about a possible double payment (called the customer, the
    money stays as prepaid, refund asked for ...): once, with a note; refused (ValidationError
    in Chinese) when it is not a possible double, already followed up, or not the actor's."""
    from django.core.exceptions import ValidationError

    from ..rules import why_not_follow_up

    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Write what was done about this payment.")})
    if len(note) > FOLLOW_UP_NOTE_MAX:
        raise ValidationError(
            {
                "note": _("The note is too long: at most %(max)s characters.")
                % {"max": FOLLOW_UP_NOTE_MAX}
            }
        )
    with transaction.atomic():
        locked = ChannelPayment.objects.select_for_update().get(pk=payment.pk)
        reason = why_not_follow_up(actor, locked)
        if reason:
            raise ValidationError(reason)
        locked.followed_up_by = actor
        locked.followed_up_at = timezone.now()
        locked.follow_up_note = note
        locked.save(update_fields=["followed_up_by", "followed_up_at", "follow_up_note"])
        audit_record(
            actor=actor,
            action="billing.channel_payment.follow_up",
            obj=locked,
            summary=_("Possible double payment %(channel)s %(reference)s followed up: %(note)s")
            % {
                "channel": locked.get_channel_display(),
                "reference": locked.reference,
                "note": note,
            },
            changes={"follow_up_note": note},
        )
    return locked
