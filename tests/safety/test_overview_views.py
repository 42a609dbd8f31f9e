from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.safety.factories import ClosingCheckFactory, IncidentFactory


def test_overview_shows_open_incidents_and_late_reports(world, client, year_data, settings):
    settings.SAFETY_LEADERSHIP_DELAY_MINUTES = 0
    client.force_login(world.director)
    html = client.get(reverse("safety:overview")).content.decode()
    assert "未结案事件" in html and "向领导迟报的事件" in html
    assert html.count("尚未报告") >= 2  # listed as open and as a late report


def test_overview_runs_a_fixed_number_of_queries(world, client, year_data):
    client.force_login(world.director)
    url = reverse("safety:overview")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        IncidentFactory(hall=world.hall_b)
        ClosingCheckFactory(hall=world.hall_b, date=timezone.localdate() - timedelta(days=_ + 1))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)


def test_overview_counts_all_open_incidents_but_lists_only_the_newest(world, client, monkeypatch):
    import safety.views.overview

    monkeypatch.setattr(safety.views.overview, "OVERVIEW_LIST_LIMIT", 2)
    for _ in range(3):
        IncidentFactory(hall=world.hall_a)
    client.force_login(world.director)
    html = client.get(reverse("safety:overview")).content.decode()
    assert 'data-testid="open-count">3<' in html
    assert "这里只显示最新的 2 起" in html
