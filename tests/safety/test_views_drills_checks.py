import csv
import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from safety.models import AlarmDrill, ClosingCheck
from tests.safety.factories import AlarmDrillFactory, ClosingCheckFactory, IncidentFactory


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


def test_lead_records_the_drill_and_a_second_one_for_the_month_is_refused(
    world, client, last_month
):
    year, month = last_month
    client.force_login(world.shift_lead)
    data = {
        "hall": world.hall_a.pk,
        "year": year,
        "month": month,
        "held_at": f"{year}-{month:02d}-26T16:00",
        "run_by": world.shift_lead.employee.pk,
        "alarm_worked": "on",
        "response_seconds": 42,
        "problems": "二号窗口按钮松动",
    }
    response = client.post(reverse("safety:drill_record"), data)
    drill = AlarmDrill.objects.get()
    assert response.url == reverse("safety:drill_detail", args=[drill.pk])

    response = client.post(
        reverse("safety:drill_record"), {**data, "held_at": f"{year}-{month:02d}-27T16:00"}
    )
    assert response.status_code == 200
    assert "已经登记过了" in response.content.decode()
    assert AlarmDrill.objects.count() == 1


def test_drill_problem_becomes_a_corrective_action(world, client, last_month):
    year, month = last_month
    drill = AlarmDrillFactory(
        hall=world.hall_a, year=year, month=month, problems="按钮松动\n线路老化"
    )
    client.force_login(world.shift_lead)
    html = client.get(
        reverse("safety:drill_detail", args=[drill.pk]) + "?problem=1"
    ).content.decode()
    assert 'value="线路老化"' in html
    client.post(
        reverse("safety:drill_action", args=[drill.pk]),
        {
            "action-description": "线路老化",
            "action-owner": world.shift_lead.employee.pk,
            "action-due_date": (timezone.localdate() + timedelta(days=5)).isoformat(),
        },
    )
    assert drill.actions.get().description == "线路老化"


def test_yearly_table_shows_done_late_and_missed_and_explains_them(world, client, settings):
    settings.SAFETY_DRILL_GRACE_DAYS = 3
    AlarmDrillFactory(
        hall=world.hall_a,
        year=2025,
        month=1,
        held_at=timezone.make_aware(timezone.datetime(2025, 1, 28, 16)),
    )
    AlarmDrillFactory(
        hall=world.hall_a,
        year=2025,
        month=2,
        held_at=timezone.make_aware(timezone.datetime(2025, 3, 2, 16)),
    )
    client.force_login(world.director)
    html = client.get(reverse("safety:drill_year") + "?year=2025").content.decode()
    table = html.split('data-testid="drill-table"')[1]
    row_a = table.split("龙泉")[1].split("</tr>")[0]
    assert row_a.count("drill-done") == 1
    assert row_a.count("drill-late") == 1
    assert row_a.count("drill-missed") == 10
    assert "3 天内补做" in html


def test_drill_table_runs_a_fixed_number_of_queries(world, client):
    client.force_login(world.director)
    url = reverse("safety:drill_year") + "?year=2025"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for month in range(1, 9):
        AlarmDrillFactory(
            hall=world.hall_b,
            year=2025,
            month=month,
            held_at=timezone.make_aware(timezone.datetime(2025, month, 20, 16)),
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)


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


def test_lead_records_a_closing_check(world, client):
    client.force_login(world.lobby_manager)
    response = client.post(
        reverse("safety:closing_record"),
        {
            "hall": world.hall_a.pk,
            "date": timezone.localdate().isoformat(),
            "computers_off": "on",
            "air_conditioning_off": "on",
            "power_off": "on",
            "doors_windows_shut": "on",
            "cash_in_safe": "on",
        },
    )
    assert response.status_code == 302
    check = ClosingCheck.objects.get()
    assert check.checked_by == world.lobby_manager.employee
    html = client.get(reverse("safety:closing_month")).content.decode()
    assert world.lobby_manager.employee.name in html


def test_closing_check_for_another_hall_is_not_a_choice(world, client):
    client.force_login(world.shift_lead)
    response = client.post(
        reverse("safety:closing_record"),
        {"hall": world.hall_b.pk, "date": timezone.localdate().isoformat(), "computers_off": "on"},
    )
    assert response.status_code == 200
    assert ClosingCheck.objects.count() == 0


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


@pytest.fixture
def year_data(world):
    today = timezone.localdate()
    ClosingCheckFactory(hall=world.hall_a, date=today.replace(day=1))
    # Two minutes ago and not yet reported to leadership: open, and late once the limit is 0.
    IncidentFactory(hall=world.hall_a, occurred_at=timezone.now() - timedelta(minutes=2))
    return today.year


def test_overview_csv_has_a_bom_and_one_row_per_hall_and_month(world, client, year_data):
    client.force_login(world.director)
    response = client.get(reverse("safety:overview_export", args=["csv"]) + f"?year={year_data}")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][0] == "营业厅" and rows[0][2] == "报警演练"
    assert len(rows) == 1 + 2 * 12
    this_month = next(
        r
        for r in rows
        if r[0] == "龙泉" and r[1] == f"{year_data}-{timezone.localdate().month:02d}"
    )
    assert this_month[4] == "1"
    assert this_month[6] == "1"


def test_overview_xlsx_opens_with_both_sheets(world, client, year_data):
    client.force_login(world.director)
    response = client.get(reverse("safety:overview_export", args=["xlsx"]) + f"?year={year_data}")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["各厅逐月", "未结案事件"]
    assert book["未结案事件"].max_row == 2


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


def test_drill_form_offers_last_month_while_it_is_still_open(world, monkeypatch, settings):
    from safety.selectors.drills import default_drill_month

    settings.SAFETY_DRILL_GRACE_DAYS = 3
    halls = [world.hall_a]
    assert default_drill_month(halls, date(2026, 6, 2)) == (2026, 5)
    AlarmDrillFactory(
        hall=world.hall_a,
        year=2026,
        month=5,
        held_at=timezone.make_aware(timezone.datetime(2026, 5, 28, 16)),
    )
    assert default_drill_month(halls, date(2026, 6, 2)) == (2026, 6)
    assert default_drill_month(halls, date(2026, 6, 10)) == (2026, 6)


def test_overview_counts_all_open_incidents_but_lists_only_the_newest(world, client, monkeypatch):
    import safety.views.overview

    monkeypatch.setattr(safety.views.overview, "OVERVIEW_LIST_LIMIT", 2)
    for _ in range(3):
        IncidentFactory(hall=world.hall_a)
    client.force_login(world.director)
    html = client.get(reverse("safety:overview")).content.decode()
    assert 'data-testid="open-count">3<' in html
    assert "这里只显示最新的 2 起" in html


def test_closing_month_runs_a_fixed_number_of_queries_and_lists_newest_first(world, client):
    today = timezone.localdate()
    client.force_login(world.director)
    url = reverse("safety:closing_month")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    days = [today - timedelta(days=n) for n in range(today.day)]
    for day in days:
        ClosingCheckFactory(hall=world.hall_a, date=day)
        ClosingCheckFactory(hall=world.hall_b, date=day)
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert len(few) == len(many)
    recorded = html.split("已登记的检查")[1]
    assert (
        recorded.index(today.isoformat()) < recorded.index(days[-1].isoformat()) or len(days) == 1
    )


def _missing(today, since_day, settings=None):
    from safety.selectors.closing import closing_month
    from safety.selectors.overview import overview_year
    from staff.models import Hall

    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    halls = Hall.objects.order_by("code")
    month_rows = closing_month(halls, year, month, today)
    overview = overview_year(halls, year, today, [])
    return (
        {row.hall.code: row.missing for row in month_rows},
        {hy.hall.code: hy.months[month - 1].missing_checks for hy in overview},
    )


def test_days_before_the_first_closing_check_are_not_missing(world):
    """Before anyone recorded a check the app was not in use: those days are not missing."""
    today = timezone.localdate()
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=10)  # last month's 10th
    last_month_days = (today.replace(day=1) - first).days  # the 10th to the month's end

    assert _missing(today, first) == (
        {world.hall_a.code: 0, world.hall_b.code: 0},
        {world.hall_a.code: 0, world.hall_b.code: 0},
    ), "nothing counts before the first check"

    ClosingCheckFactory(hall=world.hall_a, date=first)
    by_month, by_overview = _missing(today, first)

    expected = {world.hall_a.code: last_month_days - 1, world.hall_b.code: last_month_days}
    assert by_month == expected
    assert by_overview == expected


def test_a_configured_start_day_wins(world, settings):
    today = timezone.localdate()
    last_month_end = today.replace(day=1) - timedelta(days=1)
    settings.SAFETY_CLOSING_CHECKS_SINCE = last_month_end.replace(day=20).isoformat()

    by_month, by_overview = _missing(today, None)

    days = last_month_end.day - 20 + 1
    assert by_month == by_overview == {world.hall_a.code: days, world.hall_b.code: days}
