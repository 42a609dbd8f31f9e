"""有责投诉: a director's finding on a closed ticket raises 200 yuan per employee."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from complaints.models import FollowUpOutcome, Responsibility
from complaints.services.tickets import ticket_find_responsible, ticket_follow_up, ticket_resolve
from staff.models import Penalty, PenaltyKind
from staff.selectors import bonus_status_for
from tests.complaints.factories import open_ticket


def _closed(world):
    ticket = ticket_resolve(actor=world.cashier, ticket=open_ticket(world.cashier), note="已答复")
    return ticket_follow_up(actor=world.cashier, ticket=ticket, outcome=FollowUpOutcome.SATISFIED)


def test_director_finds_two_employees_responsible(world):
    ticket = _closed(world)
    people = [world.cashier.employee, world.cashier2.employee]

    ticket_find_responsible(
        actor=world.director, ticket=ticket, employees=people, reason="态度生硬"
    )

    penalties = Penalty.objects.filter(kind=PenaltyKind.RESPONSIBLE_COMPLAINT)
    assert sorted(p.employee_id for p in penalties) == sorted(p.pk for p in people)
    assert {p.amount for p in penalties} == {Decimal("200.00")}
    assert all(ticket.number in p.source for p in penalties)
    ticket.refresh_from_db()
    assert ticket.responsible
    status = bonus_status_for(world.cashier.employee, timezone.localdate().year)
    assert status.responsible_complaints == 1


def test_third_responsible_complaint_forfeits_the_bonus(world):
    for _ in range(3):
        ticket_find_responsible(
            actor=world.director,
            ticket=_closed(world),
            employees=[world.cashier.employee],
            reason="有责",
        )
    assert bonus_status_for(world.cashier.employee, timezone.localdate().year).forfeited


@pytest.mark.parametrize("persona", ["office", "lobby_manager", "cashier"])
def test_only_the_director_finds_responsibility(world, persona):
    with pytest.raises(ValidationError):
        ticket_find_responsible(
            actor=getattr(world, persona),
            ticket=_closed(world),
            employees=[world.cashier.employee],
            reason="x",
        )
    assert not Penalty.objects.exists()


def test_open_ticket_and_duplicates_are_refused(world):
    with pytest.raises(ValidationError) as exc:
        ticket_find_responsible(
            actor=world.director,
            ticket=open_ticket(world.cashier),
            employees=[world.cashier.employee],
            reason="x",
        )
    assert "办结后" in exc.value.messages[0]
    ticket = _closed(world)
    ticket_find_responsible(
        actor=world.director, ticket=ticket, employees=[world.cashier.employee], reason="x"
    )
    with pytest.raises(ValidationError):
        ticket_find_responsible(
            actor=world.director,
            ticket=ticket,
            employees=[world.cashier2.employee, world.cashier.employee],
            reason="x",
        )
    assert Penalty.objects.count() == 1
    assert Responsibility.objects.count() == 1


def test_finding_without_employees_or_reason_is_refused(world):
    ticket = _closed(world)
    with pytest.raises(ValidationError):
        ticket_find_responsible(actor=world.director, ticket=ticket, employees=[], reason="x")
    with pytest.raises(ValidationError):
        ticket_find_responsible(
            actor=world.director, ticket=ticket, employees=[world.cashier.employee], reason=" "
        )
    assert not Penalty.objects.exists()


def test_director_uses_the_form_on_the_closed_ticket(world, login):
    ticket = _closed(world)
    client = login(world.director)
    assert (
        "认定有责"
        in client.get(reverse("complaints:ticket_detail", args=[ticket.pk])).content.decode()
    )
    response = client.post(
        reverse("complaints:ticket_action", kwargs={"pk": ticket.pk, "action": "responsible"}),
        {"responsible-employees": [world.cashier.employee.pk], "responsible-reason": "未按时答复"},
    )
    assert response.status_code == 302
    assert Penalty.objects.get().employee == world.cashier.employee
    office = login(world.office)
    url = reverse("complaints:ticket_action", kwargs={"pk": ticket.pk, "action": "responsible"})
    assert office.post(url, {"responsible-reason": "x"}).status_code == 403
