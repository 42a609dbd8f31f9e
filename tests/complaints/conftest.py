import pytest

from staff.core.calendar import WorkCalendar


@pytest.fixture
def calendar(db):
    """The calendar as the migration pre-filled it from chinesecalendar (2004–2026)."""
    return WorkCalendar.load()
