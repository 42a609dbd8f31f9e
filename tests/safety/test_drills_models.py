"""The drill calendar of the regulations: a month's status from the day its drill was held."""

from datetime import date, timedelta

from django.conf import settings
from hypothesis import assume, given
from hypothesis import strategies as st

from safety.models import drill_grace_end, drill_status, drill_window_start, month_last_day


def test_drill_status_done_late_missed_due(settings):
    settings.SAFETY_DRILL_WINDOW_DAYS = 7
    settings.SAFETY_DRILL_GRACE_DAYS = 3
    assert drill_status(2026, 3, date(2026, 3, 28), date(2026, 6, 1)) == "done"
    assert drill_status(2026, 3, date(2026, 4, 2), date(2026, 6, 1)) == "late"
    assert drill_status(2026, 3, None, date(2026, 6, 1)) == "missed"
    assert drill_status(2026, 3, None, date(2026, 4, 2)) == "overdue"
    assert drill_status(2026, 3, None, date(2026, 3, 25)) == "due"
    assert drill_status(2026, 3, None, date(2026, 3, 24)) == "upcoming"


MONTHS = st.tuples(st.integers(2000, 2100), st.integers(1, 12))


@given(MONTHS, st.integers(0, 40))
def test_a_drill_held_in_its_month_is_done_and_in_the_grace_days_late(month_of_year, offset):
    year, month = month_of_year
    held_on = date(year, month, 1) + timedelta(days=offset)
    assume(held_on <= drill_grace_end(year, month))
    for today in (held_on, drill_grace_end(year, month) + timedelta(days=400)):
        expected = "done" if held_on <= month_last_day(year, month) else "late"
        assert drill_status(year, month, held_on, today) == expected


@given(MONTHS)
def test_without_a_drill_a_month_goes_upcoming_due_overdue_missed_on_the_configured_days(
    month_of_year,
):
    year, month = month_of_year
    first, last = date(year, month, 1), month_last_day(year, month)
    statuses = [
        drill_status(year, month, None, first + timedelta(days=n))
        for n in range((last - first).days + settings.SAFETY_DRILL_GRACE_DAYS + 3)
    ]
    window, grace = settings.SAFETY_DRILL_WINDOW_DAYS, settings.SAFETY_DRILL_GRACE_DAYS
    upcoming = last.day - window
    assert statuses == (
        ["upcoming"] * upcoming + ["due"] * window + ["overdue"] * grace + ["missed"] * 2
    )
    assert drill_window_start(year, month) == first + timedelta(days=upcoming)
