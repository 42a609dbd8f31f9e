"""The working calendar and date arithmetic every app shares."""

from calendar import monthrange
from datetime import date, timedelta

import chinese_calendar


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
