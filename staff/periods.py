"""Dates, months and the reporting lock shared by rosters, leave and attendance."""

from calendar import monthrange
from datetime import date, timedelta

import chinese_calendar
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .access import Role, has_role
from .models import AttendanceReport


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=monthrange(day.year, day.month)[1])


def days_between(start: date, end: date) -> list[date]:
    """Every date from `start` to `end`, both included."""
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def is_public_holiday(day: date) -> bool:
    """A statutory public holiday (not a plain weekend: the halls work every day).

    Read from the chinesecalendar package for now; years it does not know have no holidays.
    """
    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return False
    return on_holiday and name is not None


def public_holidays():
    """Every statutory public holiday the chinesecalendar package knows."""
    return chinese_calendar.holidays.keys()


def reported_months(hall_id: int, days) -> set[date]:
    """The months among `days` that the office has reported (locked) for the hall."""
    months = {month_start(d) for d in days}
    return set(
        AttendanceReport.objects.filter(hall_id=hall_id, month__in=months).values_list(
            "month", flat=True
        )
    )


def check_unlocked(*, actor, hall_id: int, days, reason: str = "") -> bool:
    """Refuse a change to a reported month unless a director makes it with a reason.

    Returns True when the change touches a reported month (a correction after reporting).
    """
    locked = reported_months(hall_id, days)
    if not locked:
        return False
    months = "、".join(f"{m:%Y-%m}" for m in sorted(locked))
    if not (actor.is_superuser or has_role(actor, Role.DIRECTOR)):
        raise ValidationError(
            _(
                "The attendance of %(months)s has been reported and is locked; "
                "only a director can correct it."
            )
            % {"months": months}
        )
    if not reason.strip():
        raise ValidationError(
            _("%(months)s has been reported: give the reason for this correction.")
            % {"months": months}
        )
    return True
