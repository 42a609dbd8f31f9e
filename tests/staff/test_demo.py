import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from staff.core.calendar import week_start
from staff.models import (
    AttendanceRecord,
    DutyAssignment,
    Hall,
    LeaveRequest,
    Penalty,
    RosterEntry,
    RosterPublication,
)
from staff.selectors.rosters import roster_grid

pytestmark = pytest.mark.django_db


def _counts():
    return [
        m.objects.count()
        for m in (
            RosterEntry,
            RosterPublication,
            AttendanceRecord,
            LeaveRequest,
            Penalty,
            DutyAssignment,
        )
    ]


def test_demo_is_idempotent_and_has_one_coverage_gap_next_week():
    call_command("seed_demo", stdout=io.StringIO())
    first = _counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == first

    monday = week_start(timezone.localdate()) + datetime.timedelta(days=7)
    gaps = {}
    for hall in Hall.objects.filter(code__in=["longquan", "quankou", "duodao"]):
        grid = roster_grid(hall, monday, monday + datetime.timedelta(days=6))
        gaps[hall.code] = sorted({day for day, _shift, _cell in grid.gaps})
        assert set(grid.days) <= grid.published
    assert gaps == {"longquan": [monday], "quankou": [], "duodao": []}
    assert AttendanceRecord.objects.count() > 300
    assert LeaveRequest.objects.filter(status="pending").count() == 2
