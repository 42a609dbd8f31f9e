"""The safety warnings on the home page (safety/selectors/home.py): who sees which, and when."""

import re
from datetime import date, timedelta
from html import unescape

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safety import services
from safety.models import CorrectiveAction
from tests.safety.factories import AlarmDrillFactory, ClosingCheckFactory, IncidentFactory


def safety_warnings(client) -> list[tuple[str, str, str]]:
    """(level, text, count) of each home-page warning that links into the safety app."""
    html = client.get(reverse("staff:home")).content.decode()
    return [
        (level, unescape(text).strip(), count)
        for level, href, text, count in re.findall(
            r'<li class="attention-(\w+)">\s*<a href="([^"]*)">(.*?)</a>\s*'
            r'(?:<span class="badge">(\d+)</span>)?',
            html,
            re.S,
        )
        if href.startswith("/safety/")
    ]


def freeze_today(monkeypatch, day):
    """Pin timezone.localdate() for the attention rules (the only date they read)."""
    import safety.selectors.home

    monkeypatch.setattr(safety.selectors.home.timezone, "localdate", lambda: day)


def test_home_flags_uninformed_incidents_to_handlers_and_overdue_actions_to_their_owner(
    world, client, settings
):
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
    ClosingCheckFactory(hall=world.hall_a, date=timezone.localdate() - timedelta(days=1))
    reported = ("danger", "已报告但尚未处置的突发事件", "1")
    uninformed = ("danger", "超过时限仍尚未向领导报告的事件", "1")
    client.force_login(world.shift_lead)
    assert [w for w in safety_warnings(client) if "事件" in w[1]] == [reported, uninformed]
    client.force_login(world.cashier)
    assert safety_warnings(client) == [("warning", "你负责的整改措施已过完成期限", "1")]

    services.incident_tick_step(
        actor=world.cashier, incident=incident, step="leadership_informed", done_at=timezone.now()
    )
    client.force_login(world.shift_lead)
    assert [w for w in safety_warnings(client) if "事件" in w[1]] == [reported]


def test_missing_drill_is_flagged_in_the_last_days_to_officer_and_director(
    world, client, monkeypatch, settings
):
    settings.SAFETY_DRILL_WINDOW_DAYS = 7
    freeze_today(monkeypatch, date(2026, 5, 27))
    client.force_login(world.shift_lead)
    assert ("warning", "2026-05 尚未登记报警演练：龙泉", "1") in safety_warnings(client)
    client.force_login(world.director)
    assert ("warning", "2026-05 尚未登记报警演练：龙泉、泉口", "2") in safety_warnings(client)
    for persona in ("cashier", "lobby_manager"):
        client.force_login(getattr(world, persona))
        assert not [w for w in safety_warnings(client) if "报警演练" in w[1]]

    AlarmDrillFactory(
        hall=world.hall_a,
        year=2026,
        month=5,
        held_at=timezone.make_aware(timezone.datetime(2026, 5, 26, 16)),
    )
    client.force_login(world.shift_lead)
    assert not [w for w in safety_warnings(client) if "报警演练" in w[1]]
    client.force_login(world.director)
    assert ("warning", "2026-05 尚未登记报警演练：泉口", "1") in safety_warnings(client)


def test_last_months_missing_drill_is_flagged_as_danger_in_the_grace_days(
    world, client, monkeypatch, settings
):
    settings.SAFETY_DRILL_GRACE_DAYS = 3
    freeze_today(monkeypatch, date(2026, 6, 2))
    client.force_login(world.shift_lead)
    assert ("danger", "2026-05 尚未登记报警演练：龙泉", "1") in safety_warnings(client)


def test_no_drill_flag_before_the_last_days(world, client, monkeypatch, settings):
    settings.SAFETY_DRILL_WINDOW_DAYS = 7
    settings.SAFETY_DRILL_GRACE_DAYS = 3
    freeze_today(monkeypatch, date(2026, 5, 20))
    client.force_login(world.director)
    assert not [w for w in safety_warnings(client) if "报警演练" in w[1]]


def test_missing_closing_check_is_flagged_next_morning_to_lead_and_lobby_manager(world, client):
    yesterday = timezone.localdate() - timedelta(days=1)
    missing = ("danger", f"{yesterday} 未登记下班安全检查：龙泉", "")
    for persona in ("shift_lead", "lobby_manager"):
        client.force_login(getattr(world, persona))
        assert missing in safety_warnings(client)
    client.force_login(world.cashier)
    assert missing not in safety_warnings(client)

    ClosingCheckFactory(hall=world.hall_a, date=yesterday)
    client.force_login(world.shift_lead)
    assert not [w for w in safety_warnings(client) if "下班安全检查" in w[1]]


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
