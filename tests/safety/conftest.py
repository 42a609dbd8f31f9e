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


def transactional_world():
    """The personas for a test with real transactions: an earlier such test's flush removed the
    role groups the migrations made, and a persona without its group has no role."""
    from django.contrib.auth.models import Group

    from staff.roles import Role
    from tests.conftest import build_world

    for role in Role.values:
        Group.objects.get_or_create(name=role)
    return build_world()
