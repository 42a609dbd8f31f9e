"""POSTs with another hall's ids: 404 for what is out of scope, nothing changed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from safety.models import CorrectiveAction, IncidentStep
from tests.safety.factories import AlarmDrillFactory, IncidentFactory

pytestmark = pytest.mark.django_db


def _action(owner):
    return {
        "action-description": "更换门锁",
        "action-owner": owner.pk,
        "action-due_date": (timezone.localdate() + timedelta(days=5)).isoformat(),
    }


def test_other_halls_lead_cannot_act_on_hall_a_drill_or_incident(world, client):
    drill = AlarmDrillFactory(hall=world.hall_a)
    incident = IncidentFactory(hall=world.hall_a, reported_by=world.cashier)
    client.force_login(world.other_lead)
    owner = world.other_lead.employee
    assert (
        client.post(reverse("safety:drill_action", args=[drill.pk]), _action(owner)).status_code
        == 404
    )
    assert (
        client.post(
            reverse("safety:incident_action", args=[incident.pk]), _action(owner)
        ).status_code
        == 404
    )
    step = {
        "step": "leadership_informed",
        "done_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    }
    assert client.post(reverse("safety:incident_step", args=[incident.pk]), step).status_code == 404
    assert not CorrectiveAction.objects.exists() and not IncidentStep.objects.exists()


def test_posting_another_halls_employee_as_owner_is_refused(world, client):
    incident = IncidentFactory(hall=world.hall_a, reported_by=world.cashier)
    client.force_login(world.shift_lead)
    client.post(
        reverse("safety:incident_action", args=[incident.pk]), _action(world.other_cashier.employee)
    )
    assert not CorrectiveAction.objects.exists()
