"""Scope of the ticket lists and where the SLA clocks stand."""

from datetime import timedelta

from complaints.models import FirstContactTicket
from complaints.selectors.sla import response_clock, result_clock
from complaints.selectors.tickets import tickets_for
from complaints.services.tickets import ticket_forward, ticket_record_result, ticket_resolve
from tests.complaints.factories import local, open_ticket


def _numbers(user):
    return set(tickets_for(user).values_list("number", flat=True))


def test_each_role_sees_its_scope(world):
    own = open_ticket(world.cashier)
    colleague = open_ticket(world.cashier2)
    other_hall = open_ticket(world.other_cashier)
    forwarded = ticket_forward(
        actor=world.other_cashier,
        ticket=open_ticket(world.other_cashier),
        department=world.department,
    )
    everything = {t.number for t in (own, colleague, other_hall, forwarded)}

    assert _numbers(world.cashier) == {own.number}
    assert _numbers(world.lobby_manager) == {own.number, colleague.number}
    assert _numbers(world.other_lobby_manager) == {other_hall.number, forwarded.number}
    assert _numbers(world.liaison) == {forwarded.number}
    assert _numbers(world.office) == everything
    assert _numbers(world.director) == everything
    assert _numbers(world.shift_lead) == set()


def test_owner_and_opener_both_keep_seeing_a_handed_over_ticket(world):
    from complaints.services.tickets import ticket_change_owner

    ticket = open_ticket(world.cashier)
    ticket_change_owner(
        actor=world.lobby_manager, ticket=ticket, new_owner=world.cashier2.employee, reason="休假"
    )
    assert ticket.number in _numbers(world.cashier)
    assert ticket.number in _numbers(world.cashier2)


def test_response_clock_running_due_soon_overdue_and_done(world):
    ticket = open_ticket(world.cashier, received_at=local(2026, 2, 13, 10, 0))
    assert response_clock(ticket, local(2026, 2, 13, 11, 0)).status == "running"
    assert response_clock(ticket, local(2026, 2, 13, 13, 30)).status == "due_soon"
    late = response_clock(ticket, local(2026, 2, 13, 14, 30))
    assert late.status == "overdue"
    assert "已超时" in late.left_text
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


def test_ticket_search_stays_inside_the_users_scope(world):
    from complaints.filters import TicketFilterSet

    def search(user, **params):
        return list(TicketFilterSet(params, queryset=tickets_for(user)).qs)

    mine = open_ticket(world.cashier, customer_name="赵女士")
    theirs = open_ticket(world.other_cashier, customer_name="赵先生")
    assert search(world.cashier, q="赵") == [mine]
    assert set(search(world.director, q="赵")) == {mine, theirs}
    assert search(world.cashier, state="closed", q="赵") == []
    assert search(world.cashier, state="all") == [mine]
