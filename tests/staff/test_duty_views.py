"""The daily duty page: assigning, rotating, ticking off, missed duties."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from staff.models import DutyAssignment

pytestmark = pytest.mark.django_db


def test_lobby_manager_assigns_duty_and_person_ticks_it_off(world, login):
    today = timezone.localdate()
    login(world.lobby_manager).post(
        reverse("staff:duty"),
        {
            "action": "assign",
            "day": today,
            "kind": "cleaning",
            "employee": world.cashier.employee.pk,
        },
    )
    duty = DutyAssignment.objects.get()
    login(world.cashier).post(reverse("staff:duty"), {"action": "done", "duty": duty.pk})
    assert DutyAssignment.objects.get().done_at is not None


def test_cashier_cannot_assign_duty(world, login):
    response = login(world.cashier).post(
        reverse("staff:duty"),
        {
            "action": "assign",
            "day": timezone.localdate(),
            "kind": "cleaning",
            "employee": world.cashier.employee.pk,
        },
    )
    assert response.status_code == 403
    assert not DutyAssignment.objects.exists()


def test_missed_duty_flagged_on_lobby_managers_home(world, login):
    DutyAssignment.objects.create(
        hall=world.hall_a,
        date=timezone.localdate() - datetime.timedelta(days=2),
        kind="safety",
        employee=world.cashier.employee,
        assigned_by=world.lobby_manager,
    )
    html = login(world.lobby_manager).get(reverse("staff:home")).content.decode()
    assert "近一个月未完成的值日" in html
    html = login(world.other_lobby_manager).get(reverse("staff:home")).content.decode()
    assert "近一个月未完成的值日" not in html
