"""Invoice stock (发票领用): ranges issued to cashiers and closed, numbers taken and spoiled."""

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.core.access import employee_of
from staff.core.audit import audit_record

from .. import rules
from ..models import InvoiceNumber, InvoiceNumberStatus, InvoiceRange, InvoiceRangeStatus
from ..selectors.invoices import active_ranges


def take_invoice_number(cashier) -> tuple[InvoiceRange, int]:
    """The next number of the cashier's active range: (the range, locked and advanced, number).

    Raises when there is no active range or it is used up. Concurrent posts of one cashier
    queue on the range row, so every number is taken once, in order, without gaps.
    """
    invoice_range = active_ranges(cashier).select_for_update(of=("self",)).first()
    if invoice_range is None:
        raise ValidationError(
            _("You have no invoice range: ask your shift lead to issue one before taking payments.")
        )
    if invoice_range.next_no > invoice_range.last_no:
        raise ValidationError(
            _("Your invoice range is used up: ask your shift lead for a new one.")
        )
    number = invoice_range.next_no
    InvoiceRange.objects.filter(pk=invoice_range.pk).update(next_no=F("next_no") + 1)
    invoice_range.next_no = number + 1
    return invoice_range, number


def _ensure_may_manage_ranges(actor, hall_id):
    if not rules.may_manage_ranges_of(actor, hall_id):
        raise ValidationError(_("Only the hall's shift lead or the office manages invoice ranges."))


def _lock_invoice_code(invoice_code):
    """Serialise range issues of one invoice code: the overlap check finds no row to lock.

    PostgreSQL: a transaction-level advisory lock, in SQL because the ORM has no way to say
    it (README lists it; tests/billing/test_counter_concurrency.py issues overlapping ranges
    at once). SQLite already serialises writers (IMMEDIATE transactions).
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
    if not rules.may_hold_invoice_range(cashier):
        raise ValidationError(_("Invoice ranges are issued to cashiers of a hall."))
    employee = employee_of(cashier)
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
        current = active_ranges(cashier).select_for_update().first()
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
        invoice_range, number = take_invoice_number(cashier)
        spoiled = InvoiceNumber.objects.create(
            range=invoice_range,
            invoice_code=invoice_range.invoice_code,
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
