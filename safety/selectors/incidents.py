"""Incidents and corrective actions as each user may see them, with the leadership delay."""

from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from staff.core.access import employee_of, get_for_user, hall_ids_for, has_role, is_center_wide
from staff.models import Hall

from ..models import (
    CorrectiveAction,
    Incident,
    IncidentStatus,
    IncidentStep,
    ResponseStep,
    checklist_for,
    leadership_delay_limit_minutes,
)
from ..rules import HANDLER_ROLES
from . import viewed_hall_ids


def incidents_for(user) -> QuerySet[Incident]:
    """Center-wide roles see every incident; a hall's handlers their hall's; everyone their own."""
    incidents = Incident.objects.select_related("hall", "reported_by__employee")
    if is_center_wide(user):
        return incidents
    mine = Q(reported_by=user)
    if has_role(user, *HANDLER_ROLES):
        mine |= Q(hall__in=hall_ids_for(user) or [])
    return incidents.filter(mine)


def with_leadership_time(incidents: QuerySet[Incident]) -> QuerySet[Incident]:
    informed = IncidentStep.objects.filter(
        incident=OuterRef("pk"), step=ResponseStep.LEADERSHIP_INFORMED
    ).values("done_at")[:1]
    return incidents.annotate(leadership_at=Subquery(informed))


def get_incident_for(user, pk) -> Incident:
    return get_for_user(with_leadership_time(incidents_for(user)), pk=pk)


@dataclass
class Delay:
    minutes: int
    informed: bool
    flagged: bool


def leadership_delay(incident: Incident, now=None) -> Delay:
    """Minutes from occurrence to "leadership informed" (or to now while not yet informed)."""
    informed_at = getattr(incident, "leadership_at", None)
    end = informed_at or now or timezone.now()
    minutes = max(0, int((end - incident.occurred_at).total_seconds() // 60))
    return Delay(
        minutes=minutes,
        informed=informed_at is not None,
        flagged=minutes > leadership_delay_limit_minutes(),
    )


def incident_rows(user, *, year: int) -> list[Incident]:
    """The open incidents and those of `year`, with their delays (one query)."""
    incidents = with_leadership_time(incidents_for(user)).filter(
        ~Q(status=IncidentStatus.CLOSED) | Q(occurred_at__year=year)
    )
    return with_delays(list(incidents))


def with_delays(incidents):
    now = timezone.now()
    for incident in incidents:
        incident.delay = leadership_delay(incident, now)
    return incidents


@dataclass
class ChecklistRow:
    step: str
    label: str
    done: IncidentStep | None


def incident_checklist(incident: Incident) -> list[ChecklistRow]:
    ticked = {s.step: s for s in incident.steps.select_related("ticked_by__employee")}
    return [
        ChecklistRow(step=step, label=ResponseStep(step).label, done=ticked.get(step))
        for step in checklist_for(incident.kind, incident.injured_count)
    ]


def incident_actions(incident: Incident) -> list[CorrectiveAction]:
    return list(incident.actions.select_related("owner", "done_by__employee"))


def actions_for(user) -> QuerySet[CorrectiveAction]:
    """Corrective actions of visible incidents and drills, and those the user owns."""
    visible = Q(incident__in=incidents_for(user).values("pk")) | Q(
        drill__hall__in=viewed_hall_ids(user)
    )
    employee = employee_of(user)
    if employee is not None:
        visible |= Q(owner=employee)
    return CorrectiveAction.objects.select_related("incident", "drill", "owner").filter(visible)


def open_actions_for(user) -> list[CorrectiveAction]:
    """The open corrective actions `user` sees, soonest due first (one query)."""
    return list(
        actions_for(user)
        .filter(done_at__isnull=True)
        .select_related("incident__hall", "drill__hall")
        .order_by("due_date", "id")
    )


def reporting_halls(user) -> QuerySet[Hall]:
    """Halls `user` may report an incident for: their own, or any when they have none."""
    ids = hall_ids_for(user)
    halls = Hall.objects.filter(is_active=True)
    return halls.filter(pk__in=ids) if ids else halls
