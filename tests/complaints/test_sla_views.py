"""The manager SLA view: rates from timestamps in DB aggregates, its filters, fixed queries."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from complaints.models import Category, FirstContactTicket
from complaints.services.tickets import ticket_forward
from tests.complaints.factories import local, open_ticket, sla_tickets

OVERDUE = "已超时49天8小时"  # a clock 49 days and 8 hours past its due time
REPEATED = "已超时 · 已超时"


def _shown(html: str, testid: str, end: str) -> str:
    return html.split(f'data-testid="{testid}">', 1)[1].split(end, 1)[0]


def test_rates_are_computed_from_timestamps(world, login):
    sla_tickets(world)
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
    late_response, late_result = sla_tickets(world)
    response = login(world.director).get(reverse("complaints:sla"))
    overdue = [row[0].pk for row in response.context["overdue_rows"]]
    assert sorted(overdue) == sorted([late_response.pk, late_result.pk])
    assert response.context["counts"]["response_overdue"] == 1
    assert response.context["counts"]["result_overdue"] == 1
    page = response.content.decode()
    assert '<svg role="img" aria-label="响应及时率%"' in page
    overdue_table = _shown(page, "overdue", "</table>")
    assert late_response.number in overdue_table and late_result.number in overdue_table
    assert overdue_table.count('<span class="status-danger">已超时') == 2


def test_sla_view_query_count_does_not_grow_with_tickets(world, login, django_assert_num_queries):
    client = login(world.director)
    sla_tickets(world)
    url = reverse("complaints:sla") + "?dims=month&dims=department&dims=category&dims=owner"
    client.get(url)  # warm the session
    # session; user with employee; roles; grouped rates, monthly rates, state counts, open
    # list, overdue list, calendar years.
    with django_assert_num_queries(9):
        client.get(url)
    for _ in range(10):
        open_ticket(world.cashier2)
    with django_assert_num_queries(9):
        client.get(url)


def test_lobby_manager_sees_only_the_hall(world, login):
    sla_tickets(world)
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
    counts = _shown(response.content.decode(), "state-counts", "</ul>")
    assert '<li class="status-warn"><span>日历缺失</span><strong>1</strong></li>' in counts


def test_sla_overdue_list_does_not_repeat_overdue(world, login):
    due = timezone.now() - timedelta(days=49, hours=8, minutes=5)
    unanswered = open_ticket(world.cashier)
    FirstContactTicket.objects.filter(pk=unanswered.pk).update(response_due_at=due)

    html = login(world.director).get(reverse("complaints:sla")).content.decode()

    assert f'<span class="status-danger">{OVERDUE}</span>' in _shown(html, "overdue", "</table>")
    assert REPEATED not in html


# --- the filters: the query parameters bookmarked before django-filter keep working ----------


def _months_tickets(world):
    """Repairs and billing in February 2026, repairs in May 2026."""
    february = open_ticket(world.cashier, received_at=local(2026, 2, 13, 10, 0))
    open_ticket(world.cashier, received_at=local(2026, 2, 16, 10, 0), category=Category.BILLING)
    open_ticket(world.cashier, received_at=local(2026, 5, 6, 10, 0))
    return february


def test_bookmarked_sla_url_keeps_working(world, login):
    _months_tickets(world)
    response = login(world.director).get(
        reverse("complaints:sla")
        + "?start=2026-01&end=2026-03&category=repairs&dims=month&dims=owner"
    )
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.start, report.end, report.dims) == (
        date(2026, 1, 1),
        date(2026, 3, 1),
        ["month", "owner"],
    )
    assert [row.labels for row in response.context["rows"]] == [["2026-02", "cashier姓名"]]
    assert response.context["total"].counts["total"] == 1
    page = response.content.decode()
    assert 'name="start" id="id_start" value="2026-01"' in page
    assert 'name="end" id="id_end" value="2026-03"' in page
    assert '<option value="repairs" selected>' in page
    assert 'name="dims" value="owner" checked' in page
    assert 'data-testid="filter-errors"' not in page
    # The export link carries the same choices.
    assert "export.csv?start=2026-01&amp;end=2026-03&amp;category=repairs&amp;dims=month" in page


def test_sla_months_given_the_wrong_way_round_are_swapped(world, login):
    _months_tickets(world)
    response = login(world.director).get(
        reverse("complaints:sla") + "?start=2026-05&end=2026-02&dims=month"
    )
    report = response.context["report"]
    assert (report.start, report.end) == (date(2026, 2, 1), date(2026, 5, 1))
    assert [row.labels for row in response.context["rows"]] == [["2026-02"], ["2026-05"]]


def test_unreadable_sla_choices_fall_back_to_the_defaults_and_say_why(world, login):
    _months_tickets(world)
    response = login(world.director).get(
        reverse("complaints:sla") + "?start=2026-13&end=soon&category=bogus&dims=bogus"
    )
    assert response.status_code == 200
    report = response.context["report"]
    this_month = timezone.localdate().replace(day=1)
    assert report.end == this_month
    assert report.start == date(this_month.year - 1, this_month.month, 1)
    assert report.dims == ["month", "department"]
    assert response.context["total"].counts["total"] == 3  # every category
    assert _shown(response.content.decode(), "filter-errors", "</div>") == (
        "<p>起始月份：请按“年-月”填写月份，例如 2026-03。</p>"
        "<p>截止月份：请按“年-月”填写月份，例如 2026-03。</p>"
        "<p>类别：选择一个有效的选项。 bogus 不在可用的选项中。</p>"
        "<p>分组：选择一个有效的选项。 bogus 不在可用的选项中。</p>"
    )
