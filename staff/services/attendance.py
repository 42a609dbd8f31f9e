"""Attendance changes: clocking in and out, corrections, and the office's monthly report.

A reported month is locked: only a director changes it, with a reason (`check_unlocked`).
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..core.access import employee_of
from ..core.audit import audit_record
from ..core.calendar import month_end, month_start
from ..core.locks import lock_hall
from ..models import AttendanceRecord, AttendanceReport, Employee
from ..rules import may_change_reported_month, may_correct_attendance, may_report_attendance
from ..selectors.attendance import employees_for_month, month_summary, reported_months


def check_unlocked(*, actor, hall_id: int, days, reason: str = "") -> bool:
    """Refuse a change to a reported month unless a director makes it with a reason.

    Returns True when the change touches a reported month (a correction after reporting).
    """
    locked = reported_months(hall_id, days)
    if not locked:
        return False
    months = "、".join(f"{m:%Y-%m}" for m in sorted(locked))
    if not may_change_reported_month(actor):
        raise ValidationError(
            _(
                "The attendance of %(months)s has been reported and is locked; "
                "only a director can correct it."
            )
            % {"months": months}
        )
    if not reason.strip():
        raise ValidationError(
            _("%(months)s has been reported: give the reason for this correction.")
            % {"months": months}
        )
    return True


def attendance_clock(*, actor, address: str | None) -> AttendanceRecord:
    """Clock the actor in, or out if already in, at the server's time."""
    employee = employee_of(actor)
    if employee is None or employee.hall_id is None:
        raise ValidationError(_("Only hall staff clock in and out."))
    now = timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        check_unlocked(actor=actor, hall_id=employee.hall_id, days=[today])
        record, _created = AttendanceRecord.objects.select_for_update().get_or_create(
            employee=employee, date=today, defaults={"hall_id": employee.hall_id}
        )
        if record.clock_in is None:
            record.clock_in, record.clock_in_address = now, address
            record.save(update_fields=["clock_in", "clock_in_address"])
            action, summary = "staff.attendance.clock_in", _("Clocked in at %(t)s")
        elif record.clock_out is None:
            record.clock_out, record.clock_out_address = now, address
            record.save(update_fields=["clock_out", "clock_out_address"])
            action, summary = "staff.attendance.clock_out", _("Clocked out at %(t)s")
        else:
            raise ValidationError(
                _("You have already clocked out today; ask your shift lead to correct it.")
            )
        audit_record(
            actor=actor,
            action=action,
            obj=record,
            summary=summary % {"t": timezone.localtime(now).strftime("%H:%M:%S")},
            changes={"at": now, "address": address},
        )
    return record


def attendance_correct(
    *, actor, employee: Employee, day: date, clock_in, clock_out, reason: str
) -> AttendanceRecord:
    """Enter or correct a day's times; the reason and the old times stay in the history."""
    if not may_correct_attendance(actor, employee):
        raise ValidationError(_("Only the hall's shift lead or a director can correct attendance."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for the correction."))
    if clock_in is None and clock_out is not None:
        raise ValidationError(_("A clock-out needs a clock-in."))
    if clock_in is not None and clock_out is not None and clock_out <= clock_in:
        raise ValidationError(_("The clock-out must be after the clock-in."))
    for moment in (clock_in, clock_out):
        if moment is not None and timezone.localdate(moment) != day:
            raise ValidationError(_("The times must fall on %(day)s.") % {"day": day})
    if clock_in is not None and clock_in > timezone.now():
        raise ValidationError(_("A clock-in cannot be in the future."))
    if clock_out is not None and clock_out > timezone.now():
        raise ValidationError(_("A clock-out cannot be in the future."))
    if employee.hall_id is None:
        raise ValidationError(_("Only hall staff have attendance."))
    with transaction.atomic():
        after_report = check_unlocked(
            actor=actor, hall_id=employee.hall_id, days=[day], reason=reason
        )
        record, _created = AttendanceRecord.objects.select_for_update().get_or_create(
            employee=employee, date=day, defaults={"hall_id": employee.hall_id}
        )
        before = {"clock_in": record.clock_in, "clock_out": record.clock_out}
        record.clock_in, record.clock_out, record.corrected = clock_in, clock_out, True
        record.save(update_fields=["clock_in", "clock_out", "corrected"])
        audit_record(
            actor=actor,
            action="staff.attendance.correct",
            obj=record,
            summary=(
                _("Corrected after reporting: %(reason)s")
                if after_report
                else _("Corrected: %(reason)s")
            )
            % {"reason": reason.strip()},
            changes={
                "before": before,
                "after": {"clock_in": clock_in, "clock_out": clock_out},
                "reason": reason.strip(),
                "after_report": after_report,
            },
        )
    return record


def attendance_report_month(*, actor, hall, month: date) -> AttendanceReport:
    """The office reports a finished month of a hall: it is locked with a snapshot."""
    if not may_report_attendance(actor):
        raise ValidationError(_("Only the office or a director reports attendance."))
    start = month_start(month)
    if month_end(start) >= timezone.localdate():
        raise ValidationError(_("A month can be reported only once it is over."))
    with transaction.atomic():
        # The hall's row serialises two reports of it: a missing report has no row to lock.
        lock_hall(hall.pk)
        if AttendanceReport.objects.filter(hall=hall, month=start).exists():
            raise ValidationError(
                _("%(hall)s %(month)s has already been reported.")
                % {"hall": hall.name, "month": f"{start:%Y-%m}"}
            )
        summary = month_summary(employees_for_month([hall.pk], start), start, [hall.pk])
        snapshot = {
            str(row.employee.pk): {"codes": row.codes, "totals": row.totals, "leave": row.leave}
            for row in summary.rows
        }
        report = AttendanceReport.objects.create(
            hall=hall, month=start, reported_by=actor, snapshot=snapshot
        )
        audit_record(
            actor=actor,
            action="staff.attendance.report",
            obj=report,
            summary=_("Attendance of %(hall)s for %(month)s reported")
            % {"hall": hall.name, "month": f"{start:%Y-%m}"},
            changes={"people": len(snapshot)},
        )
    return report


def attendance_report_halls(*, actor, halls, month: date) -> list[AttendanceReport]:
    """Report the month of every hall in `halls` not reported yet: all of them or none."""
    start = month_start(month)
    with transaction.atomic():
        reported = set(
            AttendanceReport.objects.filter(month=start, hall__in=halls).values_list(
                "hall_id", flat=True
            )
        )
        open_halls = [hall for hall in halls if hall.pk not in reported]
        if not open_halls:
            raise ValidationError(_("The month has been reported and is locked."))
        return [attendance_report_month(actor=actor, hall=hall, month=start) for hall in open_halls]
