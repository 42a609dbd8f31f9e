"""The SLA check (`manage.py check_sla`): overdue marks, reminders and what they show on the
home page, e-mail; idempotent."""

from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from complaints.models import ReminderKind, SlaReminder, StepKind
from complaints.services.tickets import ticket_forward, ticket_record_result
from staff.core.extensions import attention_items_for
from tests.complaints.factories import open_ticket


def _texts(user):
    return [item.text for item in attention_items_for(user)]


def test_response_overdue_is_marked_once_with_reminders(world):
    ticket = open_ticket(world.cashier, received_at=timezone.now() - timedelta(hours=5))

    call_command("check_sla")
    call_command("check_sla")

    ticket.refresh_from_db()
    assert ticket.response_overdue_at is not None
    assert ticket.steps.filter(kind=StepKind.RESPONSE_OVERDUE).count() == 1
    assert set(SlaReminder.objects.values_list("kind", "step")) == {
        (ReminderKind.CHASE, "response"),
        (ReminderKind.ESCALATION, "response"),
    }
    assert "您的首问登记已超时：请催办承办部门" in _texts(world.cashier)
    assert "超时上报领导的首问登记" in _texts(world.director)
    assert "超时上报领导的首问登记" not in _texts(world.cashier)


def test_ticket_within_its_clocks_is_left_alone(world):
    open_ticket(world.cashier, received_at=timezone.now() - timedelta(hours=3))
    call_command("check_sla")
    assert not SlaReminder.objects.exists()


def test_result_overdue_then_done_clears_the_reminder(world):
    ticket = open_ticket(world.cashier, received_at=timezone.now() - timedelta(days=12))
    ticket = ticket_forward(actor=world.cashier, ticket=ticket, department=world.department)
    call_command("check_sla")

    ticket.refresh_from_db()
    assert ticket.result_overdue_at is not None
    assert SlaReminder.objects.filter(step="result", done_at__isnull=True).count() == 2

    ticket_record_result(actor=world.liaison, ticket=ticket, note="已处理")
    assert not SlaReminder.objects.filter(step="result", done_at__isnull=True).exists()
    assert "您的首问登记已超时：请催办承办部门" not in _texts(world.cashier)


def test_reminders_are_mailed_once_when_email_is_enabled(world, settings):
    settings.EMAIL_ENABLED = True
    world.cashier.email = "cashier@example.com"
    world.cashier.save(update_fields=["email"])
    world.director.email = "director@example.com"
    world.director.save(update_fields=["email"])
    ticket = open_ticket(world.cashier, received_at=timezone.now() - timedelta(hours=5))

    call_command("check_sla")
    call_command("check_sla")

    assert sorted((m.to, m.subject) for m in mail.outbox) == [
        (["cashier@example.com"], f"超时：请催办首问登记 {ticket.number} 的承办部门"),
        (["director@example.com"], f"上报：首问登记 {ticket.number} 已超时"),
    ]


def test_nothing_is_mailed_when_email_is_disabled(world, settings):
    settings.EMAIL_ENABLED = False
    world.cashier.email = "cashier@example.com"
    world.cashier.save(update_fields=["email"])
    open_ticket(world.cashier, received_at=timezone.now() - timedelta(hours=5))
    call_command("check_sla")
    assert mail.outbox == []
