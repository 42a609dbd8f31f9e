"""Who may do what in the safety app.

Views and templates ask these; services enforce the same rules (a refused actor gets a 403).
What the regulations require of an incident or a drill (checklists, drill days) is in models.
"""

from dataclasses import dataclass, field

from staff.core.access import Role, hall_ids_for, halls_for, has_role

from .models import INCIDENT_TRANSITIONS, IncidentStatus

# A hall's shift lead and lobby manager handle its incidents, drills and closing checks.
HANDLER_ROLES = (Role.SHIFT_LEAD, Role.LOBBY_MANAGER)
# The safety officer's rounds (alarm drills, closing checks): who sees them, who records them.
ROUNDS_VIEW_ROLES = (Role.DIRECTOR, Role.OFFICE, *HANDLER_ROLES)
ROUNDS_HANDLE_ROLES = (Role.DIRECTOR, *HANDLER_ROLES)


def is_director(user) -> bool:
    return user.is_superuser or has_role(user, Role.DIRECTOR)


def handles_hall(user, hall_id: int) -> bool:
    """Director: every hall. Shift lead and lobby manager: their own hall."""
    if is_director(user):
        return True
    if not has_role(user, *HANDLER_ROLES):
        return False
    ids = hall_ids_for(user)
    return ids is None or hall_id in ids


# --- Contacts and the safety group --------------------------------------------------------------


def may_edit_contacts(user) -> bool:
    """Everyone sees the emergency numbers; only the director changes them."""
    return is_director(user)


def may_manage_group(user) -> bool:
    """The director names the safety group and the halls' safety officers."""
    return is_director(user)


# --- Incidents ----------------------------------------------------------------------------------


def may_report_incident(user, hall) -> bool:
    """Staff of a hall report for their hall; people without one (liaisons) for any hall."""
    own = hall_ids_for(user)
    return not own or hall.pk in own


def may_tick_steps(user, incident) -> bool:
    """Tick response steps and add the people involved: the reporter or a handler of the hall.
    (A closed incident refuses every change, with its reason, in the service.)"""
    return incident.reported_by_id == user.pk or handles_hall(user, incident.hall_id)


def may_handle_incident(user, incident) -> bool:
    """Change the state, correct the report, write the notes, add corrective actions."""
    return handles_hall(user, incident.hall_id)


def may_add_action(user, source) -> bool:
    """A corrective action for an incident or a drill: a handler of its hall."""
    return handles_hall(user, source.hall_id)


def may_complete_action(user, action) -> bool:
    """The action's owner, or a handler of the hall of its incident or drill."""
    source = action.incident or action.drill
    return action.owner.user_id == user.pk or handles_hall(user, source.hall_id)


@dataclass
class IncidentOffers:
    """What the incident page offers `user`: nothing once the incident is closed."""

    tick: bool = False
    handle: bool = False
    next_states: list[tuple[str, str]] = field(default_factory=list)


def incident_offers(user, incident) -> IncidentOffers:
    if incident.status == IncidentStatus.CLOSED:
        return IncidentOffers()
    handle = may_handle_incident(user, incident)
    nexts = INCIDENT_TRANSITIONS[IncidentStatus(incident.status)] if handle else ()
    return IncidentOffers(
        tick=may_tick_steps(user, incident),
        handle=handle,
        next_states=[(state.value, state.label) for state in nexts],
    )


# --- Drills and closing checks ------------------------------------------------------------------


def may_view_rounds(user) -> bool:
    """The drill table and the closing-check grid: center-wide roles and the halls' handlers."""
    return user.is_superuser or has_role(user, *ROUNDS_VIEW_ROLES)


def may_handle_rounds(user) -> bool:
    """Record drills and closing checks (for the halls each handles)."""
    return user.is_superuser or has_role(user, *ROUNDS_HANDLE_ROLES)


def may_record_rounds(user) -> bool:
    """Whether to offer "record": a handler with a hall to record for (one query)."""
    return may_handle_rounds(user) and halls_for(user).exists()


def may_handle_drill(user, drill) -> bool:
    """Turn the drill's problems into corrective actions: a handler of its hall."""
    return handles_hall(user, drill.hall_id)


# --- Overview -----------------------------------------------------------------------------------


def may_see_overview(user) -> bool:
    return is_director(user)
