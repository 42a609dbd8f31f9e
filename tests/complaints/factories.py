"""Tickets are made through the service, as at the counter, so their clocks are real."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from complaints.models import Category, Channel, FirstContactTicket, FollowUpOutcome
from complaints.services.tickets import (
    ticket_follow_up,
    ticket_forward,
    ticket_open,
    ticket_record_result,
    ticket_reply,
    ticket_resolve,
)


def local(*args) -> datetime:
    """An aware Asia/Shanghai datetime: local(2026, 2, 13, 10, 0)."""
    return datetime(*args, tzinfo=ZoneInfo("Asia/Shanghai"))


def open_ticket(user, **overrides):
    fields = {
        "channel": Channel.VISIT,
        "category": Category.REPAIRS,
        "customer_name": "王先生",
        "customer_phone": "13972400001",
        "street": "象山大道",
        "house_number": "12号",
        "landmark": "人民医院对面",
        "content": "楼道水表漏水，已经两天了。",
    }
    fields.update(overrides)
    return ticket_open(actor=user, **fields)


def sla_tickets(world):
    """For the SLA view, four tickets this month: one late response, one late result, two on
    time (one of them answered on the spot, its customer dissatisfied: a second cycle)."""
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


def refused(call) -> list[str]:
    """The messages of the refusal (ValidationError) `call()` raises; fails when it raises none."""
    import pytest
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        call()
    return exc.value.messages


# The services' refusals as the user reads them.
NOT_ALLOWED = "您无权在此登记上办理这一步。"
