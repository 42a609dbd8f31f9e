"""Closing check pages: the month's grid and recording tonight's check."""

import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safety.models import ClosingCheck
from tests.safety.conftest import form_errors
from tests.safety.factories import ClosingCheckFactory


def test_lead_records_a_closing_check(world, client):
    client.force_login(world.lobby_manager)
    response = client.post(
        reverse("safety:closing_record"),
        {
            "hall": world.hall_a.pk,
            "date": timezone.localdate().isoformat(),
            "computers_off": "on",
            "air_conditioning_off": "on",
            "power_off": "on",
            "doors_windows_shut": "on",
            "cash_in_safe": "on",
        },
    )
    assert response.status_code == 302
    check = ClosingCheck.objects.get()
    assert check.checked_by == world.lobby_manager.employee
    html = client.get(reverse("safety:closing_month")).content.decode()
    recorded = html.split("已登记的检查")[1].split("</table>")[0]
    assert re.findall(r"<td>(.*?)</td>", recorded)[:3] == [
        timezone.localdate().isoformat(),
        "龙泉",
        world.lobby_manager.employee.name,
    ]


def test_closing_check_for_another_hall_is_not_a_choice(world, client):
    client.force_login(world.shift_lead)
    response = client.post(
        reverse("safety:closing_record"),
        {"hall": world.hall_b.pk, "date": timezone.localdate().isoformat(), "computers_off": "on"},
    )
    assert response.status_code == 200
    assert form_errors(response) == ["选择一个有效的选项： 该选择不在可用的选项中。"]
    assert ClosingCheck.objects.count() == 0


def test_a_second_check_for_the_day_is_refused_on_the_form(world, client):
    today = timezone.localdate()
    ClosingCheckFactory(hall=world.hall_a, date=today)
    client.force_login(world.shift_lead)
    items = dict.fromkeys(ClosingCheck.ITEMS, "on")
    response = client.post(
        reverse("safety:closing_record"),
        {"hall": world.hall_a.pk, "date": today.isoformat(), **items},
    )
    assert response.status_code == 200
    assert form_errors(response) == [f"龙泉 {today} 的下班检查已经登记过了。"]
    assert ClosingCheck.objects.count() == 1


def test_closing_month_runs_a_fixed_number_of_queries_and_lists_newest_first(world, client):
    today = timezone.localdate()
    client.force_login(world.director)
    url = reverse("safety:closing_month")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    days = [today - timedelta(days=n) for n in range(today.day)]
    for day in days:
        ClosingCheckFactory(hall=world.hall_a, date=day)
        ClosingCheckFactory(hall=world.hall_b, date=day)
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert len(few) == len(many)
    recorded = html.split("已登记的检查")[1]
    assert (
        recorded.index(today.isoformat()) < recorded.index(days[-1].isoformat()) or len(days) == 1
    )
