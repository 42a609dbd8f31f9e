"""The daily closing check: the service that records it."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from safety import services
from safety.models import ClosingCheck
from tests.conftest import build_world
from tests.safety.conftest import refused_with

ITEMS = dict.fromkeys(
    ["computers_off", "air_conditioning_off", "power_off", "doors_windows_shut", "cash_in_safe"],
    True,
)


def test_it_records_a_closing_check(world):
    check = services.closing_check_record(
        actor=world.lobby_manager, hall=world.hall_a, on=timezone.localdate(), items=ITEMS
    )
    assert check.all_done
    assert check.checked_by == world.lobby_manager.employee


def test_closing_check_for_a_future_day_is_refused(world):
    with refused_with("不能登记将来日期的下班检查。"):
        services.closing_check_record(
            actor=world.shift_lead,
            hall=world.hall_a,
            on=timezone.localdate() + timedelta(days=1),
            items=ITEMS,
        )
    assert ClosingCheck.objects.count() == 0


def test_closing_check_twice_a_day_is_refused(world):
    today = timezone.localdate()
    services.closing_check_record(actor=world.shift_lead, hall=world.hall_a, on=today, items=ITEMS)
    with refused_with(f"龙泉 {today} 的下班检查已经登记过了。"):
        services.closing_check_record(
            actor=world.lobby_manager, hall=world.hall_a, on=today, items=ITEMS
        )
    assert ClosingCheck.objects.count() == 1


def test_item_left_undone_needs_a_note(world):
    items = {**ITEMS, "air_conditioning_off": False}
    with refused_with("有检查项未完成，请在备注中说明原因。"):
        services.closing_check_record(
            actor=world.shift_lead, hall=world.hall_a, on=timezone.localdate(), items=items
        )
    check = services.closing_check_record(
        actor=world.shift_lead,
        hall=world.hall_a,
        on=timezone.localdate(),
        items=items,
        note="空调遥控器失灵,已报修",
    )
    assert not check.all_done


@pytest.mark.django_db(transaction=True)
def test_two_people_signing_the_same_closing_check_at_once_store_one():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    world = build_world()
    errors, barrier = [], threading.Barrier(2)

    def attempt(actor):
        try:
            barrier.wait()
            services.closing_check_record(
                actor=actor, hall=world.hall_a, on=timezone.localdate(), items=ITEMS
            )
        except ValidationError as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=attempt, args=(user,))
        for user in (world.shift_lead, world.lobby_manager)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert ClosingCheck.objects.count() == 1
    assert len(errors) == 1
