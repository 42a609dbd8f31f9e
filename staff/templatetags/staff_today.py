"""The home page's own section: clock in/out, today's status, my next shifts and duty."""

from datetime import timedelta

from django import template
from django.utils import timezone

from ..core.access import employee_of
from ..core.calendar import is_public_holiday
from ..models import AttendanceRecord, DutyAssignment, RosterEntry
from ..selectors.attendance import compensatory_balance, day_status
from ..selectors.rosters import published_plan

register = template.Library()


@register.inclusion_tag("staff/home/_today.html", takes_context=True)
def staff_today(context):
    """Only for hall staff; a fixed handful of queries."""
    request = context["request"]
    employee = employee_of(request.user)
    if employee is None or employee.hall_id is None:
        return {"employee": None}
    today = timezone.localdate()
    record = AttendanceRecord.objects.filter(employee=employee, date=today).first()
    entries = list(
        RosterEntry.objects.filter(employee=employee, date=today).select_related("shift_type")
    )
    upcoming = [
        day
        for day in published_plan(employee, today, today + timedelta(days=7))
        if day.labels or day.edited
    ]
    return {
        "employee": employee,
        "record": record,
        "status": day_status(today, entries, record, timezone.now(), is_public_holiday(today)),
        "upcoming": upcoming,
        "duties": DutyAssignment.objects.filter(employee=employee, date=today),
        "balance": compensatory_balance(employee),
        "csrf_token": context.get("csrf_token"),
    }
