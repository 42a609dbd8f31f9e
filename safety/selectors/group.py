"""The safety leadership group and who is each hall's safety officer."""

from django.db.models import QuerySet

from staff.core.access import Role, employee_of, has_role
from staff.models import Employee

from ..models import HallSafetyOfficer, SafetyGroupMember


def group_members() -> QuerySet[SafetyGroupMember]:
    return SafetyGroupMember.objects.select_related("employee__hall").order_by(
        "sort_order", "position", "id"
    )


def officers_by_hall(halls) -> dict[int, Employee | None]:
    """Each hall's safety officer: the named one, else its (first active) shift lead."""
    hall_ids = [hall.pk for hall in halls]
    officers = dict.fromkeys(hall_ids)
    leads = Employee.objects.filter(
        hall__in=hall_ids, is_active=True, user__groups__name=Role.SHIFT_LEAD
    ).order_by("employee_no")
    for lead in leads:
        if officers[lead.hall_id] is None:
            officers[lead.hall_id] = lead
    for override in HallSafetyOfficer.objects.filter(hall__in=hall_ids).select_related("employee"):
        officers[override.hall_id] = override.employee
    return officers


def named_officer_ids(halls) -> dict[int, int]:
    """hall id -> employee id of the halls whose officer is named (not the shift lead)."""
    return dict(
        HallSafetyOfficer.objects.filter(hall__in=[h.pk for h in halls]).values_list(
            "hall_id", "employee_id"
        )
    )


def officer_hall_ids(user) -> list[int]:
    """Halls whose safety officer `user` is (two queries)."""
    employee = employee_of(user)
    if employee is None:
        return []
    named = {
        o.hall_id: o.employee_id for o in HallSafetyOfficer.objects.filter(hall__is_active=True)
    }
    ids = {hall_id for hall_id, emp_id in named.items() if emp_id == employee.pk}
    if has_role(user, Role.SHIFT_LEAD) and employee.hall_id and employee.hall_id not in named:
        ids.add(employee.hall_id)
    return sorted(ids)
