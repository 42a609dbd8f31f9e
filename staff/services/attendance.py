"""Attendance: clocking in and out, corrections, and each day's derived status.

A day's status is derived, never stored: it follows from the roster and the clock times, so
a roster change or a correction shows at once. A grace period (ATTENDANCE_GRACE_MINUTES)
separates on time from late; the regulations want staff at their post 5–10 minutes before
the shift (提前5-10分钟到岗), so an arrival after start minus ATTENDANCE_EARLY_ARRIVAL_MINUTES
that is not late is flagged "not early" (未提前到岗) beside the day's code.

A day is judged once the person's shift is over (its end plus the grace period, or midnight):
until then nobody is absent and a missing clock-out is not an early leave, because they may
still be at work.
"""

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .access import Role, employee_of, has_role
from .audit import audit_record
from .models import (
    AttendanceRecord,
    Employee,
    LeaveType,
    RosterKind,
)
from .periods import check_unlocked
from .rosters import LEAVE_CODES, REST_CODE

ON_TIME, LATE, EARLY, LATE_EARLY, ABSENT, REST_WORK, UNSCHEDULED = (
    "√",
    "迟",
    "退",
    "迟退",
    "旷",
    "加",
    "○",
)

# Shown beside a day's code, not instead of it: the code stays what a reported month's
# snapshot holds, so flagging "not early" does not show every such day as changed.
NOT_EARLY_MARK = "△"

LEGEND = [
    (ON_TIME, gettext_lazy("On time")),
    (LATE, gettext_lazy("Late")),
    (EARLY, gettext_lazy("Early leave (or no clock-out)")),
    (LATE_EARLY, gettext_lazy("Late and early leave")),
    (ABSENT, gettext_lazy("Absent")),
    (REST_CODE, gettext_lazy("Rest day")),
    (REST_WORK, gettext_lazy("Worked on a rest day")),
    (UNSCHEDULED, gettext_lazy("Worked without a rostered shift")),
    *[(code, label) for leave, code in LEAVE_CODES.items() for label in [LeaveType(leave).label]],
]


def grace() -> timedelta:
    return timedelta(minutes=settings.ATTENDANCE_GRACE_MINUTES)


def early_arrival() -> timedelta:
    return timedelta(minutes=settings.ATTENDANCE_EARLY_ARRIVAL_MINUTES)


@dataclass
class DayStatus:
    code: str = ""
    scheduled: bool = False
    present: bool = False
    late_minutes: int = 0
    not_early: bool = False  # arrived in time but not the required minutes before the start
    arrive_by: datetime | None = None  # with not_early: when they were due at their post
    early_leave: bool = False
    absent: bool = False
    leave_type: str = ""
    rest_day_work: bool = False
    holiday_work: bool = False
    corrected: bool = False
    pending: bool = False  # rostered, and the shift is not over yet: not judged
    judged_at: datetime | None = None  # when a pending day will be judged

    @property
    def late(self) -> bool:
        return self.late_minutes > 0

    @property
    def earns_compensatory(self) -> bool:
        return self.rest_day_work or self.holiday_work


def _at(day: date, moment) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


def day_status(
    day: date,
    entries,
    record,
    now: datetime,
    holiday: bool = False,
    grace_period=None,
    early_period=None,
) -> DayStatus:
    """The status of one person's day from their roster entries and attendance record."""
    status = _derive(
        day,
        entries,
        record,
        now,
        holiday,
        grace() if grace_period is None else grace_period,
        early_arrival() if early_period is None else early_period,
    )
    status.corrected = record is not None and record.corrected
    return status


def _derive(day, entries, record, now, holiday, grace_period, early_period) -> DayStatus:
    clocked_in = record is not None and record.clock_in is not None
    first = entries[0] if entries else None
    if first is not None and first.kind == RosterKind.LEAVE:
        return DayStatus(code=LEAVE_CODES.get(first.leave_type, "假"), leave_type=first.leave_type)
    if first is None or first.kind == RosterKind.REST:
        if not clocked_in:
            return DayStatus(code=REST_CODE if first is not None else "")
        rest = first is not None
        return DayStatus(
            code=REST_WORK if rest or holiday else UNSCHEDULED,
            present=True,
            rest_day_work=rest,
            holiday_work=holiday,
        )
    start = _at(day, min(e.shift_type.start for e in entries))
    end = _at(day, max(e.shift_type.end for e in entries))
    # Shifts end before midnight (a check constraint), so this is the shift's end plus grace.
    judged_at = min(end + grace_period, _at(day + timedelta(days=1), time(0)))
    over = now >= judged_at
    if not clocked_in:
        if not over:
            # Maybe on the way, maybe forgot to clock in and at the counter: not judged yet.
            return DayStatus(scheduled=True, pending=True, judged_at=judged_at)
        return DayStatus(code=ABSENT, scheduled=True, absent=True)
    status = DayStatus(scheduled=True, present=True, holiday_work=holiday)
    if record.clock_in > start + grace_period:
        status.late_minutes = math.ceil((record.clock_in - start).total_seconds() / 60)
    elif record.clock_in > start - early_period:
        status.not_early, status.arrive_by = True, start - early_period
    if record.clock_out is not None:
        status.early_leave = record.clock_out < end
    elif over:
        status.early_leave = True  # the shift is over and nobody clocked out
    else:
        status.pending, status.judged_at = True, judged_at
    status.code = {
        (False, False): ON_TIME,
        (True, False): LATE,
        (False, True): EARLY,
        (True, True): LATE_EARLY,
    }[status.late, status.early_leave]
    return status


# --- Clocking and corrections -------------------------------------------------------------


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


def can_correct_attendance(user, employee) -> bool:
    if user.is_superuser or has_role(user, Role.DIRECTOR):
        return True
    lead = employee_of(user)
    return (
        has_role(user, Role.SHIFT_LEAD)
        and lead is not None
        and employee.hall_id is not None
        and lead.hall_id == employee.hall_id
    )


def attendance_correct(
    *, actor, employee: Employee, day: date, clock_in, clock_out, reason: str
) -> AttendanceRecord:
    """Enter or correct a day's times; the reason and the old times stay in the history."""
    if not can_correct_attendance(actor, employee):
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
