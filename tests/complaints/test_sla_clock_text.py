"""The SLA clock's text says "overdue" once: 已超时49天8小时, never 已超时 · 已超时49天8小时."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from complaints.models import FirstContactTicket
from complaints.selectors.sla import response_clock, result_clock
from complaints.services.tickets import ticket_forward, ticket_resolve
from tests.complaints.factories import local, open_ticket

REPEATED = "已超时 · 已超时"
OVERDUE = "已超时49天8小时"


def _overdue_tickets(world):
    """One ticket not answered, one not reported back by the department: each clock 49 days
    and 8 hours overdue."""
    due = timezone.now() - timedelta(days=49, hours=8, minutes=5)
    unanswered = open_ticket(world.cashier)
    FirstContactTicket.objects.filter(pk=unanswered.pk).update(response_due_at=due)
    forwarded = ticket_forward(
        actor=world.cashier, ticket=open_ticket(world.cashier), department=world.department
    )
    FirstContactTicket.objects.filter(pk=forwarded.pk).update(result_due_at=due)
    return unanswered, forwarded


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


def test_ticket_list_does_not_repeat_overdue(world, login):
    _overdue_tickets(world)

    page = login(world.cashier).get(reverse("complaints:ticket_list")).content.decode()

    assert page.count(OVERDUE) == 2 and REPEATED not in page


def test_ticket_detail_clocks_do_not_repeat_overdue(world, login):
    client = login(world.cashier)
    for ticket, clock in zip(_overdue_tickets(world), ("response", "result"), strict=True):
        html = client.get(reverse("complaints:ticket_detail", args=[ticket.pk])).content.decode()
        shown = html.split(f'data-testid="{clock}-clock">', 1)[1].split("</dd>", 1)[0]

        assert OVERDUE in shown and REPEATED not in html


def test_sla_overdue_list_does_not_repeat_overdue(world, login):
    _overdue_tickets(world)

    html = login(world.director).get(reverse("complaints:sla")).content.decode()

    assert OVERDUE in html and REPEATED not in html
