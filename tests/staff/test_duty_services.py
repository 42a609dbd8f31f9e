import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from staff.models import DutyAssignment
from staff.selectors.duty import missed_duties
from staff.services.duty import duty_assign, duty_complete, duty_rotate
from staff.services.rosters import roster_set_cells

pytestmark = pytest.mark.django_db


def test_lobby_manager_assigns_and_person_ticks_off(world):
    today = timezone.localdate()
    duty = duty_assign(
        actor=world.lobby_manager,
        hall=world.hall_a,
        day=today,
        kind="cleaning",
        employee=world.cashier.employee,
    )
    with pytest.raises(ValidationError):
        duty_complete(actor=world.cashier2, duty=duty)

    duty_complete(actor=world.cashier, duty=duty)

    assert DutyAssignment.objects.get(pk=duty.pk).done_at is not None


def test_only_the_halls_lobby_manager_assigns(world):
    for actor in (world.cashier, world.other_lobby_manager, world.shift_lead):
        with pytest.raises(ValidationError):
            duty_assign(
                actor=actor,
                hall=world.hall_a,
                day=timezone.localdate(),
                kind="safety",
                employee=world.cashier.employee,
            )
    with pytest.raises(ValidationError):
        duty_assign(
            actor=world.lobby_manager,
            hall=world.hall_a,
            day=timezone.localdate(),
            kind="safety",
            employee=world.other_cashier.employee,
        )


def test_rotation_takes_turns_among_people_on_shift(world, shifts):
    start = timezone.localdate() + datetime.timedelta(days=1)
    days = [start + datetime.timedelta(days=n) for n in range(4)]
    cells = {}
    for day in days:
        cells[world.cashier.employee.pk, day] = "全"
        cells[world.cashier2.employee.pk, day] = "全"
    cells[world.cashier2.employee.pk, days[1]] = "休"
    roster_set_cells(actor=world.director, hall=world.hall_a, cells=cells)

    duty_rotate(actor=world.lobby_manager, hall=world.hall_a, start=days[0], end=days[3])

    cleaning = list(
        DutyAssignment.objects.filter(kind="cleaning")
        .order_by("date")
        .values_list("employee__user__username", flat=True)
    )
    assert cleaning == ["cashier", "cashier", "cashier2", "cashier"]
    assert DutyAssignment.objects.filter(kind="safety").count() == 4


def test_missed_duty_is_flagged(world):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    DutyAssignment.objects.create(
        hall=world.hall_a,
        date=yesterday,
        kind="safety",
        employee=world.cashier.employee,
        assigned_by=world.lobby_manager,
    )
    assert missed_duties([world.hall_a.pk]).count() == 1
    assert missed_duties([world.hall_b.pk]).count() == 0


def test_a_reassigned_duty_is_ticked_off_only_by_its_new_person(world):
    """The page the first person ticks from may be older than the reassignment."""
    today = timezone.localdate()
    duty = duty_assign(
        actor=world.lobby_manager,
        hall=world.hall_a,
        day=today,
        kind="cleaning",
        employee=world.cashier.employee,
    )
    stale = DutyAssignment.objects.get(pk=duty.pk)
    duty_assign(
        actor=world.lobby_manager,
        hall=world.hall_a,
        day=today,
        kind="cleaning",
        employee=world.cashier2.employee,
    )
    with pytest.raises(ValidationError):
        duty_complete(actor=world.cashier, duty=stale)
    assert DutyAssignment.objects.get(pk=duty.pk).done_at is None
    duty_complete(actor=world.cashier2, duty=stale)
    assert DutyAssignment.objects.get(pk=duty.pk).done_at is not None
