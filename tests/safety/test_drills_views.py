from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safety.models import AlarmDrill
from tests.safety.factories import AlarmDrillFactory


def test_lead_records_the_drill_and_a_second_one_for_the_month_is_refused(
    world, client, last_month
):
    year, month = last_month
    client.force_login(world.shift_lead)
    data = {
        "hall": world.hall_a.pk,
        "year": year,
        "month": month,
        "held_at": f"{year}-{month:02d}-26T16:00",
        "run_by": world.shift_lead.employee.pk,
        "alarm_worked": "on",
        "response_seconds": 42,
        "problems": "二号窗口按钮松动",
    }
    response = client.post(reverse("safety:drill_record"), data)
    drill = AlarmDrill.objects.get()
    assert response.url == reverse("safety:drill_detail", args=[drill.pk])

    response = client.post(
        reverse("safety:drill_record"), {**data, "held_at": f"{year}-{month:02d}-27T16:00"}
    )
    assert response.status_code == 200
    assert "已经登记过了" in response.content.decode()
    assert AlarmDrill.objects.count() == 1


def test_drill_problem_becomes_a_corrective_action(world, client, last_month):
    year, month = last_month
    drill = AlarmDrillFactory(
        hall=world.hall_a, year=year, month=month, problems="按钮松动\n线路老化"
    )
    client.force_login(world.shift_lead)
    html = client.get(
        reverse("safety:drill_detail", args=[drill.pk]) + "?problem=1"
    ).content.decode()
    assert 'value="线路老化"' in html
    client.post(
        reverse("safety:drill_action", args=[drill.pk]),
        {
            "action-description": "线路老化",
            "action-owner": world.shift_lead.employee.pk,
            "action-due_date": (timezone.localdate() + timedelta(days=5)).isoformat(),
        },
    )
    assert drill.actions.get().description == "线路老化"


def test_yearly_table_shows_done_late_and_missed_and_explains_them(world, client, settings):
    settings.SAFETY_DRILL_GRACE_DAYS = 3
    AlarmDrillFactory(
        hall=world.hall_a,
        year=2025,
        month=1,
        held_at=timezone.make_aware(timezone.datetime(2025, 1, 28, 16)),
    )
    AlarmDrillFactory(
        hall=world.hall_a,
        year=2025,
        month=2,
        held_at=timezone.make_aware(timezone.datetime(2025, 3, 2, 16)),
    )
    client.force_login(world.director)
    html = client.get(reverse("safety:drill_year") + "?year=2025").content.decode()
    table = html.split('data-testid="drill-table"')[1]
    row_a = table.split("龙泉")[1].split("</tr>")[0]
    assert row_a.count("drill-done") == 1
    assert row_a.count("drill-late") == 1
    assert row_a.count("drill-missed") == 10
    assert "3 天内补做" in html


def test_drill_table_runs_a_fixed_number_of_queries(world, client):
    client.force_login(world.director)
    url = reverse("safety:drill_year") + "?year=2025"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for month in range(1, 9):
        AlarmDrillFactory(
            hall=world.hall_b,
            year=2025,
            month=month,
            held_at=timezone.make_aware(timezone.datetime(2025, month, 20, 16)),
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)
