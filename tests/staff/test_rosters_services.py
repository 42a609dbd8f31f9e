import datetime

import pytest
from django.core.exceptions import ValidationError

from staff.models import AuditEntry, RosterEntry, RosterKind, RosterPublication
from staff.selectors.rosters import roster_grid
from staff.services.rosters import (
    roster_copy_week,
    roster_publish,
    roster_repeat_pattern,
    roster_set_cells,
)

pytestmark = pytest.mark.django_db


def _emp(user):
    return user.employee.pk


def test_it_sets_shifts_rest_and_leave_per_cell(world, shifts, next_monday):
    day = next_monday
    changed = roster_set_cells(
        actor=world.shift_lead,
        hall=world.hall_a,
        cells={
            (_emp(world.shift_lead), day): "全",
            (_emp(world.cashier), day): "早+午",
            (_emp(world.cashier2), day): "休",
            (_emp(world.lobby_manager), day): "年",
        },
    )

    assert changed == 4
    grid = roster_grid(world.hall_a, day, day)
    assert grid.code(_emp(world.cashier), day) == "早+午"
    assert grid.code(_emp(world.cashier2), day) == "休"
    assert grid.code(_emp(world.lobby_manager), day) == "年"
    assert AuditEntry.objects.filter(action="staff.roster.update").count() == 1


def test_overlapping_shifts_of_one_person_are_refused_and_nothing_changes(
    world, shifts, next_monday
):
    cells = {
        (_emp(world.cashier2), next_monday): "早",
        (_emp(world.cashier), next_monday): "早+全",
    }
    with pytest.raises(ValidationError) as error:
        roster_set_cells(actor=world.shift_lead, hall=world.hall_a, cells=cells)

    assert "重叠" in str(error.value) or "overlap" in str(error.value)
    assert not RosterEntry.objects.exists()


def test_unknown_code_is_refused(world, shifts, next_monday):
    with pytest.raises(ValidationError):
        roster_set_cells(
            actor=world.shift_lead,
            hall=world.hall_a,
            cells={(_emp(world.cashier), next_monday): "夜"},
        )


def test_cashier_and_other_hall_lead_cannot_edit_the_roster(world, shifts, next_monday):
    for actor in (world.cashier, world.other_lead, world.lobby_manager):
        with pytest.raises(ValidationError):
            roster_set_cells(
                actor=actor, hall=world.hall_a, cells={(_emp(world.cashier), next_monday): "早"}
            )


def test_coverage_is_green_amber_red(world, shifts, next_monday):
    day = next_monday
    roster_set_cells(
        actor=world.shift_lead,
        hall=world.hall_a,
        cells={(_emp(world.shift_lead), day): "全", (_emp(world.cashier), day): "早"},
    )
    grid = roster_grid(world.hall_a, day, day + datetime.timedelta(days=1))

    morning, afternoon = shifts["早"].pk, shifts["午"].pk
    assert grid.coverage[morning, day].level == "ok"
    # The lead's full day covers the afternoon, but no cashier: one short.
    assert grid.coverage[afternoon, day].level == "danger"
    assert grid.coverage[afternoon, day].missing() == [("收费员", 1)]
    # Nobody at all the next day.
    assert grid.coverage[morning, day + datetime.timedelta(days=1)].level == "danger"
    assert {(d, s.code) for d, s, _c in grid.gaps} >= {(day, "午")}


def test_amber_when_one_person_short_but_every_role_present(world, shifts, next_monday):
    from staff.models import MinimumStaffing

    MinimumStaffing.objects.filter(shift_type=shifts["早"], role="cashier").update(count=2)
    roster_set_cells(
        actor=world.shift_lead,
        hall=world.hall_a,
        cells={
            (_emp(world.shift_lead), next_monday): "早",
            (_emp(world.cashier), next_monday): "早",
        },
    )
    grid = roster_grid(world.hall_a, next_monday, next_monday)

    assert grid.coverage[shifts["早"].pk, next_monday].level == "warn"


def test_copy_previous_week_keeps_leave_in_the_target(world, shifts, next_monday):
    previous = next_monday - datetime.timedelta(days=7)
    roster_set_cells(
        actor=world.shift_lead,
        hall=world.hall_a,
        cells={
            (_emp(world.cashier), previous): "早",
            (_emp(world.cashier), previous + datetime.timedelta(days=1)): "休",
            (_emp(world.cashier2), previous): "午",
            (_emp(world.cashier2), next_monday): "病",
        },
    )

    roster_copy_week(actor=world.shift_lead, hall=world.hall_a, week_start=next_monday)

    grid = roster_grid(world.hall_a, next_monday, next_monday + datetime.timedelta(days=6))
    assert grid.code(_emp(world.cashier), next_monday) == "早"
    assert grid.code(_emp(world.cashier), next_monday + datetime.timedelta(days=1)) == "休"
    assert grid.code(_emp(world.cashier2), next_monday) == "病"


def test_repeat_pattern_rotates(world, shifts, next_monday):
    d = [next_monday + datetime.timedelta(days=n) for n in range(9)]
    roster_set_cells(
        actor=world.shift_lead,
        hall=world.hall_a,
        cells={
            (_emp(world.cashier), d[0]): "早",
            (_emp(world.cashier), d[1]): "午",
            (_emp(world.cashier), d[2]): "休",
        },
    )

    roster_repeat_pattern(
        actor=world.shift_lead, hall=world.hall_a, pattern_start=d[0], pattern_end=d[2], until=d[8]
    )

    grid = roster_grid(world.hall_a, d[0], d[8])
    assert [grid.code(_emp(world.cashier), day) for day in d] == ["早", "午", "休"] * 3


def test_publish_records_each_day_once(world, shifts, next_monday):
    end = next_monday + datetime.timedelta(days=6)
    assert (
        roster_publish(actor=world.shift_lead, hall=world.hall_a, start=next_monday, end=end) == 7
    )
    assert (
        roster_publish(actor=world.shift_lead, hall=world.hall_a, start=next_monday, end=end) == 0
    )
    assert RosterPublication.objects.filter(hall=world.hall_a).count() == 7


def test_roster_grid_uses_a_fixed_number_of_queries(
    world, shifts, next_monday, django_assert_num_queries
):
    from tests.staff.factories import EmployeeFactory

    for _n in range(10):
        EmployeeFactory(hall=world.hall_a, user__roles=["cashier"])
    cells = {}
    start = next_monday
    for employee in world.hall_a.employees.all():
        for n in range(31):
            cells[employee.pk, start + datetime.timedelta(days=n)] = "全" if n % 7 else "休"
    roster_set_cells(actor=world.director, hall=world.hall_a, cells=cells)

    with django_assert_num_queries(9):  # eight, and the working calendar's days
        grid = roster_grid(world.hall_a, start, start + datetime.timedelta(days=30))
        assert len(grid.employees) == 14
        # Every seventh day everybody rests: morning and afternoon are both uncovered.
        assert len(grid.gaps) == 2 * 5
    assert RosterEntry.objects.filter(kind=RosterKind.REST).count() > 0


@pytest.mark.parametrize("code", ["休", "事", "调", "早+", "早 班", "", "  "])
def test_shift_type_save_refuses_reserved_codes_and_separators_without_the_form(world, code):
    """The service checks the code itself: a shift coded 休 would turn every rest day typed
    in the grid into that shift, whoever calls the service (a form, an import, a test)."""
    from staff.models import ShiftType
    from staff.services.rosters import shift_type_save

    with pytest.raises(ValidationError) as refused:
        shift_type_save(
            actor=world.shift_lead,
            hall=world.hall_a,
            data={
                "code": code,
                "name": "夜班",
                "start": datetime.time(18),
                "end": datetime.time(21),
                "sort_order": 0,
            },
        )

    assert refused.value.messages == ["请换一个代码：“休”和请假代码已被占用，且不能含分隔符。"]
    assert not ShiftType.objects.filter(hall=world.hall_a, name="夜班").exists()
    assert not AuditEntry.objects.filter(action="staff.shift_type.save").exists()
