"""The monthly alarm drill: the service that records it."""

import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from safety import services
from safety.models import AlarmDrill, month_last_day
from tests.conftest import build_world
from tests.safety.conftest import aware, refused_with, shown


def record_drill(world, year, month, held_at, actor=None):
    return services.drill_record(
        actor=actor or world.shift_lead,
        hall=world.hall_a,
        year=year,
        month=month,
        held_at=held_at,
        run_by=world.shift_lead.employee,
        alarm_worked=True,
        response_seconds=40,
        problems="二号窗口报警按钮松动\n",
    )


def test_it_records_a_drill_and_audits_it(world, last_month):
    year, month = last_month
    drill = record_drill(world, year, month, aware(date(year, month, 25)))
    assert drill.problem_lines == ["二号窗口报警按钮松动"]
    assert drill.recorded_by == world.shift_lead


def test_drill_for_a_month_already_recorded_is_refused(world, last_month):
    year, month = last_month
    record_drill(world, year, month, aware(date(year, month, 25)))
    with refused_with(f"龙泉 {year}-{month:02d} 的报警演练已经登记过了。"):
        record_drill(world, year, month, aware(date(year, month, 26)))
    assert AlarmDrill.objects.count() == 1


def test_drill_outside_its_month_and_grace_days_is_refused(world, last_month, settings):
    settings.SAFETY_DRILL_GRACE_DAYS = 3
    year, month = last_month
    first, last = date(year, month, 1), month_last_day(year, month) + timedelta(days=3)
    message = f"{year}-{month:02d} 的演练必须在 {first} 至 {last} 之间进行。"
    with refused_with(message):
        record_drill(world, year, month, aware(first - timedelta(days=1)))
    with refused_with(message):
        record_drill(world, year, month, aware(last + timedelta(days=1)))
    assert AlarmDrill.objects.count() == 0


def test_drill_held_in_the_future_is_refused(world):
    today = timezone.localdate()
    with refused_with("演练时间不能是将来，演练后才能登记。"):
        record_drill(world, today.year, today.month, timezone.now() + timedelta(hours=1))
    assert AlarmDrill.objects.count() == 0


def test_cashier_and_other_hall_lead_cannot_record_a_drill(world, last_month):
    year, month = last_month
    for actor in (world.cashier, world.other_lead):
        with pytest.raises(PermissionDenied):
            record_drill(world, year, month, aware(date(year, month, 25)), actor=actor)


@pytest.mark.django_db(transaction=True)
def test_two_leads_recording_the_same_month_at_once_store_one_drill(last_month):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    world = build_world()
    year, month = last_month
    errors, barrier = [], threading.Barrier(2)

    def attempt(actor):
        try:
            barrier.wait()
            record_drill(world, year, month, aware(date(year, month, 25)), actor=actor)
        except ValidationError as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=attempt, args=(u,)) for u in (world.shift_lead, world.director)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert AlarmDrill.objects.count() == 1
    assert len(errors) == 1


def test_drill_history_says_in_chinese_whether_it_was_late(world, last_month, settings):
    from staff.core.audit import history_for

    settings.SAFETY_DRILL_GRACE_DAYS = 3
    year, month = last_month
    first_of_this_month = timezone.localdate().replace(day=1)
    held_at = aware(first_of_this_month, 0, 1)
    late = record_drill(world, year, month, held_at)
    assert history_for(late)[0].summary == f"报警演练于 {shown(held_at)} 补做（逾期）"
