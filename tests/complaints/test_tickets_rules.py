"""Who may take which step on a ticket, and which steps its page offers in each state."""

import pytest

from complaints import rules
from complaints.models import FollowUpOutcome
from complaints.services.tickets import (
    ticket_follow_up,
    ticket_forward,
    ticket_record_result,
    ticket_reply,
)
from tests.complaints.factories import open_ticket

PERSONAS = [
    "director",
    "office",
    "lobby_manager",
    "other_lobby_manager",
    "shift_lead",
    "cashier",
    "cashier2",
    "other_cashier",
    "liaison",
]


def _allowed(world, rule, ticket):
    return {name for name in PERSONAS if rule(getattr(world, name), ticket)}


def test_owner_hall_lobby_manager_office_and_director_handle_a_ticket(world):
    ticket = open_ticket(world.cashier)
    assert _allowed(world, rules.may_handle, ticket) == {
        "director",
        "office",
        "lobby_manager",
        "cashier",
    }


def test_department_liaison_records_the_result_and_may_escalate(world):
    ticket = ticket_forward(
        actor=world.cashier, ticket=open_ticket(world.cashier), department=world.department
    )
    assert _allowed(world, rules.may_record_result, ticket) == {"director", "office", "liaison"}
    assert _allowed(world, rules.may_escalate, ticket) == {
        "director",
        "office",
        "lobby_manager",
        "cashier",
        "liaison",
    }


def test_liaison_of_another_department_may_not_record_the_result(world):
    ticket = ticket_forward(
        actor=world.cashier, ticket=open_ticket(world.cashier), department=world.other_department
    )
    assert not rules.may_record_result(world.liaison, ticket)
    assert not rules.may_escalate(world.liaison, ticket)


def test_only_the_hall_lobby_manager_or_the_director_changes_the_owner(world):
    ticket = open_ticket(world.cashier)
    assert _allowed(world, rules.may_change_owner, ticket) == {"director", "lobby_manager"}


def test_only_the_director_finds_responsibility(world):
    ticket = open_ticket(world.cashier)
    assert _allowed(world, rules.may_find_responsible, ticket) == {"director"}


def test_sla_view_is_for_director_office_and_lobby_managers(world):
    allowed = {name for name in PERSONAS if rules.may_view_sla(getattr(world, name))}
    assert allowed == {"director", "office", "lobby_manager", "other_lobby_manager"}


def test_every_member_of_staff_may_open_a_ticket(world, django_user_model):
    assert all(rules.may_open_ticket(getattr(world, name)) for name in PERSONAS)
    assert not rules.may_open_ticket(django_user_model.objects.create(username="no_employee"))


def test_unknown_step_is_never_allowed(world):
    assert not rules.may_take_step(world.director, open_ticket(world.cashier), "delete")


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("cashier", ["resolve", "forward", "escalate"]),
        ("lobby_manager", ["resolve", "forward", "escalate", "owner"]),
        ("director", ["resolve", "forward", "escalate", "owner"]),
        ("cashier2", []),
    ],
)
def test_steps_offered_on_a_new_ticket(world, persona, expected):
    ticket = open_ticket(world.cashier)
    assert rules.steps_offered(getattr(world, persona), ticket) == expected


def test_steps_offered_follow_the_flow(world):
    ticket = open_ticket(world.cashier)
    ticket = ticket_forward(actor=world.cashier, ticket=ticket, department=world.department)
    assert rules.steps_offered(world.office, ticket) == [
        "result",
        "forward",
        "chase",
        "escalate",
    ]
    assert rules.steps_offered(world.liaison, ticket) == ["result", "escalate"]
    ticket = ticket_record_result(actor=world.liaison, ticket=ticket, note="已处理")
    assert rules.steps_offered(world.cashier, ticket) == ["reply", "forward", "escalate"]
    ticket = ticket_reply(actor=world.cashier, ticket=ticket, note="已答复")
    assert rules.steps_offered(world.cashier, ticket) == ["follow_up", "escalate"]
    ticket = ticket_follow_up(actor=world.cashier, ticket=ticket, outcome=FollowUpOutcome.SATISFIED)
    assert rules.steps_offered(world.cashier, ticket) == []
    assert rules.steps_offered(world.director, ticket) == ["responsible"]
