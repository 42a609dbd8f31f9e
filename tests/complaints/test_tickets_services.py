"""The ticket services: every step timestamped with who, 有责 findings, numbering; a refusal
says why in Chinese and changes nothing."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.utils import timezone

from billing.models import Account
from complaints.models import (
    Category,
    FirstContactTicket,
    FollowUpOutcome,
    Responsibility,
    StepKind,
    TicketState,
    TicketStep,
)
from complaints.services.tickets import (
    ticket_change_owner,
    ticket_chase,
    ticket_escalate,
    ticket_find_responsible,
    ticket_follow_up,
    ticket_forward,
    ticket_record_result,
    ticket_reply,
    ticket_resolve,
)
from staff.models import AuditEntry, Penalty, PenaltyKind
from staff.selectors.penalties import bonus_statuses
from tests.complaints.factories import NOT_ALLOWED, open_ticket, refused


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
        ("content", "   ", "内容为空：请记录用户反映的问题。"),
        ("customer_phone", "12345", "“12345”不是有效的电话号码：请填写11位手机号或固定电话。"),
        (
            "customer_phone",
            "1397240000",
            "“1397240000”不是有效的电话号码：请填写11位手机号或固定电话。",
        ),
        ("account_no", "999999", "没有户号为 999999 的用户。"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_saved(world, field, value, message):
    with pytest.raises(ValidationError) as exc:
        open_ticket(world.cashier, **{field: value})
    assert exc.value.message_dict == {field: [message]}
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
    assert refused(
        lambda: ticket_record_result(actor=world.office, ticket=ticket, note="已处理")
    ) == ["您是代承办部门登记，请注明反馈来源。"]
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
    assert refused(lambda: ticket_record_result(actor=world.liaison, ticket=ticket, note="x")) == [
        NOT_ALLOWED
    ]
    ticket.refresh_from_db()
    assert ticket.state == TicketState.FORWARDED


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
    assert refused(
        lambda: ticket_forward(actor=world.cashier, ticket=ticket, department=world.department)
    ) == [
        "“其他（不属首问范围）”不属于首问负责范围（计量、收费、维修、水质、水压、报装），"
        "不能作为首问登记转办；"
        "请当场答复或更改类别。"
    ]
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
        assert refused(call) == [f"登记 {ticket.number} 已办结，不能再记录任何内容。"]
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
    assert refused(lambda: ticket_resolve(actor=world.other_cashier, ticket=ticket, note="x")) == [
        NOT_ALLOWED
    ]
    assert refused(lambda: ticket_chase(actor=world.cashier2, ticket=ticket, note="x")) == [
        NOT_ALLOWED
    ]
    assert ticket.steps.count() == 1


def test_owner_change_needs_lobby_manager_or_director_and_a_reason(world):
    ticket = open_ticket(world.cashier)
    for actor, reason, message in [
        (world.cashier, "换班", NOT_ALLOWED),
        (world.other_lobby_manager, "换班", NOT_ALLOWED),
        (world.lobby_manager, "", "请填写更换首问负责人的理由。"),
    ]:
        assert refused(
            lambda actor=actor, reason=reason: ticket_change_owner(
                actor=actor, ticket=ticket, new_owner=world.cashier2.employee, reason=reason
            )
        ) == [message]
    ticket.refresh_from_db()
    assert ticket.owner == world.cashier.employee
    ticket = ticket_change_owner(
        actor=world.lobby_manager, ticket=ticket, new_owner=world.cashier2.employee, reason="休假"
    )
    assert ticket.owner == world.cashier2.employee
    assert "休假" in ticket.steps.get(kind=StepKind.OWNER_CHANGED).note


def test_owner_change_stays_in_the_hall_unless_a_director_makes_it(world):
    ticket = open_ticket(world.cashier)
    assert refused(
        lambda: ticket_change_owner(
            actor=world.lobby_manager,
            ticket=ticket,
            new_owner=world.other_cashier.employee,
            reason="换班",
        )
    ) == ["请选择本登记所属营业厅的员工：交给其他营业厅或部门的人员须由主任办理。"]
    ticket.refresh_from_db()
    assert ticket.owner == world.cashier.employee
    ticket = ticket_change_owner(
        actor=world.director, ticket=ticket, new_owner=world.other_cashier.employee, reason="调岗"
    )
    assert ticket.owner == world.other_cashier.employee


def test_urgent_ticket_is_mailed_to_leadership_after_commit(
    world, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_ENABLED = True
    world.director.email = "director@example.com"
    world.director.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        ticket = open_ticket(world.cashier, urgent=True)
    assert [m.to for m in mail.outbox] == [["director@example.com"]]
    assert mail.outbox[0].subject == f"紧急首问登记 {ticket.number}"


# --- 有责投诉: a director's finding on a closed ticket raises 200 yuan per employee -------------


def _closed(world):
    ticket = ticket_resolve(actor=world.cashier, ticket=open_ticket(world.cashier), note="已答复")
    return ticket_follow_up(actor=world.cashier, ticket=ticket, outcome=FollowUpOutcome.SATISFIED)


def _bonus_status(employee):
    return bonus_statuses([employee], timezone.localdate().year)[employee.pk]


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
    assert _bonus_status(world.cashier.employee).responsible_complaints == 1


def test_third_responsible_complaint_forfeits_the_bonus(world):
    for _ in range(3):
        ticket_find_responsible(
            actor=world.director,
            ticket=_closed(world),
            employees=[world.cashier.employee],
            reason="有责",
        )
    assert _bonus_status(world.cashier.employee).forfeited


@pytest.mark.parametrize("persona", ["office", "lobby_manager", "cashier"])
def test_only_the_director_finds_responsibility(world, persona):
    ticket = _closed(world)
    assert refused(
        lambda: ticket_find_responsible(
            actor=getattr(world, persona),
            ticket=ticket,
            employees=[world.cashier.employee],
            reason="x",
        )
    ) == [NOT_ALLOWED]
    assert not Penalty.objects.exists()


def test_open_ticket_and_duplicates_are_refused(world):
    assert refused(
        lambda: ticket_find_responsible(
            actor=world.director,
            ticket=open_ticket(world.cashier),
            employees=[world.cashier.employee],
            reason="x",
        )
    ) == ["登记办结后才能认定责任。"]
    ticket = _closed(world)
    ticket_find_responsible(
        actor=world.director, ticket=ticket, employees=[world.cashier.employee], reason="x"
    )
    assert refused(
        lambda: ticket_find_responsible(
            actor=world.director,
            ticket=ticket,
            employees=[world.cashier2.employee, world.cashier.employee],
            reason="x",
        )
    ) == ["以下员工已就此登记认定有责：cashier姓名。"]
    assert Penalty.objects.count() == 1
    assert Responsibility.objects.count() == 1


def test_finding_without_employees_or_reason_is_refused(world):
    ticket = _closed(world)
    assert refused(
        lambda: ticket_find_responsible(
            actor=world.director, ticket=ticket, employees=[], reason="x"
        )
    ) == ["请至少选择一名员工。"]
    assert refused(
        lambda: ticket_find_responsible(
            actor=world.director, ticket=ticket, employees=[world.cashier.employee], reason=" "
        )
    ) == ["请填写认定理由。"]
    assert not Penalty.objects.exists()


# --- ticket numbers under concurrent counters -------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_tickets_get_distinct_consecutive_numbers():
    """No duplicates, no gaps (PostgreSQL only: SQLite has no row locks to race on)."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    from tests.conftest import build_world

    world = build_world()
    errors = []
    barrier = threading.Barrier(6)

    def register(user):
        try:
            barrier.wait()
            for _ in range(5):
                open_ticket(user)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    users = [
        world.cashier,
        world.cashier2,
        world.other_cashier,
        world.office,
        world.director,
        world.lobby_manager,
    ]
    threads = [threading.Thread(target=register, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    serials = sorted(
        int(n.split("-")[1]) for n in FirstContactTicket.objects.values_list("number", flat=True)
    )
    assert serials == list(range(1, 31))
