"""Attendance reads: each day's derived status, the monthly summary (考勤汇总), 调休 balances.

A day's status is derived, never stored: it follows from the roster and the clock times, so
a roster change or a correction shows at once. A grace period (ATTENDANCE_GRACE_MINUTES)
separates on time from late; the regulations want staff at their post 5–10 minutes before
the shift (提前5-10分钟到岗), so an arrival after start minus ATTENDANCE_EARLY_ARRIVAL_MINUTES
that is not late is flagged "not early" (未提前到岗) beside the day's code.

A day is judged once the person's shift is over (its end plus the grace period, or midnight):
until then nobody is absent and a missing clock-out is not an early leave, because they may
still be at work.

The office reports a finished month per hall: it is locked with a snapshot of what was
reported, so a later correction (director only) shows as a change against it.
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ..core.calendar import days_between, holiday_dates, month_end, month_start, public_holidays
from ..models import (
    AttendanceRecord,
    AttendanceReport,
    Employee,
    LeaveType,
    RosterEntry,
    RosterKind,
    ShiftType,
)
from ..models.rosters import LEAVE_CODES, REST_CODE

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


# --- The month ---------------------------------------------------------------------------

TOTAL_FIELDS = [
    ("scheduled", gettext_lazy("Scheduled days")),
    ("present", gettext_lazy("Days present")),
    ("not_early", gettext_lazy("Not in early")),
    ("late", gettext_lazy("Late")),
    ("late_minutes", gettext_lazy("Late minutes")),
    ("early", gettext_lazy("Early leaves")),
    ("absent", gettext_lazy("Absences")),
    ("rest_work", gettext_lazy("Rest-day work")),
    ("comp_earned", gettext_lazy("Compensatory days earned")),
    ("comp_used", gettext_lazy("Compensatory days used")),
]


@dataclass
class SummaryRow:
    employee: Employee
    statuses: list
    totals: dict = field(default_factory=dict)
    leave: dict = field(default_factory=dict)  # leave type -> days
    changed: dict = field(default_factory=dict)  # day index -> code as reported

    @property
    def codes(self) -> list:
        return [s.code for s in self.statuses]


@dataclass
class MonthSummary:
    month: date
    days: list
    rows: list
    reports: dict  # hall id -> AttendanceReport
    hall_ids: list
    holidays: set = field(default_factory=set)  # the month's public holidays

    @property
    def reported(self) -> bool:
        return bool(self.hall_ids) and all(h in self.reports for h in self.hall_ids)


def _totals(statuses) -> tuple[dict, dict]:
    leave = Counter(s.leave_type for s in statuses if s.leave_type)
    totals = {
        "scheduled": sum(s.scheduled for s in statuses),
        "present": sum(s.present for s in statuses),
        "not_early": sum(s.not_early for s in statuses),
        "late": sum(s.late for s in statuses),
        "late_minutes": sum(s.late_minutes for s in statuses),
        "early": sum(s.early_leave for s in statuses),
        "absent": sum(s.absent for s in statuses),
        "rest_work": sum(s.rest_day_work for s in statuses),
        "comp_earned": sum(s.earns_compensatory for s in statuses),
        "comp_used": leave.get(LeaveType.COMPENSATORY, 0),
    }
    return totals, dict(leave)


def month_summary(employees, month: date, hall_ids, now=None) -> MonthSummary:
    """Day codes and totals of `employees` for the month, in six queries whatever the size."""
    now = now or timezone.now()
    start, end = month_start(month), month_end(month)
    days = days_between(start, end)
    employee_ids = [e.pk for e in employees]
    # The working calendar's holidays (staff.core.calendar): a day worked on one earns 调休.
    holidays = public_holidays(start, end)
    # Plain fields only, shift types attached from one small query: a 300-person month is
    # about 20,000 rows and building full model instances was most of the export's time.
    entries = list(
        RosterEntry.objects.filter(employee_id__in=employee_ids, date__range=(start, end))
        .only("employee_id", "date", "kind", "shift_type_id", "leave_type")
        .order_by()
    )
    shift_types = ShiftType.objects.in_bulk({e.shift_type_id for e in entries} - {None})
    cells = defaultdict(list)
    for entry in entries:
        if entry.shift_type_id is not None:
            entry.shift_type = shift_types[entry.shift_type_id]
        cells[entry.employee_id, entry.date].append(entry)
    records = {
        (r.employee_id, r.date): r
        for r in AttendanceRecord.objects.filter(
            employee_id__in=employee_ids, date__range=(start, end)
        )
        .only("employee_id", "date", "clock_in", "clock_out", "corrected")
        .order_by()
    }
    reports = {
        r.hall_id: r for r in AttendanceReport.objects.filter(month=start, hall_id__in=hall_ids)
    }
    rows = []
    grace_period, early_period = grace(), early_arrival()
    for employee in employees:
        statuses = [
            day_status(
                d,
                cells.get((employee.pk, d), []),
                records.get((employee.pk, d)),
                now,
                d in holidays,
                grace_period,
                early_period,
            )
            for d in days
        ]
        totals, leave = _totals(statuses)
        row = SummaryRow(employee=employee, statuses=statuses, totals=totals, leave=leave)
        report = reports.get(employee.hall_id)
        if report is not None:
            reported = report.snapshot.get(str(employee.pk), {}).get("codes")
            if reported is not None:
                row.changed = {
                    i: was
                    for i, (was, now_code) in enumerate(zip(reported, row.codes, strict=False))
                    if was != now_code
                }
        rows.append(row)
    return MonthSummary(
        month=start,
        days=days,
        rows=rows,
        reports=reports,
        hall_ids=list(hall_ids),
        holidays=holidays,
    )


def employees_for_month(hall_ids, month: date, only=None):
    """The people of the halls (or the one person `only`), ordered by hall and number."""
    queryset = Employee.objects.select_related("hall").order_by("hall__sort_order", "employee_no")
    if only is not None:
        return list(queryset.filter(pk=only.pk))
    queryset = queryset.filter(hall__isnull=False)
    if hall_ids is not None:
        queryset = queryset.filter(hall_id__in=hall_ids)
    start, end = month_start(month), month_end(month)
    worked = AttendanceRecord.objects.filter(employee=OuterRef("pk"), date__range=(start, end))
    return list(queryset.filter(Q(is_active=True) | Exists(worked)))


def compensatory_balances(employee_ids) -> dict:
    """{employee id: {"earned", "used", "balance"}} of 调休 in three queries for any number.

    Earned: a day worked (clocked in) that was a rostered rest day or a public holiday, counted
    once. Used: the days of approved 调休 leave on the roster.
    """
    employee_ids = list(employee_ids)
    holidays = holiday_dates()  # the working calendar's, as a subquery
    worked = AttendanceRecord.objects.filter(employee_id__in=employee_ids, clock_in__isnull=False)
    on_holiday = dict(
        worked.filter(date__in=holidays)
        .values("employee_id")
        .annotate(n=Count("id"))
        .values_list("employee_id", "n")
        .order_by()
    )
    on_rest_day = dict(
        RosterEntry.objects.filter(employee_id__in=employee_ids, kind=RosterKind.REST)
        .exclude(date__in=holidays)
        .filter(Exists(worked.filter(employee_id=OuterRef("employee_id"), date=OuterRef("date"))))
        .values("employee_id")
        .annotate(n=Count("id"))
        .values_list("employee_id", "n")
        .order_by()
    )
    used = dict(
        RosterEntry.objects.filter(
            employee_id__in=employee_ids,
            kind=RosterKind.LEAVE,
            leave_type=LeaveType.COMPENSATORY,
        )
        .values("employee_id")
        .annotate(n=Count("id"))
        .values_list("employee_id", "n")
        .order_by()
    )
    result = {}
    for pk in employee_ids:
        earned = on_holiday.get(pk, 0) + on_rest_day.get(pk, 0)
        result[pk] = {
            "earned": earned,
            "used": used.get(pk, 0),
            "balance": earned - used.get(pk, 0),
        }
    return result


def compensatory_balance(employee: Employee) -> dict:
    return compensatory_balances([employee.pk])[employee.pk]


def reported_months(hall_id: int, days) -> set[date]:
    """The months among `days` that the office has reported (locked) for the hall."""
    months = {month_start(d) for d in days}
    return set(
        AttendanceReport.objects.filter(hall_id=hall_id, month__in=months).values_list(
            "month", flat=True
        )
    )
