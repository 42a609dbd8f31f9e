"""Reads of the safety app, each scoped to the user and with a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from staff.access import (
    Role,
    employee_of,
    get_for_user,
    hall_ids_for,
    halls_for,
    has_role,
    is_center_wide,
)
from staff.models import AuditEntry, Employee, Hall

from ..models import (
    AlarmDrill,
    ClosingCheck,
    CorrectiveAction,
    EmergencyContact,
    HallSafetyOfficer,
    Incident,
    IncidentStatus,
    IncidentStep,
    ResponseStep,
    SafetyGroupMember,
)
from ..rules import (
    HANDLER_ROLES,
    checklist_for,
    drill_grace_end,
    drill_status,
    handles_hall,
    leadership_delay_limit_minutes,
    month_last_day,
    previous_month,
)

# --- Contacts, group, officers ------------------------------------------------------------------


def national_contacts() -> QuerySet[EmergencyContact]:
    return EmergencyContact.objects.filter(hall=None)


def hall_contacts(halls) -> dict[int, list[EmergencyContact]]:
    by_hall = {hall.pk: [] for hall in halls}
    for contact in EmergencyContact.objects.filter(hall__in=list(by_hall)):
        by_hall[contact.hall_id].append(contact)
    return by_hall


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


# --- Incidents ----------------------------------------------------------------------------------


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


def incident_rows(user, *, status: str = "", year: int | None = None) -> list[Incident]:
    """Incidents with their delays (one query): of a status, or open ones and those of `year`."""
    incidents = with_leadership_time(incidents_for(user))
    if status:
        incidents = incidents.filter(status=status)
    if year is not None:
        incidents = incidents.filter(~Q(status=IncidentStatus.CLOSED) | Q(occurred_at__year=year))
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
        drill__hall__in=handled_or_viewed_hall_ids(user)
    )
    employee = employee_of(user)
    if employee is not None:
        visible |= Q(owner=employee)
    return CorrectiveAction.objects.select_related("incident", "drill", "owner").filter(visible)


def handled_or_viewed_hall_ids(user) -> list[int]:
    """Halls whose drills and checks `user` may see: center-wide roles and the hall's handlers."""
    if not (user.is_superuser or has_role(user, Role.DIRECTOR, Role.OFFICE, *HANDLER_ROLES)):
        return []
    return list(halls_for(user).values_list("pk", flat=True))


def can_tick(user, incident: Incident) -> bool:
    return incident.status != IncidentStatus.CLOSED and (
        incident.reported_by_id == user.pk or handles_hall(user, incident.hall_id)
    )


def hall_employees(hall_id) -> QuerySet[Employee]:
    return Employee.objects.filter(is_active=True, hall_id=hall_id).order_by("employee_no")


def handled_halls(user) -> QuerySet[Hall]:
    """Halls whose drills, checks and incidents `user` handles (empty for other roles)."""
    if not (user.is_superuser or has_role(user, Role.DIRECTOR, *HANDLER_ROLES)):
        return Hall.objects.none()
    return halls_for(user)


def reporting_halls(user) -> QuerySet[Hall]:
    """Halls `user` may report an incident for: their own, or any when they have none."""
    ids = hall_ids_for(user)
    halls = Hall.objects.filter(is_active=True)
    return halls.filter(pk__in=ids) if ids else halls


# --- Drills -------------------------------------------------------------------------------------


def drills_for(user) -> QuerySet[AlarmDrill]:
    return AlarmDrill.objects.select_related("hall", "run_by", "recorded_by__employee").filter(
        hall__in=halls_for(user)
    )


def get_drill_for(user, pk) -> AlarmDrill:
    return get_for_user(drills_for(user), pk=pk)


@dataclass
class DrillCell:
    month: int
    status: str
    drill: AlarmDrill | None = None


@dataclass
class DrillRow:
    hall: Hall
    cells: list[DrillCell] = field(default_factory=list)


def drill_table(halls, year: int, today: date) -> list[DrillRow]:
    """Hall × month statuses of a year (two queries)."""
    halls = list(halls)
    drills = {
        (d.hall_id, d.month): d
        for d in AlarmDrill.objects.filter(hall__in=halls, year=year).select_related("run_by")
    }
    rows = []
    for hall in halls:
        row = DrillRow(hall=hall)
        for month in range(1, 13):
            drill = drills.get((hall.pk, month))
            held_on = timezone.localtime(drill.held_at).date() if drill else None
            row.cells.append(DrillCell(month, drill_status(year, month, held_on, today), drill))
        rows.append(row)
    return rows


# --- Closing checks -----------------------------------------------------------------------------


@dataclass
class ClosingRow:
    hall: Hall
    days: list[tuple[date, ClosingCheck | None, bool]] = field(default_factory=list)
    missing: int = 0
    checked: int = 0


def closing_checks_since() -> date | None:
    """The first day a missing closing check counts: SAFETY_CLOSING_CHECKS_SINCE, or else the
    day of the first check recorded in the center (before it the app was not in use). None
    while no check was ever recorded."""
    if settings.SAFETY_CLOSING_CHECKS_SINCE:
        return date.fromisoformat(settings.SAFETY_CLOSING_CHECKS_SINCE)
    return ClosingCheck.objects.aggregate(first=Min("date"))["first"]


def closing_month(halls, year: int, month: int, today: date) -> list[ClosingRow]:
    """Hall × day of a month: the check or None, and whether the day is over and counts
    (three queries)."""
    halls = list(halls)
    since = closing_checks_since()
    first, last = date(year, month, 1), month_last_day(year, month)
    checks = {
        (c.hall_id, c.date): c
        for c in ClosingCheck.objects.filter(
            hall__in=halls, date__range=(first, last)
        ).select_related("checked_by")
    }
    rows = []
    for hall in halls:
        row = ClosingRow(hall=hall)
        day = first
        while day <= last:
            check = checks.get((hall.pk, day))
            over = day < today and since is not None and day >= since
            row.days.append((day, check, over))
            row.checked += check is not None
            row.missing += check is None and over
            day += timedelta(days=1)
        rows.append(row)
    return rows


def missing_closing_halls(hall_ids, day: date) -> list[Hall]:
    """Halls among `hall_ids` without a closing check on `day` (one query)."""
    return list(
        Hall.objects.filter(pk__in=hall_ids, is_active=True)
        .exclude(closing_checks__date=day)
        .order_by("sort_order", "code")
    )


def shift_month(first: date, step: int) -> tuple[int, int]:
    month = first.month - 1 + step
    return first.year + month // 12, month % 12 + 1


# --- Overview (director) ------------------------------------------------------------------------


@dataclass
class MonthFigures:
    month: int
    drill: DrillCell
    checks: int = 0
    days_over: int = 0
    incidents: int = 0
    late_reports: int = 0

    @property
    def missing_checks(self) -> int:
        return max(0, self.days_over - self.checks)


@dataclass
class HallYear:
    hall: Hall
    months: list[MonthFigures]


def overview_year(halls, year: int, today: date, incidents: list[Incident]) -> list[HallYear]:
    """Per hall and month: the drill, closing checks recorded and missing, incidents, delays."""
    halls = list(halls)
    counts = {}
    checks = ClosingCheck.objects.filter(hall__in=halls, date__year=year).values_list(
        "hall_id", "date"
    )
    for hall_id, day in checks:
        counts[(hall_id, day.month)] = counts.get((hall_id, day.month), 0) + 1
    by_month = {}
    for incident in incidents:
        when = timezone.localtime(incident.occurred_at)
        if when.year != year:
            continue
        key = (incident.hall_id, when.month)
        total, late = by_month.get(key, (0, 0))
        by_month[key] = (total + 1, late + incident.delay.flagged)
    result = []
    since = closing_checks_since()
    for row in drill_table(halls, year, today):
        months = []
        for cell in row.cells:
            first, last = date(year, cell.month, 1), month_last_day(year, cell.month)
            first = first if since is None else max(first, since)
            end = min(today - timedelta(days=1), last)
            over = 0 if since is None or end < first else (end - first).days + 1
            total, late = by_month.get((row.hall.pk, cell.month), (0, 0))
            months.append(
                MonthFigures(
                    month=cell.month,
                    drill=cell,
                    checks=counts.get((row.hall.pk, cell.month), 0),
                    days_over=over,
                    incidents=total,
                    late_reports=late,
                )
            )
        result.append(HallYear(hall=row.hall, months=months))
    return result


def recent_safety_changes(limit: int = 30):
    return list(
        AuditEntry.objects.filter(action__startswith="safety.")
        .select_related("actor__employee")
        .order_by("-at", "-id")[:limit]
    )


def default_drill_month(halls, today: date) -> tuple[int, int]:
    """The month a new drill is most likely for: last month while it is still open for some
    hall (its grace days), otherwise this month."""
    year, month = previous_month(today.year, today.month)
    if today <= drill_grace_end(year, month):
        hall_ids = [hall.pk for hall in halls]
        recorded = AlarmDrill.objects.filter(hall__in=hall_ids, year=year, month=month).count()
        if recorded < len(hall_ids):
            return year, month
    return today.year, today.month
