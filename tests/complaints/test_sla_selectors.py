"""SLA reads: where a ticket's clocks stand (and how they read), the SLA report's window, the
home-page items."""

from datetime import date, timedelta

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from complaints.models import FirstContactTicket
from complaints.selectors.sla import response_clock, result_clock, sla_report
from complaints.services.tickets import ticket_forward, ticket_record_result, ticket_resolve
from staff.core.extensions import attention_items_for
from tests.complaints.factories import local, open_ticket

OVERDUE = "已超时49天8小时"
URGENT = "未办结的紧急首问登记"


def _texts(user):
    return [item.text for item in attention_items_for(user)]


# --- clocks ---------------------------------------------------------------------------------


def test_response_clock_running_due_soon_overdue_and_done(world):
    ticket = open_ticket(world.cashier, received_at=local(2026, 2, 13, 10, 0))
    assert response_clock(ticket, local(2026, 2, 13, 11, 0)).status == "running"
    assert response_clock(ticket, local(2026, 2, 13, 13, 30)).status == "due_soon"
    late = response_clock(ticket, local(2026, 2, 13, 14, 30))
    assert late.status == "overdue"
    assert late.text == "已超时0小时30分"
    FirstContactTicket.objects.filter(pk=ticket.pk).update(responded_at=local(2026, 2, 13, 13, 0))
    ticket.refresh_from_db()
    assert response_clock(ticket).status == "on_time"


def test_result_clock_is_due_soon_on_the_last_working_day(world):
    ticket = ticket_forward(
        actor=world.cashier,
        ticket=open_ticket(world.cashier, received_at=local(2026, 2, 13, 10, 0)),
        department=world.department,
    )
    # Due at the end of Friday 27 February (make-up Saturday 14th counted).
    assert result_clock(ticket, local(2026, 2, 26, 23, 59)).status == "running"
    assert result_clock(ticket, local(2026, 2, 27, 0, 1)).status == "due_soon"
    assert result_clock(ticket, local(2026, 2, 28, 0, 1)).status == "overdue"
    left = result_clock(ticket, local(2026, 2, 25, 12, 0)).left
    assert left == timedelta(days=2, hours=12)


def test_result_clock_done_late_and_not_applicable(world):
    ticket = ticket_forward(
        actor=world.cashier, ticket=open_ticket(world.cashier), department=world.department
    )
    ticket = ticket_record_result(actor=world.liaison, ticket=ticket, note="已处理")
    assert result_clock(ticket).status == "on_time"
    FirstContactTicket.objects.filter(pk=ticket.pk).update(
        result_due_at=ticket.result_at - timedelta(minutes=1)
    )
    ticket.refresh_from_db()
    assert result_clock(ticket).status == "late"

    spot = ticket_resolve(actor=world.cashier, ticket=open_ticket(world.cashier), note="已答复")
    assert result_clock(spot).status == "not_applicable"


def test_result_clock_calendar_missing(world):
    ticket = open_ticket(world.cashier)
    FirstContactTicket.objects.filter(pk=ticket.pk).update(result_due_at=None)
    ticket.refresh_from_db()
    clock = result_clock(ticket)
    assert clock.status == "missing"
    assert clock.label == "日历缺失"


def test_overdue_clock_text_says_overdue_once(world):
    ticket = open_ticket(world.cashier, received_at=local(2026, 2, 13, 10, 0))
    late = response_clock(ticket, local(2026, 4, 3, 22, 0))  # due 14:00 on 13 February

    assert late.status == "overdue"
    assert late.text == OVERDUE


def test_running_and_done_clocks_keep_their_label(world):
    ticket = open_ticket(world.cashier, received_at=local(2026, 2, 13, 10, 0))

    assert response_clock(ticket, local(2026, 2, 13, 11, 0)).text == "计时中 · 3小时0分"
    assert response_clock(ticket, local(2026, 2, 13, 13, 30)).text == "即将到期 · 0小时30分"
    assert result_clock(ticket_resolve(actor=world.cashier, ticket=ticket, note="已解释")).text == (
        "不适用"
    )


# --- the SLA report's window ----------------------------------------------------------------


def test_sla_report_counts_whole_months_either_way_round(world):
    open_ticket(world.cashier, received_at=local(2026, 2, 1, 0, 0))
    open_ticket(world.cashier, received_at=local(2026, 5, 31, 23, 59))
    open_ticket(world.cashier, received_at=local(2026, 6, 1, 0, 0))
    report = sla_report(world.director, start=date(2026, 5, 17), end=date(2026, 2, 3))
    assert (report.start, report.end) == (date(2026, 2, 1), date(2026, 5, 1))
    assert report.total.counts["total"] == 2


def test_sla_report_defaults_to_the_twelve_months_up_to_this_one(world):
    report = sla_report(world.director, now=local(2026, 3, 15, 9, 0))
    assert (report.start, report.end, report.dims) == (
        date(2025, 3, 1),
        date(2026, 3, 1),
        ["month", "department"],
    )


# --- home-page items ------------------------------------------------------------------------


def test_urgent_ticket_shows_at_once_for_director_and_hall_lobby_manager(world):
    open_ticket(world.cashier, urgent=True)

    assert URGENT in _texts(world.director)
    assert URGENT in _texts(world.lobby_manager)
    assert URGENT not in _texts(world.other_lobby_manager)
    assert URGENT not in _texts(world.cashier2)


def test_urgent_ticket_is_on_the_director_home_page(world, login):
    open_ticket(world.cashier, urgent=True)
    page = login(world.director).get(reverse("staff:home")).content.decode()
    assert URGENT in page


def test_home_page_items_use_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for _ in range(5):
        open_ticket(world.cashier, urgent=True, received_at=timezone.now() - timedelta(hours=5))
    call_command("check_sla")
    from complaints.selectors.home import attention_items as complaints_items

    with django_assert_max_num_queries(5):
        complaints_items(world.director)
