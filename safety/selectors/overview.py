"""The director's safety overview of a year: incidents, drills and closing checks by hall."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from staff.models import AuditEntry, Hall

from ..models import ClosingCheck, Incident, IncidentStatus, month_last_day
from .closing import closing_checks_since
from .drills import DrillCell, drill_table
from .incidents import incident_rows


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


@dataclass
class Overview:
    year: int
    open_incidents: list[Incident]
    late_reports: list[Incident]
    hall_years: list[HallYear]


def overview_for(user, year: int, today: date) -> Overview:
    """Open incidents, the year's late reports to leadership and each hall's months (a fixed
    number of queries)."""
    incidents = incident_rows(user, year=year)
    halls = list(Hall.objects.filter(is_active=True))
    return Overview(
        year=year,
        open_incidents=[i for i in incidents if i.status != IncidentStatus.CLOSED],
        late_reports=[
            i
            for i in incidents
            if i.delay.flagged and timezone.localtime(i.occurred_at).year == year
        ],
        hall_years=overview_year(halls, year, today, incidents),
    )


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
