"""The safety leadership group and the halls' safety officers (the director names them)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from staff.core.audit import audit_record
from staff.core.locks import lock_hall
from staff.models import Employee, Hall

from ..models import GroupPosition, HallSafetyOfficer, SafetyGroupMember
from ..rules import may_manage_group


def group_member_save(
    *, actor, employee: Employee, position: str, duties: str = "", sort_order: int = 0
) -> SafetyGroupMember:
    """Put `employee` into the safety group (or change their position and duties)."""
    if not may_manage_group(actor):
        raise PermissionDenied
    if position not in GroupPosition.values:
        raise ValidationError(_("Choose the position in the safety group."))
    try:
        with transaction.atomic():
            return _group_member_write(actor, employee, position, duties.strip(), sort_order)
    except IntegrityError as exc:
        # Two directors naming two leaders at once: the one-leader constraint decides.
        raise ValidationError(
            _("The safety group already has a leader; change that first.")
        ) from exc


def _group_member_write(actor, employee, position, duties, sort_order) -> SafetyGroupMember:
    """Inside the caller's transaction: one leader only, then create or update, then audit."""
    if position == GroupPosition.LEADER:
        other = (
            SafetyGroupMember.objects.select_for_update()
            .select_related("employee")
            .filter(position=GroupPosition.LEADER)
            .exclude(employee=employee)
            .first()
        )
        if other is not None:
            raise ValidationError(
                _("%(name)s already leads the safety group; change that first.")
                % {"name": other.employee.name}
            )
    member, created = SafetyGroupMember.objects.select_for_update().get_or_create(
        employee=employee,
        defaults={"position": position, "duties": duties, "sort_order": sort_order},
    )
    if not created:
        member.position, member.duties, member.sort_order = position, duties, sort_order
        member.save(update_fields=["position", "duties", "sort_order"])
    audit_record(
        actor=actor,
        action="safety.group.save",
        obj=member,
        summary=_("Safety group: %(name)s as %(position)s")
        % {"name": employee.name, "position": member.get_position_display()},
        changes={"position": position, "duties": duties},
    )
    return member


def group_member_remove(*, actor, member: SafetyGroupMember) -> None:
    if not may_manage_group(actor):
        raise PermissionDenied
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="safety.group.remove",
            obj=member,
            summary=_("Left the safety group: %(name)s") % {"name": member.employee.name},
        )
        member.delete()


def officer_set(*, actor, hall: Hall, employee: Employee | None) -> None:
    """Make `employee` the hall's safety officer; None goes back to the shift lead (default)."""
    if not may_manage_group(actor):
        raise PermissionDenied
    if employee is not None and (employee.hall_id != hall.pk or not employee.is_active):
        raise ValidationError(_("The safety officer must be an active employee of the hall."))
    with transaction.atomic():
        lock_hall(hall.pk)
        if employee is None:
            HallSafetyOfficer.objects.filter(hall=hall).delete()
            summary = _("Safety officer of %(hall)s: the shift lead") % {"hall": hall}
        else:
            HallSafetyOfficer.objects.update_or_create(hall=hall, defaults={"employee": employee})
            summary = _("Safety officer of %(hall)s: %(name)s") % {
                "hall": hall,
                "name": employee.name,
            }
        audit_record(
            actor=actor,
            action="safety.officer.set",
            obj=hall,
            summary=summary,
            changes={"employee": employee.pk if employee else None},
        )
