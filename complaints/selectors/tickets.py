"""Reads: which tickets a user may see, and where their SLA clocks stand."""

from django.db.models import Q, QuerySet

from staff.access import Role, employee_of, get_for_user, has_role, is_center_wide
from staff.models import Employee

from ..models import OPEN_STATES, FirstContactTicket, TicketState


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


def ticket_search(user, *, state: str = "open", query: str = "") -> QuerySet[FirstContactTicket]:
    """The list page: "open" (the default), one state, or anything else for every state; a
    query matches number, customer name, phone, or the exact account number; newest first."""
    tickets = tickets_for(user).order_by("-received_at", "-id")
    if state == "open":
        tickets = tickets.filter(state__in=OPEN_STATES)
    elif state in TicketState.values:
        tickets = tickets.filter(state=state)
    if query:
        tickets = tickets.filter(
            Q(number__icontains=query)
            | Q(customer_name__icontains=query)
            | Q(customer_phone__icontains=query)
            | Q(account__account_no=query)
        )
    return tickets


def get_ticket_for(user, pk) -> FirstContactTicket:
    return get_for_user(tickets_for(user), pk=pk)


def owner_candidates(user, ticket: FirstContactTicket) -> QuerySet[Employee]:
    """Whom `user` may make the ticket's owner: a director anyone active; a lobby manager the
    active staff of the ticket's hall (their scope), never another hall's or a department's."""
    people = Employee.objects.filter(is_active=True).order_by("employee_no")
    if user.is_superuser or has_role(user, Role.DIRECTOR):
        return people
    return people.filter(hall_id=ticket.hall_id) if ticket.hall_id else people.none()
