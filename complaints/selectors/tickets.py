"""Ticket reads: which tickets a user may see, and whom they may make a ticket's owner."""

from django.db.models import Q, QuerySet

from staff.core.access import Role, employee_of, get_for_user, has_role, is_center_wide
from staff.models import Employee

from ..models import FirstContactTicket


def tickets_for(user) -> QuerySet[FirstContactTicket]:
    """Own and opened tickets for everyone; the department's for a liaison; the hall's for a
    lobby manager; all for office and director."""
    tickets = FirstContactTicket.objects.select_related("owner", "hall", "department")
    if is_center_wide(user):
        return tickets
    employee = employee_of(user)
    if employee is None or not employee.is_active:
        return tickets.none()
    scope = Q(owner=employee) | Q(opened_by=employee)
    if has_role(user, Role.DEPARTMENT_LIAISON) and employee.department_id:
        scope |= Q(department_id=employee.department_id)
    if has_role(user, Role.LOBBY_MANAGER) and employee.hall_id:
        scope |= Q(hall_id=employee.hall_id)
    return tickets.filter(scope)


def get_ticket_for(user, pk) -> FirstContactTicket:
    return get_for_user(tickets_for(user), pk=pk)


def owner_candidates(user, ticket: FirstContactTicket) -> QuerySet[Employee]:
    """Whom `user` may make the ticket's owner: a director anyone active; a lobby manager the
    active staff of the ticket's hall (their scope), never another hall's or a department's."""
    people = Employee.objects.filter(is_active=True).order_by("employee_no")
    if user.is_superuser or has_role(user, Role.DIRECTOR):
        return people
    return people.filter(hall_id=ticket.hall_id) if ticket.hall_id else people.none()
