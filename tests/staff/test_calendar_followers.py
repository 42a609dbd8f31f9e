"""One working calendar: a day changed on the calendar page reaches every rule that counts days.

The SLA's due dates, the attendance of the day and the month, the 调休 earned and the roster
grid all read the database calendar (staff.core.calendar), not the chinesecalendar package.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from complaints.models import FirstContactTicket
from staff.models import AttendanceRecord, WorkCalendarDay
from staff.selectors.attendance import compensatory_balance, employees_for_month, month_summary
from staff.selectors.rosters import roster_grid
from staff.services.rosters import roster_set_cells
from tests.complaints.factories import open_ticket

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
# A plain Tuesday of a confirmed year: no holiday in the package or the database.
TUESDAY = datetime.date(2026, 3, 10)
MONDAY = TUESDAY - datetime.timedelta(days=1)


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHANGHAI)


def end_of(day):
    return at(day + datetime.timedelta(days=1), 0)


@pytest.fixture
def worked_tuesday(world, shifts):
    """The cashier is rostered for the whole Tuesday and works it; a ticket came on Monday."""
    cashier = world.cashier.employee
    roster_set_cells(actor=world.shift_lead, hall=world.hall_a, cells={(cashier.pk, TUESDAY): "全"})
    AttendanceRecord.objects.create(
        employee=cashier,
        hall=world.hall_a,
        date=TUESDAY,
        clock_in=at(TUESDAY, 7, 50),
        clock_out=at(TUESDAY, 17, 40),
    )
    ticket = open_ticket(world.cashier, received_at=at(MONDAY, 10))
    return cashier, ticket


def _what_the_rules_say(world, cashier, ticket, client):
    ticket.refresh_from_db()
    month = TUESDAY.replace(day=1)
    summary = month_summary(
        employees_for_month([world.hall_a.pk], month), month, [world.hall_a.pk], now=at(TUESDAY, 23)
    )
    (row,) = [r for r in summary.rows if r.employee == cashier]
    status = row.statuses[TUESDAY.day - 1]
    grid = roster_grid(world.hall_a, MONDAY, TUESDAY + datetime.timedelta(days=5))
    client.force_login(world.shift_lead)
    page = client.get(
        reverse("staff:roster"), {"hall": world.hall_a.pk, "start": TUESDAY.isoformat()}
    ).content.decode()
    return {
        "sla_due": ticket.result_due_at,
        "holiday_work": status.holiday_work,
        "month_comp_earned": row.totals["comp_earned"],
        "month_holidays": TUESDAY in summary.holidays,
        "comp_earned": compensatory_balance(cashier)["earned"],
        "roster_marks_the_day": TUESDAY in grid.special_days,
        "roster_page_names_it": 'title="节假日：全市停水日"' in page,
    }


def test_a_weekday_made_a_holiday_moves_sla_attendance_compensatory_days_and_roster(
    world, worked_tuesday, client
):
    cashier, ticket = worked_tuesday
    before = _what_the_rules_say(world, cashier, ticket, client)

    client.force_login(world.office)
    response = client.post(
        reverse("complaints:calendar_enter"), {"lines": f"{TUESDAY:%Y-%m-%d} 休 全市停水日"}
    )
    assert response.status_code == 302
    after = _what_the_rules_say(world, cashier, ticket, client)

    # Received Monday: Tue, Wed, Thu, Fri and the next Monday were its five working days; with
    # Tuesday a holiday the fifth is the next Tuesday.
    assert before == {
        "sla_due": end_of(datetime.date(2026, 3, 16)),
        "holiday_work": False,
        "month_comp_earned": 0,
        "month_holidays": False,
        "comp_earned": 0,
        "roster_marks_the_day": False,
        "roster_page_names_it": False,
    }
    assert after == {
        "sla_due": end_of(datetime.date(2026, 3, 17)),
        "holiday_work": True,
        "month_comp_earned": 1,
        "month_holidays": True,
        "comp_earned": 1,
        "roster_marks_the_day": True,
        "roster_page_names_it": True,
    }


def test_deleting_the_holiday_again_gives_everything_back(world, worked_tuesday, client):
    cashier, ticket = worked_tuesday
    before = _what_the_rules_say(world, cashier, ticket, client)
    client.force_login(world.office)
    client.post(
        reverse("complaints:calendar_enter"), {"lines": f"{TUESDAY:%Y-%m-%d} 休 全市停水日"}
    )
    day = WorkCalendarDay.objects.get(date=TUESDAY)

    client.force_login(world.office)
    client.post(reverse("complaints:calendar_day_delete", kwargs={"pk": day.pk}))

    assert _what_the_rules_say(world, cashier, ticket, client) == before


def test_a_saturday_made_a_working_day_shortens_the_sla_and_shows_on_the_roster(
    world, shifts, client
):
    """A make-up working day (调休上班) counts for the SLA; the halls open every day anyway, so
    attendance does not change, but the lead sees it on the grid."""
    saturday = datetime.date(2026, 3, 14)
    ticket = open_ticket(world.cashier, received_at=at(datetime.date(2026, 3, 11), 10))
    assert ticket.result_due_at == end_of(datetime.date(2026, 3, 18))

    client.force_login(world.director)
    client.post(reverse("complaints:calendar_enter"), {"lines": f"{saturday:%Y-%m-%d} 班 抢修"})

    ticket = FirstContactTicket.objects.get(pk=ticket.pk)
    assert ticket.result_due_at == end_of(datetime.date(2026, 3, 17))
    grid = roster_grid(world.hall_a, saturday, saturday)
    assert grid.special_days[saturday].name == "抢修"
