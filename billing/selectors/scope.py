"""Which rows of a hall's counters a user sees."""

from django.db.models import QuerySet

from staff.core.access import Role, employee_of, has_role, is_center_wide


def scoped(queryset: QuerySet, user, *, hall="hall", own="cashier") -> QuerySet:
    """Director and office: everything; shift lead: their hall; cashier: their own rows."""
    if is_center_wide(user):
        return queryset
    employee = employee_of(user)
    if employee is None or employee.hall_id is None or not employee.is_active:
        return queryset.none()
    if has_role(user, Role.SHIFT_LEAD):
        return queryset.filter(**{f"{hall}_id": employee.hall_id})
    if has_role(user, Role.CASHIER):
        return queryset.filter(**{own: user})
    return queryset.none()
