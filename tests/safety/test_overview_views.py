"""The director's safety overview page."""

import re
from datetime import timedelta
from html import unescape

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safety.models import Incident
from tests.safety.factories import ClosingCheckFactory, IncidentFactory


def _rows_under(html, heading):
    """The cell texts of the table that follows the <h2> starting with `heading`."""
    table = html.split(f"<h2>{heading}")[1].split("<table")[1].split("</table>")[0]
    return [
        [" ".join(unescape(re.sub(r"<[^>]+>", "", cell)).split()) for cell in cells]
        for cells in (
            re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
            for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)
        )
    ]


def test_overview_shows_open_incidents_and_late_reports(world, client, year_data, settings):
    settings.SAFETY_LEADERSHIP_DELAY_MINUTES = 0
    incident = Incident.objects.get()
    client.force_login(world.director)
    html = client.get(reverse("safety:overview")).content.decode()
    row = [
        timezone.localtime(incident.occurred_at).strftime("%Y-%m-%d %H:%M"),
        "龙泉",
        "重大纠纷",
        "已报告",
        "尚未报告（已过 2 分钟） ⚠ 逾期",
    ]
    assert _rows_under(html, "未结案事件") == [row]
    assert _rows_under(html, "向领导迟报的事件") == [row]


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
    hint = html.split('data-testid="open-count">3</span></h2>')[1].split('<p class="hint">')[1]
    assert hint.split(" <a")[0] == "这里只显示最新的 2 起，全部请看事件列表。"
    assert len(_rows_under(html, "未结案事件")) == 2
