"""Who sees and records the safety officer's rounds (alarm drills and closing checks)."""

import pytest

from safety import rules
from staff.core.roles import Role
from tests.safety.factories import AlarmDrillFactory
from tests.staff.factories import EmployeeFactory


@pytest.mark.parametrize(
    "persona, view, record",
    [
        ("director", True, True),
        ("office", True, False),
        ("shift_lead", True, True),
        ("lobby_manager", True, True),
        ("cashier", False, False),
        ("liaison", False, False),
    ],
)
def test_center_wide_roles_and_handlers_see_the_rounds_and_handlers_record_them(
    world, persona, view, record
):
    user = getattr(world, persona)
    assert rules.may_view_rounds(user) is view
    assert rules.may_record_rounds(user) is record


def test_a_shift_lead_without_a_hall_is_not_offered_to_record(db):
    lead = EmployeeFactory(hall=None, user__roles=[Role.SHIFT_LEAD]).user
    assert rules.may_handle_rounds(lead)
    assert not rules.may_record_rounds(lead)


def test_a_drill_is_handled_by_its_halls_handlers_and_the_director(world):
    drill = AlarmDrillFactory(hall=world.hall_a)
    assert rules.may_handle_drill(world.shift_lead, drill)
    assert rules.may_handle_drill(world.director, drill)
    assert not rules.may_handle_drill(world.other_lead, drill)
    assert not rules.may_handle_drill(world.office, drill)
