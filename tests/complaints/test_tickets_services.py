"""The ticket flow: every step timestamped with who; bad input changes nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from billing.models import Account
from complaints.models import (
    Category,
    FirstContactTicket,
    FollowUpOutcome,
    StepKind,
    TicketState,
    TicketStep,
)
from complaints.services.tickets import (
    ticket_change_owner,
    ticket_chase,
    ticket_escalate,
    ticket_follow_up,
    ticket_forward,
    ticket_record_result,
    ticket_reply,
    ticket_resolve,
)
from staff.models import AuditEntry
from tests.complaints.factories import open_ticket


def test_cashier_opens_a_ticket_and_owns_it(world):
    ticket = open_ticket(world.cashier, urgent=True)

    assert ticket.owner == world.cashier.employee
    assert ticket.opened_by == world.cashier.employee
    assert ticket.hall == world.hall_a
    assert ticket.state == TicketState.NEW
    assert ticket.number.startswith(str(ticket.received_at.year))
    assert ticket.response_due_at - ticket.received_at == timedelta(hours=4)
    assert ticket.result_due_at is not None
    step = ticket.steps.get()
    assert (step.kind, step.by) == (StepKind.OPENED, world.cashier.employee)
    assert AuditEntry.objects.filter(action="complaints.ticket.open").count() == 1


def test_ticket_numbers_are_consecutive(world):
    first = open_ticket(world.cashier)
    second = open_ticket(world.cashier2)
    assert int(second.number.split("-")[1]) == int(first.number.split("-")[1]) + 1


def test_account_number_links_the_billing_account(world):
    account = Account.objects.create(account_no="100200", name="王先生")
    ticket = open_ticket(world.cashier, account_no="100200")
    assert ticket.account == account


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("content", "   ", "内容为空"),
        ("customer_phone", "12345", "不是有效的电话号码"),
        ("customer_phone", "1397240000", "不是有效的电话号码"),
        ("account_no", "999999", "没有户号为 999999 的用户"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_saved(world, field, value, message):
    with pytest.raises(ValidationError) as exc:
        open_ticket(world.cashier, **{field: value})
    assert message in " ".join(exc.value.messages)
    assert FirstContactTicket.objects.count() == 0
    assert TicketStep.objects.count() == 0


def test_landline_numbers_are_accepted(world):
    assert open_ticket(world.cashier, customer_phone="0724-2332001").customer_phone


def test_full_flow_with_liaison_result(world):
    ticket = open_ticket(world.cashier)
    ticket = ticket_forward(actor=world.office, ticket=ticket, department=world.department)
    assert ticket.state == TicketState.FORWARDED
    assert ticket.responded_at is not None and ticket.forwarded_at is not None

    ticket = ticket_record_result(actor=world.liaison, ticket=ticket, note="已更换水表。")
    assert ticket.state == TicketState.RESULT_IN and ticket.result_at is not None

    ticket = ticket_reply(actor=world.cashier, ticket=ticket, note="已电话告知用户。")
    ticket = ticket_follow_up(
        actor=world.cashier, ticket=ticket, outcome=FollowUpOutcome.SATISFIED, note="用户满意"
    )
    assert ticket.state == TicketState.CLOSED
    assert ticket.closed_at is not None
    kinds = list(ticket.steps.values_list("kind", "by__user__username"))
    assert kinds == [
        (StepKind.OPENED, "cashier"),
        (StepKind.FORWARDED, "office"),
        (StepKind.RESULT, "liaison"),
        (StepKind.REPLY, "cashier"),
        (StepKind.FOLLOW_UP, "cashier"),
        (StepKind.CLOSED, "cashier"),
    ]


def test_office_records_result_on_behalf_only_with_a_source(world):
    ticket = ticket_forward(
        actor=world.cashier, ticket=open_ticket(world.cashier), department=world.department
    )
    with pytest.raises(ValidationError) as exc:
        ticket_record_result(actor=world.office, ticket=ticket, note="已处理")
    assert "注明反馈来源" in exc.value.messages[0]
    ticket.refresh_from_db()
    assert ticket.state == TicketState.FORWARDED

    ticket = ticket_record_result(
        actor=world.office, ticket=ticket, note="已处理", source="维修处电话告知"
    )
    assert ticket.steps.get(kind=StepKind.RESULT).source == "维修处电话告知"


def test_liaison_of_another_department_cannot_record_the_result(world):
    ticket = ticket_forward(
        actor=world.cashier, ticket=open_ticket(world.cashier), department=world.other_department
    )
    with pytest.raises(ValidationError):
        ticket_record_result(actor=world.liaison, ticket=ticket, note="x")


def test_resolved_on_the_spot_then_follow_up(world):
    ticket = ticket_resolve(actor=world.cashier, ticket=open_ticket(world.cashier), note="已解释")
    assert ticket.state == TicketState.REPLIED and ticket.resolved_on_spot
    assert ticket.responded_at == ticket.replied_at
    ticket = ticket_follow_up(
        actor=world.cashier, ticket=ticket, outcome=FollowUpOutcome.FAIRLY_SATISFIED
    )
    assert ticket.state == TicketState.CLOSED


def test_other_category_cannot_be_forwarded_as_first_contact(world):
    ticket = open_ticket(world.cashier, category=Category.OTHER)
    with pytest.raises(ValidationError) as exc:
        ticket_forward(actor=world.cashier, ticket=ticket, department=world.department)
    assert "不属于首问负责范围" in exc.value.messages[0]
    ticket.refresh_from_db()
    assert ticket.state == TicketState.NEW and ticket.department is None
    assert ticket.steps.count() == 1


def test_re_forward_to_another_department(world):
    ticket = ticket_forward(
        actor=world.cashier, ticket=open_ticket(world.cashier), department=world.department
    )
    first_response = ticket.responded_at
    ticket = ticket_forward(
        actor=world.lobby_manager, ticket=ticket, department=world.other_department, note="非本处"
    )
    assert ticket.department == world.other_department
    assert ticket.responded_at == first_response
    assert ticket.steps.filter(kind=StepKind.REFORWARDED).count() == 1


def test_unreachable_follow_up_counts_attempts_then_closes(world, settings):
    settings.COMPLAINTS_FOLLOW_UP_ATTEMPTS = 3
    ticket = ticket_resolve(actor=world.cashier, ticket=open_ticket(world.cashier), note="已答复")
    for attempt in (1, 2):
        ticket = ticket_follow_up(
            actor=world.cashier, ticket=ticket, outcome=FollowUpOutcome.UNREACHABLE
        )
        assert (ticket.follow_up_attempts, ticket.state) == (attempt, TicketState.REPLIED)
    ticket = ticket_follow_up(
        actor=world.cashier, ticket=ticket, outcome=FollowUpOutcome.UNREACHABLE
    )
    assert (ticket.follow_up_attempts, ticket.state) == (3, TicketState.CLOSED)


def test_dissatisfied_follow_up_reopens_as_a_linked_cycle(world):
    ticket = ticket_resolve(actor=world.cashier, ticket=open_ticket(world.cashier), note="已答复")
    ticket = ticket_follow_up(
        actor=world.cashier, ticket=ticket, outcome=FollowUpOutcome.DISSATISFIED, note="仍漏水"
    )
    assert ticket.state == TicketState.CLOSED
    new = ticket.next_cycle
    assert new.cycle == 2 and new.state == TicketState.NEW
    assert new.number == f"{ticket.number}/2"
    assert new.owner == ticket.owner and new.customer_phone == ticket.customer_phone
    assert new.steps.get().kind == StepKind.REOPENED


def test_feedback_on_a_closed_ticket_is_refused(world):
    ticket = ticket_resolve(actor=world.cashier, ticket=open_ticket(world.cashier), note="已答复")
    ticket = ticket_follow_up(actor=world.cashier, ticket=ticket, outcome=FollowUpOutcome.SATISFIED)
    steps = ticket.steps.count()
    for call in (
        lambda: ticket_follow_up(
            actor=world.cashier, ticket=ticket, outcome=FollowUpOutcome.SATISFIED
        ),
        lambda: ticket_record_result(actor=world.office, ticket=ticket, note="x", source="y"),
        lambda: ticket_chase(actor=world.cashier, ticket=ticket, note="x"),
    ):
        with pytest.raises(ValidationError) as exc:
            call()
        assert "已办结" in exc.value.messages[0]
    assert ticket.steps.count() == steps


def test_chase_and_escalation_at_any_open_point(world):
    ticket = ticket_forward(
        actor=world.cashier, ticket=open_ticket(world.cashier), department=world.department
    )
    ticket_chase(actor=world.cashier, ticket=ticket, note="已电话催维修处")
    ticket = ticket_escalate(actor=world.liaison, ticket=ticket, note="需领导协调")
    assert ticket.escalated_at is not None
    assert ticket.steps.filter(kind=StepKind.CHASE).get().by == world.cashier.employee


def test_other_hall_cashier_cannot_touch_the_ticket(world):
    ticket = open_ticket(world.cashier)
    with pytest.raises(ValidationError):
        ticket_resolve(actor=world.other_cashier, ticket=ticket, note="x")
    with pytest.raises(ValidationError):
        ticket_chase(actor=world.cashier2, ticket=ticket, note="x")


def test_owner_change_needs_lobby_manager_or_director_and_a_reason(world):
    ticket = open_ticket(world.cashier)
    with pytest.raises(ValidationError):
        ticket_change_owner(
            actor=world.cashier, ticket=ticket, new_owner=world.cashier2.employee, reason="换班"
        )
    with pytest.raises(ValidationError):
        ticket_change_owner(
            actor=world.other_lobby_manager,
            ticket=ticket,
            new_owner=world.cashier2.employee,
            reason="换班",
        )
    with pytest.raises(ValidationError):
        ticket_change_owner(
            actor=world.lobby_manager, ticket=ticket, new_owner=world.cashier2.employee, reason=""
        )
    ticket = ticket_change_owner(
        actor=world.lobby_manager, ticket=ticket, new_owner=world.cashier2.employee, reason="休假"
    )
    assert ticket.owner == world.cashier2.employee
    assert "休假" in ticket.steps.get(kind=StepKind.OWNER_CHANGED).note


def test_owner_change_stays_in_the_hall_unless_a_director_makes_it(world):
    ticket = open_ticket(world.cashier)
    with pytest.raises(ValidationError, match="营业厅|厅"):
        ticket_change_owner(
            actor=world.lobby_manager,
            ticket=ticket,
            new_owner=world.other_cashier.employee,
            reason="换班",
        )
    ticket.refresh_from_db()
    assert ticket.owner == world.cashier.employee
    ticket = ticket_change_owner(
        actor=world.director, ticket=ticket, new_owner=world.other_cashier.employee, reason="调岗"
    )
    assert ticket.owner == world.other_cashier.employee
