import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from staff.core.audit import history_for
from staff.models import AttendanceRecord
from staff.selectors.attendance import (
    compensatory_balance,
    day_status,
    employees_for_month,
    month_summary,
)
from staff.services.attendance import attendance_clock, attendance_correct, attendance_report_month
from staff.services.rosters import roster_set_cells

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHANGHAI)


@pytest.fixture
def last_month():
    return (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def plan(world, day, code, user=None):
    roster_set_cells(
        actor=world.director,
        hall=world.hall_a,
        cells={((user or world.cashier).employee.pk, day): code},
    )


def record(user, day, clock_in, clock_out=None):
    return AttendanceRecord.objects.create(
        employee=user.employee,
        hall=user.employee.hall,
        date=day,
        clock_in=clock_in,
        clock_out=clock_out,
    )


def status_of(world, day, now):
    from staff.models import RosterEntry

    entries = list(RosterEntry.objects.filter(employee=world.cashier.employee, date=day))
    rec = AttendanceRecord.objects.filter(employee=world.cashier.employee, date=day).first()
    return day_status(day, entries, rec, now)


def test_derived_status_on_time_late_early_absent(world, shifts, last_month, settings):
    settings.ATTENDANCE_GRACE_MINUTES = 5
    d = [last_month + datetime.timedelta(days=n) for n in range(6)]
    for day in d[:4]:
        plan(world, day, "全")
    plan(world, d[4], "休")
    plan(world, d[5], "事")
    record(world.cashier, d[0], at(d[0], 8, 4), at(d[0], 17, 31))
    record(world.cashier, d[1], at(d[1], 8, 17), at(d[1], 17, 30))
    record(world.cashier, d[2], at(d[2], 7, 50), at(d[2], 16, 0))
    later = at(d[5], 23)

    assert status_of(world, d[0], later).code == "√"
    late = status_of(world, d[1], later)
    assert (late.code, late.late_minutes) == ("迟", 17)
    assert status_of(world, d[2], later).code == "退"
    assert status_of(world, d[3], later).code == "旷"
    assert status_of(world, d[4], later).code == "休"
    assert status_of(world, d[5], later).code == "事"


def test_status_is_not_absent_before_the_shift_is_over(world, shifts, last_month, settings):
    settings.ATTENDANCE_GRACE_MINUTES = 5
    plan(world, last_month, "午")  # 12:30-17:30
    assert status_of(world, last_month, at(last_month, 12, 30)).code == ""
    assert status_of(world, last_month, at(last_month, 12, 36)).code == ""
    assert status_of(world, last_month, at(last_month, 17, 34)).code == ""
    assert status_of(world, last_month, at(last_month, 17, 35)).code == "旷"


def test_clock_in_then_out_records_server_time_and_address(world):
    first = attendance_clock(actor=world.cashier, address="10.0.0.7")
    second = attendance_clock(actor=world.cashier, address="10.0.0.8")

    assert first.pk == second.pk
    second.refresh_from_db()
    assert second.clock_in_address == "10.0.0.7"
    assert second.clock_out_address == "10.0.0.8"
    assert second.clock_out >= second.clock_in
    with pytest.raises(ValidationError):
        attendance_clock(actor=world.cashier, address="10.0.0.8")


def test_center_wide_staff_do_not_clock_in(world):
    with pytest.raises(ValidationError):
        attendance_clock(actor=world.office, address="10.0.0.1")


def test_lead_corrects_with_reason_and_history_stays(world, last_month):
    day = last_month
    record(world.cashier, day, at(day, 9))

    attendance_correct(
        actor=world.shift_lead,
        employee=world.cashier.employee,
        day=day,
        clock_in=at(day, 8),
        clock_out=at(day, 17, 30),
        reason="打卡机故障",
    )

    rec = AttendanceRecord.objects.get(employee=world.cashier.employee, date=day)
    assert rec.corrected and rec.clock_in == at(day, 8)
    entry = history_for(rec).get()
    assert "打卡机故障" in entry.summary
    assert entry.changes["before"]["clock_in"].startswith(str(day))


def test_clock_out_before_clock_in_is_refused(world, last_month):
    with pytest.raises(ValidationError):
        attendance_correct(
            actor=world.shift_lead,
            employee=world.cashier.employee,
            day=last_month,
            clock_in=at(last_month, 17),
            clock_out=at(last_month, 8),
            reason="补录",
        )
    assert not AttendanceRecord.objects.exists()


def test_correction_needs_reason_and_the_right_person(world, last_month):
    kwargs = {
        "employee": world.cashier.employee,
        "day": last_month,
        "clock_in": at(last_month, 8),
        "clock_out": None,
    }
    with pytest.raises(ValidationError):
        attendance_correct(actor=world.shift_lead, reason=" ", **kwargs)
    for outsider in (world.other_lead, world.cashier2, world.office):
        with pytest.raises(ValidationError):
            attendance_correct(actor=outsider, reason="x", **kwargs)


def test_reported_month_is_locked_and_director_correction_shows_as_change(
    world, shifts, last_month
):
    day = last_month
    plan(world, day, "全")
    record(world.cashier, day, at(day, 8), at(day, 17, 30))
    attendance_report_month(actor=world.office, hall=world.hall_a, month=last_month)

    with pytest.raises(ValidationError):
        attendance_correct(
            actor=world.shift_lead,
            employee=world.cashier.employee,
            day=day,
            clock_in=at(day, 9),
            clock_out=at(day, 17, 30),
            reason="更正",
        )
    with pytest.raises(ValidationError):
        roster_set_cells(
            actor=world.shift_lead,
            hall=world.hall_a,
            cells={(world.cashier2.employee.pk, day): "休"},
        )
    attendance_correct(
        actor=world.director,
        employee=world.cashier.employee,
        day=day,
        clock_in=at(day, 9),
        clock_out=at(day, 17, 30),
        reason="核实为迟到",
    )

    people = employees_for_month([world.hall_a.pk], last_month)
    summary = month_summary(people, last_month, [world.hall_a.pk])
    row = next(r for r in summary.rows if r.employee == world.cashier.employee)
    assert summary.reported
    assert row.changed == {0: "√"}
    assert row.codes[0] == "迟"


def test_month_in_progress_cannot_be_reported(world):
    with pytest.raises(ValidationError):
        attendance_report_month(actor=world.office, hall=world.hall_a, month=timezone.localdate())
    with pytest.raises(ValidationError):
        attendance_report_month(
            actor=world.shift_lead,
            hall=world.hall_a,
            month=timezone.localdate() - datetime.timedelta(days=40),
        )


def test_month_totals(world, shifts):
    last_month = datetime.date(2025, 3, 1)  # no public holiday in its first days
    d = [last_month + datetime.timedelta(days=n) for n in range(5)]
    plan(world, d[0], "全")
    plan(world, d[1], "全")
    plan(world, d[2], "休")
    plan(world, d[3], "调")
    plan(world, d[4], "全")
    record(world.cashier, d[0], at(d[0], 8, 20), at(d[0], 17, 30))
    record(world.cashier, d[1], at(d[1], 8), at(d[1], 17, 30))
    record(world.cashier, d[2], at(d[2], 8), at(d[2], 17, 30))

    summary = month_summary([world.cashier.employee], last_month, [world.hall_a.pk])
    totals = summary.rows[0].totals

    assert totals["scheduled"] == 3
    assert totals["present"] == 3
    assert (totals["late"], totals["late_minutes"]) == (1, 20)
    assert totals["absent"] == 1
    assert totals["rest_work"] == 1
    assert totals["comp_earned"] == 1
    assert totals["comp_used"] == 1
    assert summary.rows[0].leave == {"compensatory": 1}


def test_compensatory_balance_from_rest_day_and_public_holiday_work(world, shifts):
    rest_day = datetime.date(2025, 3, 3)
    national_day = datetime.date(2025, 10, 1)
    plan(world, rest_day, "休")
    plan(world, national_day, "全")
    record(world.cashier, rest_day, at(rest_day, 8), at(rest_day, 17))
    record(world.cashier, national_day, at(national_day, 8), at(national_day, 17))
    plan(world, datetime.date(2025, 10, 9), "调")

    assert compensatory_balance(world.cashier.employee) == {"earned": 2, "used": 1, "balance": 1}


def test_reporting_several_halls_reports_the_open_ones_and_refuses_when_none_is(world):
    from staff.models import AttendanceReport
    from staff.services.attendance import attendance_report_halls

    month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    attendance_report_month(actor=world.office, hall=world.hall_a, month=month)
    reports = attendance_report_halls(
        actor=world.office, halls=[world.hall_a, world.hall_b], month=month
    )
    assert [r.hall for r in reports] == [world.hall_b]
    with pytest.raises(ValidationError):
        attendance_report_halls(actor=world.office, halls=[world.hall_a, world.hall_b], month=month)
    assert AttendanceReport.objects.count() == 2


def test_clock_out_in_the_future_is_refused(world):
    now = timezone.localtime()
    earlier, later = now - datetime.timedelta(minutes=1), now + datetime.timedelta(minutes=5)
    if not earlier.date() == now.date() == later.date():
        pytest.skip("needs a minute before and five after now on the same day")
    with pytest.raises(ValidationError, match="签退"):
        attendance_correct(
            actor=world.shift_lead,
            employee=world.cashier.employee,
            day=now.date(),
            clock_in=earlier,
            clock_out=later,
            reason="提前补录",
        )
    assert not AttendanceRecord.objects.exists()


def test_minimum_staffing_history_names_the_role_in_chinese(world, shifts):
    from staff.services.rosters import minimum_set

    minimum_set(actor=world.shift_lead, shift_type=shifts["早"], role="cashier", count=2)
    summary = history_for(shifts["早"]).first().summary
    assert "cashier" not in summary and "收费员" in summary
