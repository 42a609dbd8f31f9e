"""Leave reads: the requests a user may see, pending 调休 days, what an approval leaves short."""

from django.db.models import Q

from ..core.access import employee_of, scope_by_hall
from ..core.calendar import days_between
from ..models import LeaveRequest, LeaveStatus, LeaveType
from ..rules import may_see_hall_people
from .rosters import coverage, entries_by_cell, hall_shift_types, roles_by_employee, roster_people


def leaves_visible_to(user):
    """My own leave requests; hall managers the hall's; office and director all."""
    queryset = LeaveRequest.objects.select_related(
        "employee__hall", "employee__user", "decided_by__employee"
    ).prefetch_related("employee__user__groups")
    me = employee_of(user)
    own = Q(employee=me) if me is not None else Q(pk__in=[])
    if may_see_hall_people(user):
        return scope_by_hall(queryset, user, "employee__hall") | queryset.filter(own)
    return queryset.filter(own)


def pending_compensatory_days(employee, exclude=None) -> int:
    pending = LeaveRequest.objects.filter(
        employee=employee, leave_type=LeaveType.COMPENSATORY, status=LeaveStatus.PENDING
    ).exclude(pk=getattr(exclude, "pk", None))
    return sum((p.end - p.start).days + 1 for p in pending)


def staffing_shortfalls(leave: LeaveRequest) -> list:
    """(day, shift, missing) where approving `leave` leaves a shift below its minimum."""
    employee = leave.employee
    hall_id = employee.hall_id
    days = days_between(leave.start, leave.end)
    shift_types = hall_shift_types(hall_id)
    people = roster_people(hall_id, leave.start, leave.end)
    role_of = roles_by_employee(people)
    cells = entries_by_cell(hall_id, leave.start, leave.end)
    with_leave = coverage(shift_types, days, cells, role_of, exclude=employee.pk)
    without = coverage(shift_types, days, cells, role_of)
    return [
        (day, shift, with_leave[shift.pk, day].missing())
        for day in days
        for shift in shift_types
        if with_leave[shift.pk, day].shortfall > without[shift.pk, day].shortfall
        and with_leave[shift.pk, day].shortfall > 0
    ]
