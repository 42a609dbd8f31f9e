"""When a day is judged (not before the shift is over) and the "not in early" flag (未提前到岗).

Every place that shows a day's status is checked across the boundary with a fixed clock: the
day status itself, the month page, the XLSX and CSV 考勤表, the home page and the day page.
"""

import csv
import datetime
import io
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from staff.models import AttendanceRecord, RosterKind, ShiftType
from staff.selectors.attendance import ABSENT, day_status, employees_for_month, month_summary
from staff.services.rosters import roster_set_cells

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Tuesday, no public holiday; the day before is rostered too.
TODAY = datetime.date(2026, 3, 10)
YESTERDAY = TODAY - datetime.timedelta(days=1)


def at(day, hour, minute=0, second=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute, second), tzinfo=SHANGHAI)


@pytest.fixture
def clock(monkeypatch):
    """`clock(moment)` fixes django.utils.timezone.now (and so localdate) at `moment`."""

    def _set(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return _set


def shift(start, end):
    """An unsaved shift type in a roster entry: day_status reads only these fields."""
    return SimpleNamespace(
        kind=RosterKind.SHIFT, shift_type=ShiftType(start=start, end=end), leave_type=""
    )


def record(day, clock_in, clock_out=None):
    return AttendanceRecord(date=day, clock_in=clock_in, clock_out=clock_out)


FULL = [shift(datetime.time(8), datetime.time(17, 30))]


# --- The rule, on the status itself --------------------------------------------------------


def test_rostered_day_without_clock_in_is_not_absent_until_the_shift_plus_grace_is_over(
    settings,
):
    settings.ATTENDANCE_GRACE_MINUTES = 5
    during = day_status(TODAY, FULL, None, at(TODAY, 10))
    just_before = day_status(TODAY, FULL, None, at(TODAY, 17, 34, 59))
    over = day_status(TODAY, FULL, None, at(TODAY, 17, 35))

    assert (during.code, during.absent, during.pending) == ("", False, True)
    assert (just_before.code, just_before.absent, just_before.pending) == ("", False, True)
    assert during.judged_at == at(TODAY, 17, 35)
    assert (over.code, over.absent, over.pending) == (ABSENT, True, False)


def test_missing_clock_out_is_not_an_early_leave_until_the_shift_is_over(settings):
    settings.ATTENDANCE_GRACE_MINUTES = 5
    at_work = record(TODAY, at(TODAY, 7, 50))

    during = day_status(TODAY, FULL, at_work, at(TODAY, 17, 31))
    over = day_status(TODAY, FULL, at_work, at(TODAY, 17, 35))

    assert (during.code, during.early_leave, during.pending) == ("√", False, True)
    assert (over.code, over.early_leave, over.pending) == ("退", True, False)


def test_a_shift_ending_just_before_midnight_is_judged_when_the_day_is_over(settings):
    settings.ATTENDANCE_GRACE_MINUTES = 30
    late_shift = [shift(datetime.time(18), datetime.time(23, 50))]
    tomorrow = TODAY + datetime.timedelta(days=1)

    assert day_status(TODAY, late_shift, None, at(TODAY, 23, 59)).code == ""
    assert day_status(TODAY, late_shift, None, at(tomorrow, 0)).code == ABSENT


@pytest.mark.parametrize(
    ("arrival", "not_early", "late_minutes"),
    [
        ((7, 50, 0), False, 0),
        ((7, 55, 0), False, 0),  # exactly five minutes before: in time
        ((7, 55, 1), True, 0),
        ((8, 0, 0), True, 0),
        ((8, 5, 0), True, 0),  # within the grace period: not late, but not early either
        ((8, 5, 1), False, 6),  # late, which is its own status
    ],
)
def test_arrival_after_five_minutes_before_the_start_is_not_early(
    settings, arrival, not_early, late_minutes
):
    settings.ATTENDANCE_GRACE_MINUTES = 5
    settings.ATTENDANCE_EARLY_ARRIVAL_MINUTES = 5
    day = record(TODAY, at(TODAY, *arrival), at(TODAY, 17, 30))

    status = day_status(TODAY, FULL, day, at(TODAY, 23))

    assert (status.not_early, status.late_minutes) == (not_early, late_minutes)
    assert status.code == ("迟" if late_minutes else "√")


def test_early_arrival_minutes_come_from_the_setting(settings):
    settings.ATTENDANCE_EARLY_ARRIVAL_MINUTES = 10
    day = record(TODAY, at(TODAY, 7, 52), at(TODAY, 17, 30))

    status = day_status(TODAY, FULL, day, at(TODAY, 23))

    assert status.not_early and status.arrive_by == at(TODAY, 7, 50)


minutes_of_day = st.integers(min_value=0, max_value=24 * 60 - 1)


@hypothesis_settings(max_examples=300, deadline=None)
@given(
    start=st.integers(min_value=0, max_value=22 * 60),
    length=st.integers(min_value=1, max_value=12 * 60),
    grace_minutes=st.integers(min_value=0, max_value=30),
    early_minutes=st.integers(min_value=0, max_value=15),
    arrival=st.one_of(st.none(), minutes_of_day),
    now_minutes=st.integers(min_value=0, max_value=2 * 24 * 60),
)
def test_property_no_day_is_judged_before_its_shift_is_over(
    start, length, grace_minutes, early_minutes, arrival, now_minutes
):
    end = min(start + length, 24 * 60 - 1)
    entries = [
        shift(
            datetime.time(start // 60, start % 60),
            datetime.time(end // 60, end % 60),
        )
    ]
    midnight = at(TODAY, 0)
    shift_start = midnight + datetime.timedelta(minutes=start)
    over_at = min(
        midnight + datetime.timedelta(minutes=end + grace_minutes),
        midnight + datetime.timedelta(days=1),
    )
    now = midnight + datetime.timedelta(minutes=now_minutes)
    grace = datetime.timedelta(minutes=grace_minutes)
    early = datetime.timedelta(minutes=early_minutes)
    clock_in = None if arrival is None else midnight + datetime.timedelta(minutes=arrival)
    day = None if clock_in is None else record(TODAY, clock_in)

    status = day_status(TODAY, entries, day, now, grace_period=grace, early_period=early)

    assert status.pending == (now < over_at)
    if now < over_at:
        assert not status.absent and not status.early_leave
    else:
        assert status.absent == (clock_in is None)
        assert status.early_leave == (clock_in is not None)  # nobody clocked out
    if clock_in is not None:
        assert status.late == (clock_in > shift_start + grace)
        assert status.not_early == (shift_start - early < clock_in <= shift_start + grace)
        assert not (status.late and status.not_early)


# --- Every place that shows it, across the boundary ----------------------------------------


@pytest.fixture
def today_rostered(db, world, shifts, clock):
    """The cashier: 全 (08:00-17:30) yesterday and today, at work neither day, the clock at
    10:00 today; cashier2: 全 today, in at 07:58 (not five minutes early)."""
    clock(at(TODAY, 10))
    cashier, cashier2 = world.cashier.employee, world.cashier2.employee
    roster_set_cells(
        actor=world.director,
        hall=world.hall_a,
        cells={
            (cashier.pk, YESTERDAY): "全",
            (cashier.pk, TODAY): "全",
            (cashier2.pk, TODAY): "全",
        },
    )
    AttendanceRecord.objects.create(
        employee=cashier2, hall=world.hall_a, date=TODAY, clock_in=at(TODAY, 7, 58)
    )
    return world


def _row(world, user):
    people = employees_for_month([world.hall_a.pk], TODAY)
    summary = month_summary(people, TODAY, [world.hall_a.pk])
    return next(r for r in summary.rows if r.employee == user.employee)


def _cells(html, user):
    """The day cells of one person's row on the month page, in order."""
    row = html.split(f"{user.employee.name}</th>", 1)[1].split("</tr>", 1)[0]
    return [cell.split("</td>")[0] for cell in row.split("<td")[1:]]


def test_month_summary_does_not_count_today_absent_while_the_shift_runs(today_rostered, clock):
    world = today_rostered
    row = _row(world, world.cashier)
    assert row.codes[YESTERDAY.day - 1] == "旷"
    assert row.codes[TODAY.day - 1] == ""
    assert row.totals["absent"] == 1

    clock(at(TODAY, 17, 35))
    row = _row(world, world.cashier)
    assert row.codes[TODAY.day - 1] == "旷"
    assert row.totals["absent"] == 2


def test_month_page_shows_today_as_not_judged_yet(today_rostered, client, clock):
    world = today_rostered
    client.force_login(world.office)
    url = f"{reverse('staff:attendance_month')}?month=2026-03&hall={world.hall_a.pk}"

    cells = _cells(client.get(url).content.decode(), world.cashier)
    assert "旷</a>" in cells[YESTERDAY.day - 1]
    assert "·</a>" in cells[TODAY.day - 1] and "尚未判定" in cells[TODAY.day - 1]

    clock(at(TODAY, 17, 35))
    client.force_login(world.office)  # the frozen clock moved past the idle period
    cells = _cells(client.get(url).content.decode(), world.cashier)
    assert "旷</a>" in cells[TODAY.day - 1]


def _export(client, world, fmt):
    url = reverse("staff:attendance_export", kwargs={"fmt": fmt})
    return client.get(f"{url}?month=2026-03&hall={world.hall_a.pk}")


def _xlsx_row(response, user):
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[3]]
    rows = {row[2]: row for row in sheet.iter_rows(min_row=5, values_only=True) if row[2]}
    return header, rows[user.employee.name]


def _csv_row(response, user):
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = next(row for row in rows if row[:2] == ["序号", "工号"])
    return header, next(row for row in rows if len(row) > 2 and row[2] == user.employee.name)


def test_exports_leave_today_unjudged_until_the_shift_is_over(today_rostered, client, clock):
    world = today_rostered
    client.force_login(world.office)
    today_column = 4 + TODAY.day - 1

    header, row = _xlsx_row(_export(client, world, "xlsx"), world.cashier)
    assert row[today_column] in ("", None)
    assert row[header.index("旷工天数")] == 1
    header, row = _csv_row(_export(client, world, "csv"), world.cashier)
    assert row[today_column] == ""
    assert row[header.index("旷工天数")] == "1"

    clock(at(TODAY, 17, 35))
    client.force_login(world.office)
    header, row = _xlsx_row(_export(client, world, "xlsx"), world.cashier)
    assert row[today_column] == "旷"
    assert row[header.index("旷工天数")] == 2
    header, row = _csv_row(_export(client, world, "csv"), world.cashier)
    assert row[today_column] == "旷"
    assert row[header.index("旷工天数")] == "2"


def test_home_page_does_not_call_the_cashier_absent_during_the_shift(today_rostered, client, clock):
    world = today_rostered

    def clock_card():
        client.force_login(world.cashier)
        html = client.get(reverse("staff:home")).content.decode()
        return html.split('data-testid="clock-card"', 1)[1].split("</div>", 1)[0]

    assert "旷" not in clock_card()
    clock(at(TODAY, 17, 35))
    assert "旷" in clock_card()


def test_day_page_says_not_judged_yet_and_when_it_will_be(today_rostered, client, clock):
    world = today_rostered
    client.force_login(world.shift_lead)
    url = reverse(
        "staff:attendance_day", kwargs={"employee_id": world.cashier.employee.pk, "day": TODAY}
    )

    html = client.get(url).content.decode()
    status = html.split('data-testid="day-status">', 1)[1].split("</dd>", 1)[0]
    assert "尚未判定" in status and "17:35" in status and "旷" not in status

    clock(at(TODAY, 17, 35))
    client.force_login(world.shift_lead)
    html = client.get(url).content.decode()
    status = html.split('data-testid="day-status">', 1)[1].split("</dd>", 1)[0]
    assert "旷" in status and "尚未判定" not in status


# --- Not in early: day page, month column, exports -----------------------------------------


def test_day_page_shows_not_in_early_with_the_time_due(today_rostered, client):
    world = today_rostered
    client.force_login(world.shift_lead)
    url = reverse(
        "staff:attendance_day", kwargs={"employee_id": world.cashier2.employee.pk, "day": TODAY}
    )

    html = client.get(url).content.decode()

    assert "未提前到岗：应在07:55前到岗" in html


def test_home_page_tells_the_cashier_they_were_not_in_early(today_rostered, client):
    world = today_rostered
    client.force_login(world.cashier2)
    html = client.get(reverse("staff:home")).content.decode()
    status = html.split('data-testid="today-status">', 1)[1].split("</p>", 1)[0]
    assert "√" in status and "未提前到岗" in status


def test_month_page_counts_not_in_early_in_a_column_and_marks_the_day(today_rostered, client):
    world = today_rostered
    client.force_login(world.office)
    url = f"{reverse('staff:attendance_month')}?month=2026-03&hall={world.hall_a.pk}"

    html = client.get(url).content.decode()

    header = html.split("<thead>", 1)[1].split("</thead>", 1)[0]
    labels = [th.split(">", 1)[1].split("</th>")[0] for th in header.split("<th")[1:]]
    assert "未提前到岗" in labels
    cells = _cells(html, world.cashier2)
    assert "√</a>" in cells[TODAY.day - 1] and 'class="not-early"' in cells[TODAY.day - 1]
    # The header's first cell heads the names; the others line up with the row's cells.
    assert cells[labels.index("未提前到岗") - 1].endswith(">1")
    assert 'class="not-early"' not in "".join(_cells(html, world.cashier))


def test_exports_have_a_not_in_early_column(today_rostered, client):
    world = today_rostered
    client.force_login(world.office)

    header, row = _xlsx_row(_export(client, world, "xlsx"), world.cashier2)
    assert row[header.index("未提前到岗")] == 1
    assert row[4 + TODAY.day - 1] == "√"
    header, row = _csv_row(_export(client, world, "csv"), world.cashier2)
    assert row[header.index("未提前到岗")] == "1"
    header, row = _csv_row(_export(client, world, "csv"), world.cashier)
    assert row[header.index("未提前到岗")] == "0"
