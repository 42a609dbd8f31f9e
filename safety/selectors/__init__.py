"""Reads of the safety app, one module per feature (contacts, group, incidents, drills, closing,
overview), each scoped to the user and with a fixed number of queries.

This module holds the hall scoping the features share; import a feature's reads from its
module (`from safety.selectors import incidents`).
"""

from django.db.models import QuerySet

from staff.core.access import halls_for
from staff.models import Employee, Hall

from ..rules import may_handle_rounds, may_view_rounds


def handled_halls(user) -> QuerySet[Hall]:
    """Halls whose drills, checks and incidents `user` handles (empty for other roles)."""
    if not may_handle_rounds(user):
        return Hall.objects.none()
    return halls_for(user)


def viewed_hall_ids(user) -> list[int]:
    """Halls whose drills and checks `user` may see: center-wide roles and the hall's handlers."""
    if not may_view_rounds(user):
        return []
    return list(halls_for(user).values_list("pk", flat=True))


def hall_employees(hall_id) -> QuerySet[Employee]:
    """Who may own a corrective action of the hall: its active staff."""
    return Employee.objects.filter(is_active=True, hall_id=hall_id).order_by("employee_no")
