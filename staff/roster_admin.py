"""Services for a hall's shift types and minimum staffing."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .audit import audit_record
from .locks import lock_hall
from .models import MinimumStaffing, ShiftType, StaffingRole
from .rosters import can_edit_roster


def _check(actor, hall_id):
    if not can_edit_roster(actor, hall_id):
        raise ValidationError(_("Only the hall's shift lead or a director can change its shifts."))


def shift_type_save(*, actor, hall, data) -> ShiftType:
    """Create a shift type, or update the active one with the same code."""
    _check(actor, hall.pk)
    with transaction.atomic():
        # A new code has no row to lock: the hall's row serialises two leads adding it at once,
        # so the only database refusal left below is the start/end check.
        lock_hall(hall.pk)
        shift = ShiftType.objects.filter(hall=hall, code=data["code"]).first()
        try:
            if shift is None:
                shift = ShiftType.objects.create(hall=hall, **data)
            else:
                for name, value in data.items():
                    setattr(shift, name, value)
                shift.is_active = True
                shift.save(update_fields=[*data, "is_active"])
        except IntegrityError as exc:
            raise ValidationError(_("The shift must end after it starts.")) from exc
        audit_record(
            actor=actor,
            action="staff.shift_type.save",
            obj=shift,
            summary=str(shift),
            changes=data,
        )
    return shift


def shift_type_deactivate(*, actor, hall, shift_type_id) -> None:
    _check(actor, hall.pk)
    with transaction.atomic():
        shift = ShiftType.objects.select_for_update().filter(hall=hall, pk=shift_type_id).first()
        if shift is None:
            raise ValidationError(_("No such shift type in this hall."))
        shift.is_active = False
        shift.save(update_fields=["is_active"])
        audit_record(actor=actor, action="staff.shift_type.retire", obj=shift, summary=str(shift))


def minimum_set(*, actor, shift_type, role, count) -> None:
    """Set (or with 0 remove) the minimum number of `role` on `shift_type`."""
    _check(actor, shift_type.hall_id)
    with transaction.atomic():
        # Two leads setting the same minimum at once: the shift type's row orders them.
        ShiftType.objects.select_for_update().get(pk=shift_type.pk)
        if count:
            MinimumStaffing.objects.update_or_create(
                shift_type=shift_type, role=role, defaults={"count": count}
            )
        else:
            MinimumStaffing.objects.filter(shift_type=shift_type, role=role).delete()
        audit_record(
            actor=actor,
            action="staff.minimum.set",
            obj=shift_type,
            summary=_("Minimum staffing %(role)s: %(n)s")
            % {"role": StaffingRole(role).label, "n": count},
            changes={"role": role, "count": count},
        )
