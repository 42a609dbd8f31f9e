"""`manage.py check_sla`: overdue marks, reminders, home-page items, e-mail; idempotent."""

from datetime import date, timedelta

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from complaints.models import ReminderKind, SlaReminder, StepKind
from complaints.services.tickets import ticket_forward, ticket_record_result
from staff.extensions import attention_items_for
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
    open_ticket(world.cashier, received_at=timezone.now() - timedelta(hours=5))

    call_command("check_sla")
    call_command("check_sla")

    assert sorted(m.to[0] for m in mail.outbox) == ["cashier@example.com", "director@example.com"]


def test_nothing_is_mailed_when_email_is_disabled(world, settings):
    settings.EMAIL_ENABLED = False
    world.cashier.email = "cashier@example.com"
    world.cashier.save(update_fields=["email"])
    open_ticket(world.cashier, received_at=timezone.now() - timedelta(hours=5))
    call_command("check_sla")
    assert mail.outbox == []


def test_urgent_ticket_shows_at_once_for_director_and_hall_lobby_manager(world):
    open_ticket(world.cashier, urgent=True)

    assert "未办结的紧急首问登记" in _texts(world.director)
    assert "未办结的紧急首问登记" in _texts(world.lobby_manager)
    assert "未办结的紧急首问登记" not in _texts(world.other_lobby_manager)
    assert "未办结的紧急首问登记" not in _texts(world.cashier2)


def test_urgent_ticket_is_on_the_director_home_page(world, login):
    open_ticket(world.cashier, urgent=True)
    page = login(world.director).get(reverse("staff:home")).content.decode()
    assert "未办结的紧急首问登记" in page


def test_calendar_warning_from_first_november_for_director_and_office(world):
    # The package knows up to 2026; the test clock is at or after November 2026.
    today = timezone.localdate()
    if today.month >= 11 and today.year == 2026:
        assert any("2027年工作日历缺失" in text for text in _texts(world.office))
        assert any("2027年工作日历缺失" in text for text in _texts(world.director))
    assert not any("工作日历缺失" in text for text in _texts(world.cashier))


def test_calendar_warning_follows_the_date(world, monkeypatch):
    from complaints.selectors import sla as attention

    monkeypatch.setattr(attention.timezone, "localdate", lambda: date(2026, 10, 31))
    assert not any("工作日历缺失" in text for text in _texts(world.office))
    monkeypatch.setattr(attention.timezone, "localdate", lambda: date(2026, 11, 1))
    assert any("2027年工作日历缺失" in text for text in _texts(world.office))


def test_home_page_items_use_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for _ in range(5):
        open_ticket(world.cashier, urgent=True, received_at=timezone.now() - timedelta(hours=5))
    call_command("check_sla")
    from complaints.selectors.sla import attention_items_for as complaints_items

    with django_assert_max_num_queries(5):
        complaints_items(world.director)


def test_urgent_ticket_is_mailed_to_leadership_after_commit(
    world, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_ENABLED = True
    world.director.email = "director@example.com"
    world.director.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        ticket = open_ticket(world.cashier, urgent=True)
    assert [m.to for m in mail.outbox] == [["director@example.com"]]
    assert ticket.number in mail.outbox[0].subject
    assert "紧急" in mail.outbox[0].subject
