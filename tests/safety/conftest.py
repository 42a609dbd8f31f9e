from datetime import date, timedelta

import pytest
from django.utils import timezone


def aware(day: date, hour=16, minute=0):
    return timezone.make_aware(timezone.datetime(day.year, day.month, day.day, hour, minute))


@pytest.fixture
def last_month():
    """(year, month) of the month before today."""
    first = timezone.localdate().replace(day=1)
    previous = first - timedelta(days=1)
    return previous.year, previous.month
