"""Who may do what with an incident (safety.rules); views, nav and services ask the same."""

import pytest
from django.utils import timezone

from safety import rules
from safety.models import CorrectiveAction
from tests.safety.factories import IncidentFactory


@pytest.fixture
def incident(world):
    """Hall A's incident, reported by hall A's cashier."""
    return IncidentFactory(hall=world.hall_a, reported_by=world.cashier)


def test_hall_staff_report_for_their_hall_and_people_without_a_hall_for_any(world):
    assert rules.may_report_incident(world.cashier, world.hall_a)
    assert not rules.may_report_incident(world.cashier, world.hall_b)
    assert rules.may_report_incident(world.liaison, world.hall_b)
    assert rules.may_report_incident(world.director, world.hall_b)


@pytest.mark.parametrize(
    "persona, tick, handle",
    [
        ("cashier", True, False),  # the reporter
        ("cashier2", False, False),  # a colleague who did not report it
        ("lobby_manager", True, True),
        ("shift_lead", True, True),
        ("other_lead", False, False),
        ("office", False, False),
        ("director", True, True),
    ],
)
def test_the_reporter_ticks_steps_and_the_halls_handlers_also_handle(
    world, incident, persona, tick, handle
):
    user = getattr(world, persona)
    assert rules.may_tick_steps(user, incident) is tick
    assert rules.may_handle_incident(user, incident) is handle
    assert rules.may_add_action(user, incident) is handle


def test_an_action_is_completed_by_its_owner_or_a_handler_of_the_hall(world, incident):
    action = CorrectiveAction.objects.create(
        incident=incident,
        description="更换门锁",
        owner=world.cashier2.employee,
        due_date=timezone.localdate(),
        created_by=world.shift_lead,
    )
    assert rules.may_complete_action(world.cashier2, action)
    assert rules.may_complete_action(world.lobby_manager, action)
    assert not rules.may_complete_action(world.cashier, action)
    assert not rules.may_complete_action(world.other_lead, action)


def test_the_page_offers_the_next_states_to_handlers_and_nothing_once_closed(world, incident):
    offers = rules.incident_offers(world.cashier, incident)
    assert (offers.tick, offers.handle, offers.next_states) == (True, False, [])
    offers = rules.incident_offers(world.shift_lead, incident)
    assert (offers.tick, offers.handle) == (True, True)
    assert [str(label) for _value, label in offers.next_states] == ["处置中"]

    incident.status = "resolved"
    offers = rules.incident_offers(world.shift_lead, incident)
    assert [value for value, _label in offers.next_states] == ["closed", "handling"]

    incident.status = "closed"
    for persona in ("cashier", "shift_lead", "director"):
        offers = rules.incident_offers(getattr(world, persona), incident)
        assert (offers.tick, offers.handle, offers.next_states) == (False, False, [])
