import datetime

import pytest
from django.urls import reverse

from staff.models import AuditEntry, RosterEntry, RosterPublication
from staff.services.rosters import roster_publish, roster_set_cells
from tests.staff.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def grid_url(world, start, hall=None, span="week"):
    hall = hall or world.hall_a
    return f"{reverse('staff:roster')}?hall={hall.pk}&start={start.isoformat()}&span={span}"


def cell(user, day):
    return f"c-{user.employee.pk}-{day:%Y%m%d}"


def test_lead_fills_cells_and_sees_the_coverage_gap(world, shifts, next_monday, login):
    client = login(world.shift_lead)
    response = client.post(
        grid_url(world, next_monday),
        {
            "action": "save",
            cell(world.shift_lead, next_monday): "全",
            cell(world.cashier, next_monday): "早",
            cell(world.cashier2, next_monday): "休",
        },
        follow=True,
    )

    assert response.status_code == 200
    assert RosterEntry.objects.filter(date=next_monday).count() == 3
    html = response.content.decode()
    assert 'data-testid="coverage-gaps"' in html
    assert f'data-testid="coverage-午-{next_monday.isoformat()}" data-level="danger"' in html
    assert f'data-testid="coverage-早-{next_monday.isoformat()}" data-level="ok"' in html


def test_bad_cell_shows_a_message_and_changes_nothing(world, shifts, next_monday, login):
    client = login(world.shift_lead)
    response = client.post(
        grid_url(world, next_monday),
        {
            "action": "save",
            cell(world.cashier, next_monday): "早+全",
            cell(world.cashier2, next_monday): "早",
        },
        follow=True,
    )
    assert "重叠" in response.content.decode()
    assert not RosterEntry.objects.exists()


def test_copy_and_publish_from_the_page(world, shifts, next_monday, login):
    roster_set_cells(
        actor=world.shift_lead,
        hall=world.hall_a,
        cells={(world.cashier.employee.pk, next_monday - datetime.timedelta(days=7)): "午"},
    )
    client = login(world.shift_lead)
    client.post(grid_url(world, next_monday), {"action": "copy"})
    client.post(grid_url(world, next_monday), {"action": "publish"})

    assert RosterEntry.objects.filter(date=next_monday, shift_type=shifts["午"]).exists()
    assert RosterPublication.objects.filter(hall=world.hall_a).count() == 7


def test_repeat_pattern_from_the_page(world, shifts, next_monday, login):
    roster_set_cells(
        actor=world.shift_lead,
        hall=world.hall_a,
        cells={
            (world.cashier.employee.pk, next_monday): "早",
            (world.cashier.employee.pk, next_monday + datetime.timedelta(days=1)): "休",
        },
    )
    login(world.shift_lead).post(
        grid_url(world, next_monday),
        {
            "action": "repeat",
            "pattern_start": next_monday.isoformat(),
            "pattern_end": (next_monday + datetime.timedelta(days=1)).isoformat(),
            "until": (next_monday + datetime.timedelta(days=5)).isoformat(),
        },
    )
    assert RosterEntry.objects.filter(employee=world.cashier.employee, kind="rest").count() == 3


def test_lobby_manager_sees_but_cannot_change_the_roster(world, shifts, next_monday, login):
    client = login(world.lobby_manager)
    assert client.get(grid_url(world, next_monday)).status_code == 200
    response = client.post(
        grid_url(world, next_monday), {"action": "save", cell(world.cashier, next_monday): "早"}
    )
    assert response.status_code == 403
    assert not RosterEntry.objects.exists()


def test_lead_of_hall_a_gets_404_for_hall_b(world, shifts, next_monday, login):
    client = login(world.shift_lead)
    assert client.get(grid_url(world, next_monday, hall=world.hall_b)).status_code == 404


def test_grid_page_query_count_does_not_grow_with_people_or_days(
    world, shifts, next_monday, login, django_assert_max_num_queries
):
    client = login(world.shift_lead)
    url = grid_url(world, next_monday, span="month")
    client.get(url)  # warm up session and content types
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    for _n in range(20):
        EmployeeFactory(hall=world.hall_a, user__roles=["cashier"])
    month = next_monday.replace(day=1)
    cells = {
        (e.pk, month + datetime.timedelta(days=n)): "全"
        for e in world.hall_a.employees.all()
        for n in range(28)
    }
    roster_set_cells(actor=world.director, hall=world.hall_a, cells=cells)
    roster_publish(
        actor=world.director,
        hall=world.hall_a,
        start=month,
        end=month + datetime.timedelta(days=27),
    )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


def test_shift_types_page_adds_a_shift_and_a_minimum(world, login):
    client = login(world.shift_lead)
    url = f"{reverse('staff:shift_types')}?hall={world.hall_a.pk}"
    client.post(
        url,
        {
            "action": "shift",
            "shift-code": "早",
            "shift-name": "早班",
            "shift-start": "08:00",
            "shift-end": "12:00",
            "shift-sort_order": "0",
        },
    )
    from staff.models import MinimumStaffing, ShiftType

    shift = ShiftType.objects.get(hall=world.hall_a, code="早")
    client.post(
        url,
        {"action": "minimum", "min-shift_type": shift.pk, "min-role": "cashier", "min-count": "2"},
    )
    assert MinimumStaffing.objects.get(shift_type=shift).count == 2
    assert AuditEntry.objects.filter(action="staff.minimum.set").exists()


def test_reserved_code_and_reversed_times_are_refused(world, login):
    client = login(world.shift_lead)
    url = f"{reverse('staff:shift_types')}?hall={world.hall_a.pk}"
    for code, start, end in (("休", "08:00", "12:00"), ("晚", "18:00", "12:00")):
        client.post(
            url,
            {
                "action": "shift",
                "shift-code": code,
                "shift-name": "x",
                "shift-start": start,
                "shift-end": end,
                "shift-sort_order": "0",
            },
        )
    from staff.models import ShiftType

    assert not ShiftType.objects.exists()


def test_home_shows_only_published_shifts(world, shifts, login):
    from django.utils import timezone

    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    roster_set_cells(
        actor=world.shift_lead,
        hall=world.hall_a,
        cells={
            (world.cashier.employee.pk, today): "早",
            (world.cashier.employee.pk, tomorrow): "午",
        },
    )
    roster_publish(actor=world.shift_lead, hall=world.hall_a, start=today, end=today)

    html = login(world.cashier).get(reverse("staff:home")).content.decode()
    assert "早班 08:00–12:30" in html
    assert "午班" not in html


def test_grid_and_month_cells_escape_names_and_codes(world, shifts, next_monday, login):
    EmployeeFactory(hall=world.hall_a, name="<b>张</b>", employee_no="<i>9</i>")
    client = login(world.shift_lead)
    html = client.get(grid_url(world, next_monday)).content.decode()
    assert "<b>张</b>" not in html and "&lt;b&gt;张&lt;/b&gt;" in html
    assert "<i>9</i>" not in html
    html = client.get(reverse("staff:attendance_month")).content.decode()
    assert "<b>张</b>" not in html
