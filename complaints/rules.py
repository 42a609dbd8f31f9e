"""Who may take which step on a ticket. Views use them to show buttons; services enforce them."""

from staff.core.access import Role, employee_of, has_role, is_center_wide

from .models import FirstContactTicket


def _is_hall_manager(user, ticket: FirstContactTicket) -> bool:
    employee = employee_of(user)
    return (
        has_role(user, Role.LOBBY_MANAGER)
        and employee is not None
        and ticket.hall_id is not None
        and employee.hall_id == ticket.hall_id
    )


def is_owner(user, ticket: FirstContactTicket) -> bool:
    employee = employee_of(user)
    return employee is not None and ticket.owner_id == employee.pk


def can_handle(user, ticket: FirstContactTicket) -> bool:
    """Resolve, forward, reply, follow up, chase: the owner, the hall's lobby manager, the
    office (it routes tickets to departments) and the director."""
    return is_owner(user, ticket) or _is_hall_manager(user, ticket) or is_center_wide(user)


def is_department_liaison(user, ticket: FirstContactTicket) -> bool:
    employee = employee_of(user)
    return (
        has_role(user, Role.DEPARTMENT_LIAISON)
        and employee is not None
        and ticket.department_id is not None
        and employee.department_id == ticket.department_id
    )


def can_record_result(user, ticket: FirstContactTicket) -> bool:
    """The department's liaison, or the office or director on its behalf (noting the source)."""
    return is_department_liaison(user, ticket) or is_center_wide(user)


def can_escalate(user, ticket: FirstContactTicket) -> bool:
    return can_handle(user, ticket) or is_department_liaison(user, ticket)


def can_change_owner(user, ticket: FirstContactTicket) -> bool:
    """首问负责人 may not hand a ticket off by themselves: a lobby manager or the director does."""
    return user.is_superuser or has_role(user, Role.DIRECTOR) or _is_hall_manager(user, ticket)


def can_find_responsible(user) -> bool:
    return user.is_superuser or has_role(user, Role.DIRECTOR)
