"""The shift lead's hall day (营业日): terminal settlement totals and the signature.

A signed hall day is final: its settlements no longer change and its ledgers cannot be
verified again until a director reopens one of them (which withdraws the signature).
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.core.audit import audit_record

from .. import rules
from ..models import SETTLED_METHODS, HallDay, PaymentMethod, TerminalSettlement
from ..money import yuan
from ..selectors import hall_day as selectors
from .ledger import checked_amount, clean_note, lock_hall_day


def _check_day(business_date):
    if business_date > timezone.localdate():
        raise ValidationError(_("This business day has not come yet."))


def hall_day_settlement_set(
    *, lead, hall, business_date: date, method: str, amount
) -> TerminalSettlement:
    """Enter (or correct) the settlement total of one channel: card batch, WeChat, Alipay."""
    if not rules.is_lead_of(lead, hall.pk):
        raise ValidationError(_("Only the shift lead of the hall enters settlements."))
    _check_day(business_date)
    if method not in SETTLED_METHODS:
        raise ValidationError(_("Choose bank card, WeChat Pay or Alipay."))
    amount = checked_amount(
        amount, _("Enter the settlement total in yuan with at most two decimals.")
    )
    with transaction.atomic():
        hall_day = lock_hall_day(hall.pk, business_date)
        if hall_day.is_signed:
            raise ValidationError(_("The hall day is already signed: nothing can change."))
        settlement, created = TerminalSettlement.objects.get_or_create(
            hall_day=hall_day, method=method, defaults={"amount": amount, "entered_by": lead}
        )
        old = None if created else settlement.amount
        if not created:
            settlement.amount = amount
            settlement.entered_by = lead
            settlement.entered_at = timezone.now()
            settlement.save(update_fields=["amount", "entered_by", "entered_at"])
        audit_record(
            actor=lead,
            action="billing.hall_day.settlement",
            obj=hall_day,
            summary=_("%(method)s settlement total %(amount)s")
            % {"method": PaymentMethod(method).label, "amount": yuan(amount)},
            changes={"method": method, "amount": [old, amount]},
        )
    return settlement


def hall_day_sign(
    *, lead, hall, business_date: date, note: str = "", missing_settlement_reason: str = ""
) -> HallDay:
    """The shift lead signs the hall day once every ledger of it is verified.

    Settlement totals that differ from the takings need a note; a channel whose total was not
    entered at all (缺少) needs the reason, which the printed report carries.
    """
    if not rules.is_lead_of(lead, hall.pk):
        raise ValidationError(_("Only the shift lead of the hall signs the hall day."))
    _check_day(business_date)
    note = clean_note(note)
    missing_reason = clean_note(missing_settlement_reason)
    with transaction.atomic():
        hall_day = lock_hall_day(hall.pk, business_date)
        if hall_day.is_signed:
            raise ValidationError(_("The hall day is already signed."))
        summary = selectors.hall_day_summary(hall, business_date)
        blocker = rules.why_not_sign(summary)
        if blocker:
            raise ValidationError(blocker)
        missing = summary.missing_settlements
        if missing and not missing_reason:
            raise ValidationError(
                _("No settlement total entered for %(methods)s: give the reason for signing.")
                % {"methods": "、".join(str(check.label) for check in missing)}
            )
        differing = [check for check in summary.settlement_flags if check.settled is not None]
        if differing and not note:
            raise ValidationError(
                _("The settlement totals differ from the takings: explain the difference.")
            )
        hall_day.signed_by = lead
        hall_day.signed_at = timezone.now()
        hall_day.sign_note = note
        hall_day.missing_settlement_reason = missing_reason if missing else ""
        hall_day.save(
            update_fields=["signed_by", "signed_at", "sign_note", "missing_settlement_reason"]
        )
        text = _("Hall day signed: %(count)s ledgers, cash %(cash)s, deposited %(deposited)s") % {
            "count": len(summary.rows),
            "cash": yuan(summary.cash_takings),
            "deposited": yuan(summary.deposited),
        }
        if hall_day.missing_settlement_reason:
            text += _("; settlements missing: %(reason)s") % {
                "reason": hall_day.missing_settlement_reason
            }
        audit_record(
            actor=lead,
            action="billing.hall_day.sign",
            obj=hall_day,
            summary=text,
            changes={
                "note": note,
                "flags": [c.method for c in summary.settlement_flags],
                "missing": [c.method for c in missing],
                "missing_settlement_reason": hall_day.missing_settlement_reason,
            },
        )
    return hall_day
