"""Who may do what in the complaints app.

Views, templates and the navigation ask these; the services ask them again before they write
(a rule said yes on the page may say no by the time the form is posted).
"""

from staff.core.access import Role, employee_of, has_role, is_center_wide

from .models import FirstContactTicket, TicketState

# The manager SLA view and its export.
SLA_ROLES = (Role.DIRECTOR, Role.OFFICE, Role.LOBBY_MANAGER)


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


def is_department_liaison(user, ticket: FirstContactTicket) -> bool:
    employee = employee_of(user)
    return (
        has_role(user, Role.DEPARTMENT_LIAISON)
        and employee is not None
        and ticket.department_id is not None
        and employee.department_id == ticket.department_id
    )


def may_open_ticket(user) -> bool:
    """Every member of staff (首问负责: nobody may refuse a complaint or an enquiry)."""
    return employee_of(user) is not None


def may_handle(user, ticket: FirstContactTicket) -> bool:
    """Resolve, forward, reply, follow up, chase: the owner, the hall's lobby manager, the
    office (it routes tickets to departments) and the director."""
    return is_owner(user, ticket) or _is_hall_manager(user, ticket) or is_center_wide(user)


def may_record_result(user, ticket: FirstContactTicket) -> bool:
    """The department's liaison, or the office or director on its behalf (noting the source)."""
    return is_department_liaison(user, ticket) or is_center_wide(user)


def may_escalate(user, ticket: FirstContactTicket) -> bool:
    return may_handle(user, ticket) or is_department_liaison(user, ticket)


def may_change_owner(user, ticket: FirstContactTicket) -> bool:
    """首问负责人 may not hand a ticket off by themselves: a lobby manager or the director does."""
    return user.is_superuser or has_role(user, Role.DIRECTOR) or _is_hall_manager(user, ticket)


def may_find_responsible(user, ticket: FirstContactTicket | None = None) -> bool:
    """有责投诉 is the director's finding, on any ticket."""
    return user.is_superuser or has_role(user, Role.DIRECTOR)


def may_view_sla(user) -> bool:
    return user.is_superuser or has_role(user, *SLA_ROLES)


# The steps a ticket's page offers: who may take each, and in which state it is offered, in the
# order of the flow. The services check the state again and refuse with a message.
STEP_RULES = {
    "resolve": may_handle,
    "forward": may_handle,
    "result": may_record_result,
    "reply": may_handle,
    "follow_up": may_handle,
    "chase": may_handle,
    "escalate": may_escalate,
    "owner": may_change_owner,
    "responsible": may_find_responsible,
}
STEPS_BY_STATE = {
    TicketState.NEW: ["resolve", "forward", "escalate", "owner"],
    TicketState.FORWARDED: ["result", "forward", "chase", "escalate", "owner"],
    TicketState.RESULT_IN: ["reply", "forward", "escalate", "owner"],
    TicketState.REPLIED: ["follow_up", "escalate", "owner"],
    TicketState.CLOSED: ["responsible"],
}


def may_take_step(user, ticket: FirstContactTicket, step: str) -> bool:
    """Whether `user` may take `step` (a key of STEP_RULES) on the ticket, whatever its state."""
    rule = STEP_RULES.get(step)
    return rule is not None and rule(user, ticket)


def steps_offered(user, ticket: FirstContactTicket) -> list[str]:
    """The steps to show on the ticket's page: possible in its state and allowed to `user`."""
    return [step for step in STEPS_BY_STATE[ticket.state] if may_take_step(user, ticket, step)]
