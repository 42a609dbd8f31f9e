"""The after-closing check of a hall, once a day, signed by the employee who made it."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.core.access import employee_of
from staff.core.audit import audit_record
from staff.core.locks import lock_hall
from staff.models import Hall

from ..models import ClosingCheck
from ..rules import handles_hall


def closing_check_record(
    *, actor, hall: Hall, on: date, items: dict[str, bool], note: str = ""
) -> ClosingCheck:
    """Record the after-closing check of a hall for a day; an item left undone needs a note."""
    if not handles_hall(actor, hall.pk):
        raise PermissionDenied
    if on > timezone.localdate():
        raise ValidationError(_("A closing check cannot be recorded for a future day."))
    if set(items) != set(ClosingCheck.ITEMS):
        raise ValidationError(_("Answer every item of the closing checklist."))
    note = (note or "").strip()
    if not all(items.values()) and not note:
        raise ValidationError(_("Some items are not done: explain why in the note."))
    employee = employee_of(actor)
    if employee is None:
        raise ValidationError(_("Only an employee can sign a closing check."))
    duplicate = _("The closing check of %(hall)s for %(day)s is already recorded.") % {
        "hall": hall,
        "day": on,
    }
    try:
        with transaction.atomic():
            lock_hall(hall.pk)
            if ClosingCheck.objects.filter(hall=hall, date=on).exists():
                raise ValidationError(duplicate)
            check = ClosingCheck.objects.create(
                hall=hall, date=on, note=note, checked_by=employee, **items
            )
            audit_record(
                actor=actor,
                action="safety.closing.record",
                obj=check,
                summary=_("Closing check of %(day)s") % {"day": on},
                changes={**items, "note": note},
            )
    except IntegrityError as exc:
        raise ValidationError(duplicate) from exc
    return check
