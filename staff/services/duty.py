"""Daily duty (值日): the lobby manager assigns cleaning and safety duty per hall and day, or lets
the system rotate through the people rostered that day; the person on duty ticks it off."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..core.access import employee_of
from ..core.audit import audit_record
from ..core.calendar import days_between
from ..core.locks import lock_hall
from ..models import DutyAssignment, DutyKind, Employee, Hall, RosterEntry, RosterKind
from ..rules import may_assign_duty


def duty_assign(*, actor, hall: Hall, day: date, kind: str, employee: Employee) -> DutyAssignment:
    if not may_assign_duty(actor, hall.pk):
        raise ValidationError(_("Only the hall's lobby manager or a director assigns duty."))
    if kind not in DutyKind.values:
        raise ValidationError(_("Choose cleaning or safety duty."))
    if employee.hall_id != hall.pk or not employee.is_active:
        raise ValidationError(_("That person does not work in this hall."))
    if day < timezone.localdate():
        raise ValidationError(_("Duty cannot be assigned for a past day."))
    with transaction.atomic():
        duty = (
            DutyAssignment.objects.select_for_update()
            .filter(hall=hall, date=day, kind=kind)
            .first()
        )
        if duty is not None and duty.done_at is not None:
            raise ValidationError(_("This duty is already done."))
        before = duty.employee.name if duty else ""
        if duty is None:
            duty = DutyAssignment.objects.create(
                hall=hall, date=day, kind=kind, employee=employee, assigned_by=actor
            )
        else:
            duty.employee, duty.assigned_by = employee, actor
            duty.save(update_fields=["employee", "assigned_by"])
        audit_record(
            actor=actor,
            action="staff.duty.assign",
            obj=duty,
            summary=_("%(duty)s on %(day)s: %(name)s")
            % {"duty": duty.get_kind_display(), "day": day, "name": employee.name},
            changes={"from": before, "to": employee.name},
        )
    return duty


def duty_rotate(*, actor, hall: Hall, start: date, end: date) -> int:
    """Fill the unassigned duties of the days, in turn through the people rostered to work.

    The turn continues from the last person who had the duty, in employee-number order, and
    skips anyone not on a shift that day (rest or leave). Returns how many were assigned.
    """
    if not may_assign_duty(actor, hall.pk):
        raise ValidationError(_("Only the hall's lobby manager or a director assigns duty."))
    if end < start or (end - start).days > 62:
        raise ValidationError(_("Choose up to two months, last day not before the first."))
    if start < timezone.localdate():
        raise ValidationError(_("Duty cannot be assigned for a past day."))
    people = list(Employee.objects.filter(hall=hall, is_active=True).order_by("employee_no"))
    if not people:
        raise ValidationError(_("The hall has nobody to put on duty."))
    working = {}
    for employee_id, day in RosterEntry.objects.filter(
        hall=hall, date__range=(start, end), kind=RosterKind.SHIFT
    ).values_list("employee_id", "date"):
        working.setdefault(day, set()).add(employee_id)
    created = 0
    with transaction.atomic():
        lock_hall(hall.pk)
        taken = {
            (d.date, d.kind)
            for d in DutyAssignment.objects.filter(hall=hall, date__range=(start, end))
        }
        for kind in DutyKind.values:
            last = (
                DutyAssignment.objects.filter(hall=hall, kind=kind, date__lt=start)
                .order_by("-date")
                .values_list("employee_id", flat=True)
                .first()
            )
            order = [p.pk for p in people]
            position = order.index(last) + 1 if last in order else 0
            new = []
            for day in days_between(start, end):
                if (day, kind) in taken:
                    continue
                candidates = working.get(day, set())
                for step in range(len(order)):
                    employee_id = order[(position + step) % len(order)]
                    if employee_id in candidates:
                        new.append(
                            DutyAssignment(
                                hall=hall,
                                date=day,
                                kind=kind,
                                employee_id=employee_id,
                                assigned_by=actor,
                            )
                        )
                        position = (position + step + 1) % len(order)
                        break
            DutyAssignment.objects.bulk_create(new)
            created += len(new)
        audit_record(
            actor=actor,
            action="staff.duty.rotate",
            obj=hall,
            summary=_("Duty rotated for %(start)s – %(end)s: %(n)s assigned")
            % {"start": start, "end": end, "n": created},
        )
    return created


def duty_complete(*, actor, duty: DutyAssignment) -> DutyAssignment:
    """The person on duty ticks it off, on the day itself."""
    me = employee_of(actor)
    with transaction.atomic():
        # Checked on the locked row: the lobby manager may have just given the duty to
        # someone else, and only the person it is assigned to now ticks it off.
        duty = DutyAssignment.objects.select_for_update().get(pk=duty.pk)
        if me is None or me.pk != duty.employee_id:
            raise ValidationError(_("Only the person on duty ticks it off."))
        if duty.date != timezone.localdate():
            raise ValidationError(_("Duty is ticked off on its day."))
        if duty.done_at is not None:
            raise ValidationError(_("This duty is already done."))
        duty.done_at = timezone.now()
        duty.save(update_fields=["done_at"])
        audit_record(actor=actor, action="staff.duty.done", obj=duty, summary=_("Duty done"))
    return duty
