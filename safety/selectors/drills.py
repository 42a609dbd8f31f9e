"""Alarm drills: the yearly hall × month table and the month a new drill is most likely for."""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from staff.core.access import get_for_user, halls_for
from staff.models import Hall

from ..models import AlarmDrill, CorrectiveAction, drill_grace_end, drill_status, previous_month


def drill_rules() -> dict:
    """The days the page explains the drill rules with (templates/safety/drills/_rules.html)."""
    return {
        "window_days": settings.SAFETY_DRILL_WINDOW_DAYS,
        "grace_days": settings.SAFETY_DRILL_GRACE_DAYS,
    }


def drills_for(user) -> QuerySet[AlarmDrill]:
    return AlarmDrill.objects.select_related("hall", "run_by", "recorded_by__employee").filter(
        hall__in=halls_for(user)
    )


def get_drill_for(user, pk) -> AlarmDrill:
    return get_for_user(drills_for(user), pk=pk)


def drill_actions(drill: AlarmDrill) -> list[CorrectiveAction]:
    return list(drill.actions.select_related("owner", "done_by__employee"))


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


def missing_drill_halls(hall_ids, months) -> dict[tuple[int, int], list[Hall]]:
    """(year, month) -> the halls among `hall_ids` without that month's drill (two queries)."""
    done = set(
        AlarmDrill.objects.filter(
            hall__in=hall_ids,
            year__in={year for year, _month in months},
            month__in={month for _year, month in months},
        ).values_list("hall_id", "year", "month")
    )
    halls = {hall.pk: hall for hall in Hall.objects.filter(pk__in=hall_ids)}
    return {
        (year, month): [halls[h] for h in hall_ids if (h, year, month) not in done and h in halls]
        for year, month in months
    }
