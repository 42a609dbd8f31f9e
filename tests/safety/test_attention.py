from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safety import services
from tests.safety.factories import AlarmDrillFactory, ClosingCheckFactory, IncidentFactory


def test_home_flags_uninformed_incidents_and_overdue_actions(world, client, settings):
    from safety.models import CorrectiveAction

    settings.SAFETY_LEADERSHIP_DELAY_MINUTES = 15
    incident = IncidentFactory(
        hall=world.hall_a,
        reported_by=world.cashier,
        occurred_at=timezone.now() - timedelta(minutes=30),
    )
    CorrectiveAction.objects.create(
        incident=incident,
        description="加装防护栏",
        owner=world.cashier.employee,
        due_date=timezone.localdate() - timedelta(days=1),
        created_by=world.shift_lead,
    )
    client.force_login(world.shift_lead)
    html = client.get(reverse("staff:home")).content.decode()
    assert "尚未向领导报告" in html
    client.force_login(world.cashier)
    html = client.get(reverse("staff:home")).content.decode()
    assert "已过完成期限" in html
    assert "尚未向领导报告" not in html

    services.incident_tick_step(
        actor=world.cashier, incident=incident, step="leadership_informed", done_at=timezone.now()
    )
    client.force_login(world.shift_lead)
    assert "尚未向领导报告" not in client.get(reverse("staff:home")).content.decode()


def attention(client):
    html = client.get(reverse("staff:home")).content.decode()
    return (
        html.split('id="attention-title"')[1].split("</section>")[0]
        if "attention-title" in html
        else ""
    )


def freeze_today(monkeypatch, day):
    """Pin timezone.localdate() for the attention rules (the only date they read)."""
    import safety.attention

    monkeypatch.setattr(safety.attention.timezone, "localdate", lambda: day)


def test_missing_drill_is_flagged_in_the_last_days_to_officer_and_director(
    world, client, monkeypatch, settings
):
    settings.SAFETY_DRILL_WINDOW_DAYS = 7
    freeze_today(monkeypatch, date(2026, 5, 27))
    for persona in ("shift_lead", "director"):
        client.force_login(getattr(world, persona))
        assert "2026-05 尚未登记报警演练" in attention(client)
    for persona in ("cashier", "lobby_manager"):
        client.force_login(getattr(world, persona))
        assert "报警演练" not in attention(client)

    AlarmDrillFactory(
        hall=world.hall_a,
        year=2026,
        month=5,
        held_at=timezone.make_aware(timezone.datetime(2026, 5, 26, 16)),
    )
    client.force_login(world.shift_lead)
    assert "报警演练" not in attention(client)
    client.force_login(world.director)
    assert "尚未登记报警演练：泉口" in attention(client)


def test_no_drill_flag_before_the_last_days(world, client, monkeypatch, settings):
    settings.SAFETY_DRILL_WINDOW_DAYS = 7
    settings.SAFETY_DRILL_GRACE_DAYS = 3
    freeze_today(monkeypatch, date(2026, 5, 20))
    client.force_login(world.director)
    assert "报警演练" not in attention(client)


def test_missing_closing_check_is_flagged_next_morning_to_lead_and_lobby_manager(world, client):
    yesterday = timezone.localdate() - timedelta(days=1)
    for persona in ("shift_lead", "lobby_manager"):
        client.force_login(getattr(world, persona))
        assert "未登记下班安全检查" in attention(client)
    client.force_login(world.cashier)
    assert "下班安全检查" not in attention(client)

    ClosingCheckFactory(hall=world.hall_a, date=yesterday)
    client.force_login(world.shift_lead)
    assert "下班安全检查" not in attention(client)


def test_home_page_attention_runs_a_fixed_number_of_queries(world, client):
    client.force_login(world.director)
    url = reverse("staff:home")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(4):
        IncidentFactory(hall=world.hall_b)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)
