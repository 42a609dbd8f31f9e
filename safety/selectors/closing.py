"""Closing checks: the hall × day grid of a month and the halls still missing a day's check."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Min

from staff.models import Hall

from ..models import ClosingCheck, month_last_day


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


def recorded_checks(rows: list[ClosingRow]) -> list[tuple[ClosingCheck, Hall]]:
    """The month's recorded checks of `rows`, newest day first (no query)."""
    return sorted(
        ((check, row.hall) for row in rows for _day, check, _over in row.days if check),
        key=lambda pair: (pair[0].date, -pair[1].sort_order),
        reverse=True,
    )


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
