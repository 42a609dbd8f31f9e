"""Alarm drill pages: the yearly table, recording the month's drill, its problems as actions."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safety.models import AlarmDrill, CorrectiveAction
from tests.safety.conftest import form_errors
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
    assert form_errors(response) == [f"龙泉 {year}-{month:02d} 的报警演练已经登记过了。"]
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
    settings.SAFETY_DRILL_WINDOW_DAYS = 7
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
    rules = html.split('data-testid="drill-rules">')[1].split("</p>")[0]
    assert rules == (
        "各大厅每月月底进行一次报警操作演练。“已完成”：当月内完成。每月最后 7 天为演练期："
        "期内仍未登记当月演练的大厅，会在安全员和主任的首页上提示。“逾期”：在次月前 3 天内补做。"
        "“缺失”：到期仍未演练，不能再补登。"
    )


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


def test_other_halls_lead_cannot_turn_a_hall_a_drill_problem_into_an_action(world, client):
    drill = AlarmDrillFactory(hall=world.hall_a)
    client.force_login(world.other_lead)
    response = client.post(
        reverse("safety:drill_action", args=[drill.pk]),
        {
            "action-description": "更换门锁",
            "action-owner": world.other_lead.employee.pk,
            "action-due_date": (timezone.localdate() + timedelta(days=5)).isoformat(),
        },
    )
    assert response.status_code == 404
    assert not CorrectiveAction.objects.exists()
