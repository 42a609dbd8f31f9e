"""The counter's writes: a payment posted (收费).

Lock order, everywhere: account, then the cashier's cash ledger, then invoice range, then bills.
Two cashiers paying the same account therefore queue on the account row and never settle the
same bill twice.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.core.access import employee_of
from staff.core.audit import audit_record

from .. import rules
from ..models import (
    Account,
    AccountStatus,
    InvoiceNumber,
    InvoiceNumberStatus,
    Payment,
    PaymentKind,
    PaymentLine,
    PaymentMethod,
)
from ..money import CENT, yuan
from .allocation import allocate_oldest_first, allocation_write, open_bills_locked
from .invoices import take_invoice_number
from .ledger import ledger_lock_for_posting
from .movements import movement_record, payment_movement_draft


def payment_max() -> Decimal:
    return Decimal(settings.BILLING_PAYMENT_MAX)


def overpay_confirm_limit() -> Decimal:
    """Above this much going to the prepaid balance, the cashier confirms the amount first."""
    return Decimal(settings.BILLING_OVERPAY_CONFIRM)


class OverpayNotConfirmed(ValidationError):
    """The payment would put more than the limit on the prepaid balance: post it again with
    `prepaid_confirmed` equal to `prepaid` (the figure the cashier was shown)."""

    def __init__(self, prepaid: Decimal):
        self.prepaid = prepaid
        super().__init__(
            _(
                "%(prepaid)s yuan of this payment would go to the prepaid balance (more than "
                "%(limit)s yuan over what is due). Check the amount with the customer; press "
                "Enter again to post it."
            )
            % {"prepaid": yuan(prepaid), "limit": yuan(overpay_confirm_limit())},
            code="overpay",
        )


# --- The cashier's day ---------------------------------------------------------------------


def cashier_day_open(*, cashier, business_date) -> bool:
    """Whether `cashier` may still post or void payments of `business_date`.

    The seam for the cash ledger: it locks the cashier's ledger of the day (opening it on the
    first payment), so a payment racing the blind close serialises with it; once the ledger is
    submitted, it returns False and every posting and void of that day is refused.
    """
    return ledger_lock_for_posting(cashier=cashier, business_date=business_date).is_open


def ensure_day_open(cashier, business_date):
    """Refuse a posting or void of `business_date` once the cashier's ledger of it is submitted."""
    if not cashier_day_open(cashier=cashier, business_date=business_date):
        raise ValidationError(rules.day_closed_message(business_date))


def _counter_hall(cashier):
    employee = employee_of(cashier)
    if employee is None or employee.hall_id is None or not employee.is_active:
        raise ValidationError(_("Only a cashier of a hall can take payments."))
    return employee.hall_id


# --- Posting -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PostedPayment:
    payment: Payment
    invoices_left: int
    # False when the form had already been posted: this is the payment of the first submit.
    created: bool = True


def _validate_payment_input(*, amount, method, tendered, reference):
    if method not in PaymentMethod.values:
        raise ValidationError(_("Choose a payment method."))
    if amount is None or amount != amount.quantize(CENT):
        raise ValidationError(_("Enter the amount in yuan with at most two decimals."))
    if amount <= 0:
        raise ValidationError(_("The amount must be more than zero."))
    if amount > payment_max():
        raise ValidationError(
            _("The amount is above the ceiling of %(max)s yuan for one payment.")
            % {"max": yuan(payment_max())}
        )
    reference = (reference or "").strip()
    if method == PaymentMethod.CASH:
        if tendered is None or tendered != tendered.quantize(CENT):
            raise ValidationError(_("Enter the cash tendered in yuan with at most two decimals."))
        if tendered < amount:
            raise ValidationError(
                _("The cash tendered (%(tendered)s) is less than the amount (%(amount)s).")
                % {"tendered": yuan(tendered), "amount": yuan(amount)}
            )
        if tendered > amount + payment_max():
            raise ValidationError(_("The cash tendered is far above the amount: check it."))
        return tendered, tendered - amount, reference
    if not reference:
        raise ValidationError(
            _("Enter the reference number of the terminal or transfer for this method.")
        )
    if len(reference) > 64:
        raise ValidationError(_("The reference number is too long."))
    return None, None, reference


def payment_post(
    *,
    cashier,
    account_id: int,
    amount: Decimal | None,
    method: str,
    tendered: Decimal | None = None,
    reference: str = "",
    form_token: uuid.UUID | None = None,
    looked_up_at: datetime | None = None,
    prepaid_confirmed: Decimal | None = None,
    now=None,
) -> PostedPayment:
    """Take a payment: prepaid balance first, then new money, onto the oldest open bills.

    Whatever is left over becomes prepaid balance (预存); more than `overpay_confirm_limit()`
    is refused (OverpayNotConfirmed) unless `prepaid_confirmed` is that very amount. A resent
    form (same `form_token`) returns the payment of the first submit instead of paying twice.
    `looked_up_at` is when the counter showed the account: the payment keeps the time from
    there to the post (单笔收费1分钟办理完结). `now` is the moment of the payment, for the
    demo's history of past days only (the counter never passes it).
    """
    try:
        hall_id = _counter_hall(cashier)
        tendered, change, reference = _validate_payment_input(
            amount=amount, method=method, tendered=tendered, reference=reference
        )
        today = timezone.localdate(now)
        with transaction.atomic():
            return _post(
                cashier=cashier,
                hall_id=hall_id,
                account_id=account_id,
                amount=amount,
                method=method,
                tendered=tendered,
                change=change,
                reference=reference,
                form_token=form_token,
                today=today,
                looked_up_at=looked_up_at,
                prepaid_confirmed=prepaid_confirmed,
                at=now,
            )
    except (ValidationError, IntegrityError) as error:
        # The form may already have been posted (double click, back and resend, two tabs):
        # then its payment is the answer, whatever this second attempt ran into.
        if form_token is not None:
            existing = _payment_of_token(cashier, form_token)
            if existing is not None:
                return existing
            if (
                isinstance(error, IntegrityError)
                and Payment.objects.filter(form_token=form_token).exists()
            ):
                raise ValidationError(
                    _("This form was already used by another cashier: open the counter again.")
                ) from error
        raise


def _payment_of_token(cashier, form_token):
    payment = (
        Payment.objects.select_related("invoice__range")
        .filter(form_token=form_token, cashier=cashier)
        .first()
    )
    if payment is None:
        return None
    return PostedPayment(
        payment=payment, invoices_left=payment.invoice.range.remaining, created=False
    )


def _handling_time(looked_up_at, now, today) -> timedelta | None:
    """The time from the account's lookup to the post, when the lookup is a plausible one:
    not after the post, and on the same business day (an older form is not measured)."""
    if looked_up_at is None or looked_up_at > now:
        return None
    if timezone.localdate(looked_up_at) != today:
        return None
    return now - looked_up_at


def _post(
    *,
    cashier,
    hall_id,
    account_id,
    amount,
    method,
    tendered,
    change,
    reference,
    form_token,
    today,
    looked_up_at,
    prepaid_confirmed,
    at=None,
):
    account = Account.objects.select_for_update().filter(pk=account_id).first()
    if account is None:
        raise ValidationError(_("This account does not exist."))
    # Inside the transaction, so that a ledger submitted meanwhile (locked by its own
    # service) is seen here; after the account, the order a void approval locks them in.
    ensure_day_open(cashier, today)
    if account.status != AccountStatus.ACTIVE:
        raise ValidationError(closed_account_message(account))
    invoice_range, number = take_invoice_number(cashier)
    allocation = allocate_oldest_first(
        open_bills_locked(account.pk), prepaid=account.prepaid_balance, amount=amount
    )
    settled, prepaid_used, prepaid_added = (
        allocation.settled,
        allocation.prepaid_used,
        allocation.prepaid_added,
    )
    # A slip of the keyboard (100000 typed against 27.45 due) would otherwise go to prepaid
    # without a word; the transaction is rolled back, the invoice number with it.
    if prepaid_added > overpay_confirm_limit() and prepaid_confirmed != prepaid_added:
        raise OverpayNotConfirmed(prepaid_added)

    # Taken once the rows are locked, so the time orders the payment among the ledger's deposits.
    now = at or timezone.now()
    # Payments, their lines and invoice numbers are append-only (billing migration 0008): every
    # write of theirs here is an INSERT.
    invoice = InvoiceNumber.objects.create(
        range=invoice_range,
        invoice_code=invoice_range.invoice_code,
        number=number,
        status=InvoiceNumberStatus.ISSUED,
        recorded_by=cashier,
        recorded_at=now,
    )
    payment = Payment.objects.create(
        kind=PaymentKind.PAYMENT,
        account=account,
        hall_id=hall_id,
        cashier=cashier,
        business_date=today,
        method=method,
        amount=amount,
        tendered=tendered,
        change=change,
        reference=reference,
        prepaid_used=prepaid_used,
        prepaid_added=prepaid_added,
        invoice=invoice,
        form_token=form_token,
        handling_time=_handling_time(looked_up_at, now, today),
        created_at=now,
    )
    if settled:
        PaymentLine.objects.bulk_create(
            [PaymentLine(payment=payment, bill=bill, amount=part) for bill, part in settled]
        )
    allocation_write(account, allocation)
    audit_record(
        actor=cashier,
        action="billing.payment.post",
        obj=payment,
        summary=_("Payment of %(amount)s yuan for account %(no)s, invoice %(invoice)s")
        % {"amount": yuan(amount), "no": account.account_no, "invoice": invoice.display},
        changes={
            "account": account.account_no,
            "method": method,
            "amount": amount,
            "bills": {bill.period: part for bill, part in settled},
            "prepaid_used": prepaid_used,
            "prepaid_added": prepaid_added,
        },
    )
    movement_record(payment_movement_draft(payment, lines=settled))
    return PostedPayment(payment=payment, invoices_left=invoice_range.remaining)


def closed_account_message(account) -> str:
    """What the cashier is to do with a closed account (销户): not take money on it."""
    return _(
        "Account %(no)s is closed: no payment can be taken on it. Send the customer to the "
        "meter-reading office (营抄中心) to reopen or settle the account, or call your shift lead."
    ) % {"no": account.account_no}
