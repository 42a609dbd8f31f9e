"""Voids (作废): the cashier asks, the hall's shift lead approves (a reversal entry) or rejects."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.core.audit import audit_record

from .. import rules
from ..models import (
    Account,
    Bill,
    InvoiceNumber,
    InvoiceNumberStatus,
    Movement,
    Payment,
    PaymentKind,
    PaymentLine,
    VoidRequest,
    VoidStatus,
)
from ..money import ZERO
from .corrections import bill_status
from .counter import ensure_day_open
from .movements import movement_record, payment_movement_draft


def _ensure_voidable(payment):
    """The payment page's rule (rules.why_not_void), its day checked under the ledger's lock."""
    reason = rules.why_not_voidable(payment)
    if reason:
        raise ValidationError(reason)
    ensure_day_open(payment.cashier, payment.business_date)


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


def _ensure_may_decide(lead, void):
    reason = rules.why_not_decide_void(lead, void)
    if reason:
        raise ValidationError(reason)


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
        # A correction (更正) may have lowered a bill below what this payment paid on it, and
        # sent the excess to prepaid: unsettle at most what the bill still has paid, and take
        # the rest back from that prepaid balance.
        unsettled = [(line.bill, min(line.amount, line.bill.amount_paid)) for line in lines]
        taken_from_prepaid = sum(
            (line.amount - part for line, (_bill, part) in zip(lines, unsettled, strict=True)),
            ZERO,
        )
        balance -= taken_from_prepaid
        if balance < 0:
            raise ValidationError(
                _(
                    "A correction moved part of this payment to the prepaid balance, and it is "
                    "already spent: the payment cannot be voided."
                )
            )
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
            prepaid_added=-original.prepaid_added - taken_from_prepaid,
            reverses=original,
            created_at=now,
        )
        unsettled = [(bill, part) for bill, part in unsettled if part]
        for bill, part in unsettled:
            bill.amount_paid -= part
            bill.status = bill_status(bill)
        if unsettled:
            PaymentLine.objects.bulk_create(
                [PaymentLine(payment=reversal, bill=bill, amount=-part) for bill, part in unsettled]
            )
            Bill.objects.bulk_update([bill for bill, _part in unsettled], ["amount_paid", "status"])
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
            changes={
                "void_request": void.pk,
                "reversal": reversal.pk,
                "reason": void.reason,
                # What a correction had moved to prepaid and the void took back from there.
                "taken_from_prepaid": taken_from_prepaid,
            },
        )
        # Last: the movement's number is taken with the sequence locked until the commit.
        original_movement = Movement.objects.filter(payment=original).first()
        movement_record(
            payment_movement_draft(
                reversal,
                lines=[(bill, -part) for bill, part in unsettled],
                reverses=original_movement,
            )
        )
    return reversal
