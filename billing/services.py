"""Every state change of the counter: payments, voids and invoice stock.

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
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.core.access import Role, employee_of, has_role, is_center_wide
from staff.core.audit import audit_record

from . import counter_queries
from .models import (
    Account,
    AccountStatus,
    Bill,
    BillStatus,
    InvoiceNumber,
    InvoiceNumberStatus,
    InvoiceRange,
    InvoiceRangeStatus,
    Payment,
    PaymentKind,
    PaymentLine,
    PaymentMethod,
    VoidRequest,
    VoidStatus,
)
from .money import CENT, ZERO, yuan


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


def invoice_stock_low(invoices_left: int) -> bool:
    """Whether the cashier should be warned to requisition new invoices."""
    return invoices_left < settings.BILLING_INVOICE_LOW_STOCK


# --- The cashier's day ---------------------------------------------------------------------


def cashier_day_open(*, cashier, business_date) -> bool:
    """Whether `cashier` may still post or void payments of `business_date`.

    The seam for the cash ledger: it locks the cashier's ledger of the day (opening it on the
    first payment), so a payment racing the blind close serialises with it; once the ledger is
    submitted, it returns False and every posting and void of that day is refused.
    """
    from .ledger_services import ledger_lock_for_posting

    return ledger_lock_for_posting(cashier=cashier, business_date=business_date).is_open


def _ensure_day_open(cashier, business_date):
    if not cashier_day_open(cashier=cashier, business_date=business_date):
        raise ValidationError(
            _("The cash ledger of %(date)s is already submitted: no more payments or voids.")
            % {"date": business_date}
        )


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


def _take_invoice_number(cashier):
    """Advance the cashier's active range by one, in a single locking UPDATE.

    Returns (range id, invoice code, number, numbers left) or raises when there is no active
    range or it is used up. Concurrent posts of one cashier queue on the range row, so every
    number is taken once, in order, without gaps.
    """
    table = connection.ops.quote_name(InvoiceRange._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET next_no = next_no + 1 "  # noqa: S608 - names from _meta
            "WHERE cashier_id = %s AND status = %s AND next_no <= last_no "
            "RETURNING id, invoice_code, next_no - 1, last_no - next_no + 1",
            [cashier.pk, InvoiceRangeStatus.ACTIVE],
        )
        row = cursor.fetchone()
    if row is None:
        if InvoiceRange.objects.filter(cashier=cashier, status=InvoiceRangeStatus.ACTIVE).exists():
            raise ValidationError(
                _("Your invoice range is used up: ask your shift lead for a new one.")
            )
        raise ValidationError(
            _("You have no invoice range: ask your shift lead to issue one before taking payments.")
        )
    return row


def _save_settled_bills(bills):
    """Write the new paid amounts and statuses of `bills` (locked above) in one UPDATE.

    What `Bill.objects.bulk_update(bills, ["amount_paid", "status"])` does, in plain SQL: the
    ORM builds a CASE/WHEN expression tree per field and bill, which cost a counter post
    more CPU (about 1.3 ms for two bills) than all its other writes together.
    """
    meta = Bill._meta
    quote = connection.ops.quote_name
    pk = quote(meta.pk.column)
    paid = quote(meta.get_field("amount_paid").column)
    status = quote(meta.get_field("status").column)
    whens = " ".join(["WHEN %s THEN %s"] * len(bills))
    amount_field = meta.get_field("amount_paid")
    params = [
        v for b in bills for v in (b.pk, amount_field.get_db_prep_save(b.amount_paid, connection))
    ]
    params += [v for b in bills for v in (b.pk, b.status)]
    params += [b.pk for b in bills]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(meta.db_table)} SET "  # noqa: S608 - names from _meta
            f"{paid} = CASE {pk} {whens} END, {status} = CASE {pk} {whens} END "
            f"WHERE {pk} IN ({', '.join(['%s'] * len(bills))})",
            params,
        )


def _save_prepaid_balance(account_id: int, balance) -> None:
    """`Account.objects.filter(pk=...).update(prepaid_balance=...)` in plain SQL, like the bills
    above (the account row is locked)."""
    field = Account._meta.get_field("prepaid_balance")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE billing_account SET prepaid_balance = %s WHERE id = %s",
            [field.get_db_prep_save(balance, connection), account_id],
        )


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
    account = counter_queries.account_locked(account_id)
    if account is None:
        raise ValidationError(_("This account does not exist."))
    # Inside the transaction, so that a ledger submitted meanwhile (locked by its own
    # service) is seen here; after the account, the order a void approval locks them in.
    _ensure_day_open(cashier, today)
    if account.status != AccountStatus.ACTIVE:
        raise ValidationError(closed_account_message(account))
    range_id, invoice_code, number, left = _take_invoice_number(cashier)
    bills = counter_queries.open_bills(account.pk, lock=True)
    prepaid = account.prepaid_balance
    remaining = prepaid + amount
    settled = []
    for bill in bills:
        part = min(bill.amount_open, remaining)
        if part <= 0:
            continue
        bill.amount_paid += part
        bill.status = (
            BillStatus.PAID if bill.amount_paid == bill.amount_due else BillStatus.PARTLY_PAID
        )
        settled.append((bill, part))
        remaining -= part
        if remaining <= 0:
            break
    applied = prepaid + amount - remaining
    prepaid_used = min(prepaid, applied)
    prepaid_added = amount - (applied - prepaid_used)
    # A slip of the keyboard (100000 typed against 27.45 due) would otherwise go to prepaid
    # without a word; the transaction is rolled back, the invoice number with it.
    if prepaid_added > overpay_confirm_limit() and prepaid_confirmed != prepaid_added:
        raise OverpayNotConfirmed(prepaid_added)

    # Taken once the rows are locked, so the time orders the payment among the ledger's deposits.
    now = at or timezone.now()
    invoice = InvoiceNumber.objects.create(
        range_id=range_id,
        invoice_code=invoice_code,
        number=number,
        status=InvoiceNumberStatus.ISSUED,
        recorded_by=cashier,
        recorded_at=now,
    )
    payment = Payment(
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
    payment.save(force_insert=True)
    if settled:
        PaymentLine.objects.bulk_create(
            [PaymentLine(payment=payment, bill=bill, amount=part) for bill, part in settled]
        )
        _save_settled_bills([bill for bill, _part in settled])
    if remaining != prepaid:
        account.prepaid_balance = remaining
        _save_prepaid_balance(account.pk, remaining)
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
    return PostedPayment(payment=payment, invoices_left=left)


def closed_account_message(account) -> str:
    """What the cashier is to do with a closed account (销户): not take money on it."""
    return _(
        "Account %(no)s is closed: no payment can be taken on it. Send the customer to the "
        "meter-reading office (营抄中心) to reopen or settle the account, or call your shift lead."
    ) % {"no": account.account_no}


# --- Voids ---------------------------------------------------------------------------------


def _ensure_voidable(payment):
    if payment.kind != PaymentKind.PAYMENT:
        raise ValidationError(_("A reversal entry cannot be voided."))
    if Payment.objects.filter(reverses=payment).exists():
        raise ValidationError(_("This payment is already voided."))
    if payment.business_date != timezone.localdate():
        raise ValidationError(_("Only payments of today's business day can be voided."))
    _ensure_day_open(payment.cashier, payment.business_date)


def void_request(*, actor, payment: Payment, reason: str) -> VoidRequest:
    """The cashier asks to void (作废) one of their own payments of today, with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the void."))
    if payment.cashier_id != actor.pk:
        raise ValidationError(_("You can only ask to void your own payments."))
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        _ensure_voidable(payment)
        if VoidRequest.objects.filter(payment=payment, status=VoidStatus.PENDING).exists():
            raise ValidationError(_("A void of this payment is already waiting for approval."))
        request = VoidRequest.objects.create(
            payment=payment, reason=reason[:200], requested_by=actor
        )
        audit_record(
            actor=actor,
            action="billing.void.request",
            obj=payment,
            summary=_("Void requested: %(reason)s") % {"reason": request.reason},
            changes={"void_request": request.pk},
        )
    return request


def _ensure_may_decide(lead, request):
    employee = employee_of(lead)
    if not has_role(lead, Role.SHIFT_LEAD) or employee is None:
        raise ValidationError(_("Only the hall's shift lead decides voids."))
    if employee.hall_id != request.payment.hall_id:
        raise ValidationError(_("Only the shift lead of the payment's hall decides this void."))
    if lead.pk in (request.requested_by_id, request.payment.cashier_id):
        raise ValidationError(_("You cannot approve or reject a void of your own payment."))


def void_reject(*, lead, void: VoidRequest, note: str = "") -> VoidRequest:
    with transaction.atomic():
        void = VoidRequest.objects.select_for_update().select_related("payment").get(pk=void.pk)
        _ensure_may_decide(lead, void)
        if void.status != VoidStatus.PENDING:
            raise ValidationError(_("This void request is already decided."))
        void.status = VoidStatus.REJECTED
        void.decided_by = lead
        void.decided_at = timezone.now()
        void.decision_note = (note or "").strip()[:200]
        void.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit_record(
            actor=lead,
            action="billing.void.reject",
            obj=void.payment,
            summary=_("Void rejected: %(note)s") % {"note": void.decision_note or "-"},
            changes={"void_request": void.pk},
        )
    return void


def void_approve(*, lead, void: VoidRequest, note: str = "") -> Payment:
    """Approve a void: post the reversal, reopen the bills, restore prepaid, void the invoice."""
    with transaction.atomic():
        original = Payment.objects.select_related("account").get(pk=void.payment_id)
        account = Account.objects.select_for_update().get(pk=original.account_id)
        void = VoidRequest.objects.select_for_update().select_related("payment").get(pk=void.pk)
        _ensure_may_decide(lead, void)
        if void.status != VoidStatus.PENDING:
            raise ValidationError(_("This void request is already decided."))
        _ensure_voidable(original)
        balance = account.prepaid_balance + original.prepaid_used - original.prepaid_added
        if balance < 0:
            raise ValidationError(
                _("The prepaid balance this payment added is already spent: it cannot be voided.")
            )
        lines = list(original.lines.select_related("bill").select_for_update(of=("self", "bill")))
        now = timezone.now()
        reversal = Payment.objects.create(
            kind=PaymentKind.REVERSAL,
            account=account,
            hall_id=original.hall_id,
            cashier_id=original.cashier_id,
            business_date=original.business_date,
            method=original.method,
            amount=-original.amount,
            tendered=None,
            change=None,
            reference=original.reference,
            prepaid_used=-original.prepaid_used,
            prepaid_added=-original.prepaid_added,
            reverses=original,
            created_at=now,
        )
        bills = []
        for line in lines:
            bill = line.bill
            bill.amount_paid -= line.amount
            bill.status = BillStatus.UNPAID if bill.amount_paid == ZERO else BillStatus.PARTLY_PAID
            bills.append(bill)
        if lines:
            PaymentLine.objects.bulk_create(
                [
                    PaymentLine(payment=reversal, bill=line.bill, amount=-line.amount)
                    for line in lines
                ]
            )
            Bill.objects.bulk_update(bills, ["amount_paid", "status"])
        if balance != account.prepaid_balance:
            account.prepaid_balance = balance
            account.save(update_fields=["prepaid_balance"])
        InvoiceNumber.objects.filter(pk=original.invoice_id).update(
            status=InvoiceNumberStatus.VOIDED, reason=void.reason
        )
        void.status = VoidStatus.APPROVED
        void.decided_by = lead
        void.decided_at = now
        void.decision_note = (note or "").strip()[:200]
        void.reversal = reversal
        void.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "reversal"])
        audit_record(
            actor=lead,
            action="billing.void.approve",
            obj=original,
            summary=_("Void approved, reversal entry %(id)s posted") % {"id": reversal.pk},
            changes={"void_request": void.pk, "reversal": reversal.pk, "reason": void.reason},
        )
    return reversal


# --- Invoice stock -------------------------------------------------------------------------


def _ensure_may_manage_ranges(actor, hall_id):
    if is_center_wide(actor) and has_role(actor, Role.OFFICE, Role.DIRECTOR):
        return
    employee = employee_of(actor)
    if has_role(actor, Role.SHIFT_LEAD) and employee is not None and employee.hall_id == hall_id:
        return
    raise ValidationError(_("Only the hall's shift lead or the office manages invoice ranges."))


def _lock_invoice_code(invoice_code):
    """Serialise range issues of one invoice code: the overlap check finds no row to lock.

    PostgreSQL: a transaction-level advisory lock; SQLite already serialises writers
    (IMMEDIATE transactions).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))", [f"billing.invoice:{invoice_code}"]
            )


def invoice_range_issue(
    *, actor, cashier, invoice_code: str, first_no: int, last_no: int
) -> InvoiceRange:
    """Hand a numbered range of paper invoices to a cashier (发票领用)."""
    invoice_code = (invoice_code or "").strip()
    if not invoice_code or len(invoice_code) > 20 or not invoice_code.isalnum():
        raise ValidationError(_("Enter the invoice code (letters and digits, up to 20)."))
    if first_no is None or last_no is None or first_no < 1 or last_no < first_no:
        raise ValidationError(_("The first number must be at least 1 and not after the last."))
    if last_no >= 10**8:
        raise ValidationError(_("Invoice numbers have at most eight digits."))
    employee = employee_of(cashier)
    if (
        employee is None
        or employee.hall_id is None
        or not has_role(cashier, Role.CASHIER, Role.SHIFT_LEAD)
    ):
        raise ValidationError(_("Invoice ranges are issued to cashiers of a hall."))
    _ensure_may_manage_ranges(actor, employee.hall_id)
    with transaction.atomic():
        _lock_invoice_code(invoice_code)
        overlapping = (
            InvoiceRange.objects.select_for_update()
            .filter(invoice_code=invoice_code, first_no__lte=last_no, last_no__gte=first_no)
            .first()
        )
        if overlapping is not None:
            raise ValidationError(
                _("These numbers overlap range %(range)s.") % {"range": overlapping}
            )
        current = (
            InvoiceRange.objects.select_for_update()
            .filter(cashier=cashier, status=InvoiceRangeStatus.ACTIVE)
            .first()
        )
        if current is not None:
            if current.remaining > 0:
                raise ValidationError(
                    _("%(name)s still has range %(range)s: close it first.")
                    % {"name": employee.name, "range": current}
                )
            _close(actor, current)
        issued = InvoiceRange.objects.create(
            cashier=cashier,
            hall_id=employee.hall_id,
            invoice_code=invoice_code,
            first_no=first_no,
            last_no=last_no,
            next_no=first_no,
            issued_by=actor,
        )
        audit_record(
            actor=actor,
            action="billing.invoice_range.issue",
            obj=issued,
            summary=_("Invoice range %(range)s issued to %(name)s")
            % {"range": issued, "name": employee.name},
            changes={"cashier": cashier.pk, "first": first_no, "last": last_no},
        )
    return issued


def _close(actor, invoice_range):
    invoice_range.status = InvoiceRangeStatus.CLOSED
    invoice_range.returned_from = invoice_range.next_no
    invoice_range.closed_at = timezone.now()
    invoice_range.save(update_fields=["status", "returned_from", "closed_at"])
    audit_record(
        actor=actor,
        action="billing.invoice_range.close",
        obj=invoice_range,
        summary=_("Range closed, %(count)s unused numbers returned")
        % {"count": invoice_range.returned_count},
        changes={"returned_from": invoice_range.returned_from},
    )


def invoice_range_close(*, actor, invoice_range: InvoiceRange) -> InvoiceRange:
    """Close a range: its unused numbers go back to stock (returned)."""
    _ensure_may_manage_ranges(actor, invoice_range.hall_id)
    with transaction.atomic():
        invoice_range = InvoiceRange.objects.select_for_update().get(pk=invoice_range.pk)
        if invoice_range.status != InvoiceRangeStatus.ACTIVE:
            raise ValidationError(_("This range is already closed."))
        _close(actor, invoice_range)
    return invoice_range


def invoice_spoil(*, cashier, reason: str) -> InvoiceNumber:
    """Record the next paper invoice of the cashier's range as spoiled (voided), with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason why the invoice is spoiled."))
    with transaction.atomic():
        range_id, invoice_code, number, _left = _take_invoice_number(cashier)
        spoiled = InvoiceNumber.objects.create(
            range_id=range_id,
            invoice_code=invoice_code,
            number=number,
            status=InvoiceNumberStatus.VOIDED,
            reason=reason[:200],
            recorded_by=cashier,
        )
        audit_record(
            actor=cashier,
            action="billing.invoice.spoil",
            obj=spoiled,
            summary=_("Spoiled invoice %(invoice)s: %(reason)s")
            % {"invoice": spoiled.display, "reason": spoiled.reason},
        )
    return spoiled
