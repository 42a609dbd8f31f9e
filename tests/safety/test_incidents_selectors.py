"""The delay between an incident and "leadership informed", as the list and detail show it."""

from datetime import timedelta

from django.utils import timezone

from safety import services
from safety.selectors.incidents import get_incident_for, leadership_delay
from tests.safety.factories import IncidentFactory


def test_leadership_delay_is_flagged_above_the_threshold(world, settings):
    settings.SAFETY_LEADERSHIP_DELAY_MINUTES = 15
    incident = IncidentFactory(
        hall=world.hall_a,
        reported_by=world.cashier,
        occurred_at=timezone.now() - timedelta(minutes=40),
    )
    services.incident_tick_step(
        actor=world.cashier,
        incident=incident,
        step="leadership_informed",
        done_at=incident.occurred_at + timedelta(minutes=20),
    )
    delay = leadership_delay(get_incident_for(world.cashier, incident.pk))
    assert (delay.minutes, delay.informed, delay.flagged) == (20, True, True)

    settings.SAFETY_LEADERSHIP_DELAY_MINUTES = 30
    delay = leadership_delay(get_incident_for(world.cashier, incident.pk))
    assert delay.flagged is False


def test_not_yet_informed_delay_counts_until_now(world):
    incident = IncidentFactory(
        hall=world.hall_a,
        reported_by=world.cashier,
        occurred_at=timezone.now() - timedelta(minutes=5),
    )
    delay = leadership_delay(get_incident_for(world.cashier, incident.pk))
    assert delay.informed is False
    assert delay.minutes == 5
    assert delay.flagged is False
