"""POSTs with another hall's ids: 404 for what is out of scope, nothing changed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from staff.models import (
    AttendanceRecord,
    AuditEntry,
    DutyAssignment,
    Penalty,
    RosterEntry,
    ShiftType,
)
from staff.services.duty import duty_assign

pytestmark = pytest.mark.django_db


def test_other_halls_lead_cannot_post_into_hall_a_roster(world, shifts, next_monday, login):
    url = f"{reverse('staff:roster')}?hall={world.hall_a.pk}&start={next_monday.isoformat()}"
    field = f"c-{world.cashier.employee.pk}-{next_monday:%Y%m%d}"
    for action in ("save", "copy", "publish"):
        response = login(world.other_lead).post(url, {"action": action, field: "早"})
        assert response.status_code == 404
    assert not RosterEntry.objects.exists()


def test_other_halls_lead_cannot_retire_hall_a_shift_through_own_hall(world, shifts, login):
    url = f"{reverse('staff:shift_types')}?hall={world.hall_b.pk}"
    response = login(world.other_lead).post(
        url, {"action": "deactivate", "shift_type": shifts["早"].pk}, follow=True
    )
    assert response.status_code == 200
    assert ShiftType.objects.get(pk=shifts["早"].pk).is_active


def test_duty_of_hall_a_cannot_be_ticked_through_hall_b(world, login):
    duty = duty_assign(
        actor=world.lobby_manager,
        hall=world.hall_a,
        day=timezone.localdate(),
        kind="cleaning",
        employee=world.cashier.employee,
    )
    url = f"{reverse('staff:duty')}?hall={world.hall_b.pk}"
    response = login(world.other_cashier).post(url, {"action": "done", "duty": duty.pk})
    assert response.status_code == 404
    response = login(world.cashier).post(url, {"action": "done", "duty": duty.pk})
    assert response.status_code == 404  # hall B is not the cashier's either
    assert DutyAssignment.objects.get(pk=duty.pk).done_at is None


def test_other_halls_lobby_manager_cannot_assign_hall_a_duty(world, login):
    url = f"{reverse('staff:duty')}?hall={world.hall_a.pk}"
    response = login(world.other_lobby_manager).post(
        url,
        {
            "action": "assign",
            "day": timezone.localdate().isoformat(),
            "kind": "cleaning",
            "employee": world.cashier.employee.pk,
        },
    )
    assert response.status_code == 404
    assert not DutyAssignment.objects.exists()


def test_other_halls_lead_cannot_correct_hall_a_attendance(world, login):
    day = timezone.localdate() - datetime.timedelta(days=1)
    url = reverse("staff:attendance_day", args=[world.cashier.employee.pk, day])
    response = login(world.other_lead).post(
        url, {"clock_in": "08:00", "clock_out": "17:00", "reason": "补录"}
    )
    assert response.status_code == 404
    assert not AttendanceRecord.objects.exists()


def test_lead_cannot_record_a_penalty_and_other_hall_lead_cannot_see_the_person(world, login):
    url = reverse("staff:penalty_person", args=[world.cashier.employee.pk])
    data = {"kind": "responsible_complaint", "date": timezone.localdate(), "reason": "投诉"}
    assert login(world.shift_lead).post(url, data).status_code == 403
    assert login(world.other_lead).post(url, data).status_code == 404
    assert not Penalty.objects.exists()
    assert not AuditEntry.objects.filter(action="penalty.record").exists()
