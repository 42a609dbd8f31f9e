"""The manager SLA view: rates from timestamps in DB aggregates, fixed queries, exports."""

import io
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from complaints.models import FirstContactTicket, FollowUpOutcome
from complaints.services.tickets import (
    ticket_follow_up,
    ticket_forward,
    ticket_record_result,
    ticket_reply,
    ticket_resolve,
)
from tests.complaints.factories import open_ticket


def _build(world):
    """Four tickets this month: one late response, one late result, two on time."""
    now = timezone.now()
    on_time = open_ticket(world.cashier)
    on_time = ticket_forward(actor=world.cashier, ticket=on_time, department=world.department)
    on_time = ticket_record_result(actor=world.liaison, ticket=on_time, note="已处理")
    on_time = ticket_reply(actor=world.cashier, ticket=on_time, note="已答复")
    ticket_follow_up(actor=world.cashier, ticket=on_time, outcome=FollowUpOutcome.SATISFIED)

    spot = ticket_resolve(actor=world.cashier2, ticket=open_ticket(world.cashier2), note="已解释")
    ticket_follow_up(actor=world.cashier2, ticket=spot, outcome=FollowUpOutcome.DISSATISFIED)

    late_response = open_ticket(world.cashier)  # never answered, due time passed
    FirstContactTicket.objects.filter(pk=late_response.pk).update(
        response_due_at=now - timedelta(minutes=1)
    )
    late_result = ticket_forward(
        actor=world.cashier, ticket=open_ticket(world.cashier), department=world.department
    )
    FirstContactTicket.objects.filter(pk=late_result.pk).update(
        result_due_at=now - timedelta(minutes=1)
    )
    return late_response, late_result


def test_rates_are_computed_from_timestamps(world, login):
    _build(world)
    response = login(world.director).get(reverse("complaints:sla") + "?dims=month")
    total = response.context["total"]

    # 5 tickets: 4 registered by hand + the reopened cycle of the dissatisfied one.
    assert total.counts["total"] == 5
    assert total.counts["response_counted"] == 4  # the new cycle is still within its 4 hours
    assert total.counts["response_on_time"] == 3
    assert total.response_rate == 75
    assert total.counts["result_counted"] == 2
    assert total.counts["result_on_time"] == 1
    assert total.result_rate == 50
    assert total.follow_up_rate == 100
    assert total.satisfaction == 50


def test_overdue_list_and_state_counts(world, login):
    late_response, late_result = _build(world)
    response = login(world.director).get(reverse("complaints:sla"))
    overdue = [row[0].pk for row in response.context["overdue_rows"]]
    assert sorted(overdue) == sorted([late_response.pk, late_result.pk])
    assert response.context["counts"]["response_overdue"] == 1
    assert response.context["counts"]["result_overdue"] == 1
    page = response.content.decode()
    assert "<svg" in page and "已超时" in page


def test_sla_view_query_count_does_not_grow_with_tickets(world, login, django_assert_num_queries):
    client = login(world.director)
    _build(world)
    url = reverse("complaints:sla") + "?dims=month&dims=department&dims=category&dims=owner"
    client.get(url)  # warm the session
    # session; user with roles and employee; grouped rates, monthly rates, state counts, open
    # list, overdue list, calendar years.
    with django_assert_num_queries(8):
        client.get(url)
    for _ in range(10):
        open_ticket(world.cashier2)
    with django_assert_num_queries(8):
        client.get(url)


def test_lobby_manager_sees_only_the_hall(world, login):
    _build(world)
    open_ticket(world.other_cashier)
    mine = login(world.lobby_manager).get(reverse("complaints:sla")).context["total"]
    other = login(world.other_lobby_manager).get(reverse("complaints:sla")).context["total"]
    assert (mine.counts["total"], other.counts["total"]) == (5, 1)


def test_calendar_missing_is_counted_apart(world, login):
    ticket = ticket_forward(
        actor=world.cashier, ticket=open_ticket(world.cashier), department=world.department
    )
    FirstContactTicket.objects.filter(pk=ticket.pk).update(result_due_at=None)
    response = login(world.office).get(reverse("complaints:sla"))
    assert response.context["counts"]["missing"] == 1
    assert response.context["total"].counts["result_missing"] == 1
    assert "日历缺失" in response.content.decode()


def test_csv_export_has_a_bom_and_chinese_headers(world, login):
    _build(world)
    response = login(world.director).get(
        reverse("complaints:sla_export", kwargs={"fmt": "csv"}) + "?dims=department&dims=owner"
    )
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    header = text.splitlines()[0].lstrip("\ufeff")
    assert header.startswith("部门,首问负责人,登记数")
    assert "维修处" in text and "合计" in text


def test_xlsx_export_opens(world, login):
    _build(world)
    response = login(world.director).get(
        reverse("complaints:sla_export", kwargs={"fmt": "xlsx"}) + "?dims=month"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "月"
    assert rows[-1][0] == "合计"
    assert rows[-1][1] == 5


def test_unknown_export_format_is_404(world, login):
    url = reverse("complaints:sla_export", kwargs={"fmt": "pdf"})
    assert login(world.director).get(url).status_code == 404
