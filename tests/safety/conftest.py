from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.safety.factories import ClosingCheckFactory, IncidentFactory


def aware(day: date, hour=16, minute=0):
    return timezone.make_aware(timezone.datetime(day.year, day.month, day.day, hour, minute))


@pytest.fixture
def last_month():
    """(year, month) of the month before today."""
    first = timezone.localdate().replace(day=1)
    previous = first - timedelta(days=1)
    return previous.year, previous.month


@pytest.fixture
def year_data(world):
    """This year: a closing check in hall A, and an open incident not yet reported to
    leadership (late once the limit is 0)."""
    today = timezone.localdate()
    ClosingCheckFactory(hall=world.hall_a, date=today.replace(day=1))
    # Two minutes ago and not yet reported to leadership: open, and late once the limit is 0.
    IncidentFactory(hall=world.hall_a, occurred_at=timezone.now() - timedelta(minutes=2))
    return today.year
