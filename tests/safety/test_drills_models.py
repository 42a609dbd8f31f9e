"""The drill calendar of the regulations: a month's status from the day its drill was held."""

from datetime import date

from safety.models import drill_status


def test_drill_status_done_late_missed_due(settings):
    settings.SAFETY_DRILL_WINDOW_DAYS = 7
    settings.SAFETY_DRILL_GRACE_DAYS = 3
    assert drill_status(2026, 3, date(2026, 3, 28), date(2026, 6, 1)) == "done"
    assert drill_status(2026, 3, date(2026, 4, 2), date(2026, 6, 1)) == "late"
    assert drill_status(2026, 3, None, date(2026, 6, 1)) == "missed"
    assert drill_status(2026, 3, None, date(2026, 4, 2)) == "overdue"
    assert drill_status(2026, 3, None, date(2026, 3, 25)) == "due"
    assert drill_status(2026, 3, None, date(2026, 3, 24)) == "upcoming"
