import datetime

import pytest

from staff.core.calendar import WorkCalendar
from staff.models import StaffingRole
from tests.staff.factories import MinimumStaffingFactory, ShiftTypeFactory


@pytest.fixture
def shifts(world):
    """Hall A's shifts: 早 08:00–12:30, 午 12:30–17:30, 全 08:00–17:30.

    Morning and afternoon each need one shift lead and one cashier.
    """
    hall = world.hall_a
    morning = ShiftTypeFactory(
        hall=hall, code="早", name="早班", start=datetime.time(8), end=datetime.time(12, 30)
    )
    afternoon = ShiftTypeFactory(
        hall=hall,
        code="午",
        name="午班",
        start=datetime.time(12, 30),
        end=datetime.time(17, 30),
        sort_order=1,
    )
    full = ShiftTypeFactory(
        hall=hall,
        code="全",
        name="全天",
        start=datetime.time(8),
        end=datetime.time(17, 30),
        sort_order=2,
    )
    for shift in (morning, afternoon):
        MinimumStaffingFactory(shift_type=shift, role=StaffingRole.SHIFT_LEAD, count=1)
        MinimumStaffingFactory(shift_type=shift, role=StaffingRole.CASHIER, count=1)
    return {"早": morning, "午": afternoon, "全": full}


@pytest.fixture
def next_monday():
    from django.utils import timezone

    today = timezone.localdate()
    return today + datetime.timedelta(days=7 - today.weekday())


@pytest.fixture
def calendar(db):
    """The working calendar as the migrations pre-filled it from chinesecalendar."""
    return WorkCalendar.load()
