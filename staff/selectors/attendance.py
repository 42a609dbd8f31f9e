"""The monthly attendance summary (考勤汇总), its reporting lock, and 调休 balances.

The office reports a finished month per hall: it is locked with a snapshot of what was
reported, so a later correction (director only) shows as a change against it.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .access import Role, has_role
from .attendance import day_status, early_arrival, grace
from .audit import audit_record
from .locks import lock_hall
from .models import (
    AttendanceRecord,
    AttendanceReport,
    Employee,
    LeaveType,
    RosterEntry,
    RosterKind,
    ShiftType,
)
from .periods import days_between, is_public_holiday, month_end, month_start, public_holidays

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
    """Day codes and totals of `employees` for the month, in five queries whatever the size."""
    now = now or timezone.now()
    start, end = month_start(month), month_end(month)
    days = days_between(start, end)
    employee_ids = [e.pk for e in employees]
    holidays = {d for d in days if is_public_holiday(d)}
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
    return MonthSummary(month=start, days=days, rows=rows, reports=reports, hall_ids=list(hall_ids))


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


def attendance_report_month(*, actor, hall, month: date) -> AttendanceReport:
    """The office reports a finished month of a hall: it is locked with a snapshot."""
    if not (actor.is_superuser or has_role(actor, Role.OFFICE, Role.DIRECTOR)):
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


def compensatory_balances(employee_ids) -> dict:
    """{employee id: {"earned", "used", "balance"}} of 调休 in three queries for any number.

    Earned: a day worked (clocked in) that was a rostered rest day or a public holiday, counted
    once. Used: the days of approved 调休 leave on the roster.
    """
    employee_ids = list(employee_ids)
    holidays = list(public_holidays())
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
