import contextlib
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from staff.models import LeaveRequest, LeaveStatus
from staff.services import leave as leave_module
from staff.services.leave import leave_decide, leave_request
from staff.services.rosters import roster_set_cells

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="real concurrent writers need PostgreSQL"
    ),
]


def test_two_approvals_at_once_cannot_both_take_the_last_cashiers(
    world, shifts, next_monday, monkeypatch
):
    """The morning needs one cashier; both cashiers ask for the day off and the lead and the
    director approve at the same moment. The hall lock makes the second see the first."""
    roster_set_cells(
        actor=world.shift_lead,
        hall=world.hall_a,
        cells={
            (world.shift_lead.employee.pk, next_monday): "全",
            (world.cashier.employee.pk, next_monday): "早",
            (world.cashier2.employee.pk, next_monday): "早",
        },
    )
    first = leave_request(
        actor=world.cashier, leave_type="annual", start=next_monday, end=next_monday
    )
    second = leave_request(
        actor=world.cashier2, leave_type="annual", start=next_monday, end=next_monday
    )
    barrier = threading.Barrier(2)
    errors = []
    # Each approval waits (up to a second) after its staffing check for the other to check
    # too: without the hall lock both would see the other cashier still on shift.
    checked = threading.Barrier(2)
    real_check = leave_module.staffing_shortfalls

    def slow_check(leave):
        result = real_check(leave)
        with contextlib.suppress(threading.BrokenBarrierError):
            checked.wait(timeout=1)
        return result

    monkeypatch.setattr(leave_module, "staffing_shortfalls", slow_check)

    def approve(actor, leave):
        try:
            barrier.wait()
            leave_decide(actor=actor, leave=leave, approve=True)
        except ValidationError as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=approve, args=(world.shift_lead, first)),
        threading.Thread(target=approve, args=(world.director, second)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = sorted(LeaveRequest.objects.values_list("status", flat=True))
    assert statuses == [LeaveStatus.APPROVED, LeaveStatus.PENDING]
    assert len(errors) == 1


def test_two_reports_of_one_month_at_once_give_one_report_and_a_chinese_message(world, monkeypatch):
    """Without the hall lock both see no report yet and the second hits the unique constraint
    (a server error); with it the second waits and is told the month is reported."""
    import datetime

    from django.utils import timezone

    from staff.models import AttendanceReport
    from staff.services import attendance as attendance_month

    last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    checked = threading.Barrier(2)
    real_summary = attendance_month.month_summary

    def slow_summary(*args, **kwargs):
        with contextlib.suppress(threading.BrokenBarrierError):
            checked.wait(timeout=1)
        return real_summary(*args, **kwargs)

    monkeypatch.setattr(attendance_month, "month_summary", slow_summary)
    errors = []

    def report(actor):
        try:
            attendance_month.attendance_report_month(
                actor=actor, hall=world.hall_a, month=last_month
            )
        except ValidationError as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=report, args=(u,)) for u in (world.office, world.director)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert AttendanceReport.objects.count() == 1
    assert len(errors) == 1
    assert errors[0].messages == [f"龙泉 {last_month:%Y-%m} 的考勤已经上报。"]


def test_two_leads_adding_one_shift_code_at_once_get_one_shift_type(world, monkeypatch):
    """Both see no 夜 yet; without the hall lock the second insert hits the unique code and was
    reported as "the shift must end after it starts"."""
    import datetime

    from staff.models import ShiftType
    from staff.services import rosters as roster_admin

    checked = threading.Barrier(2)
    real_audit = roster_admin.audit_record

    def slow_audit(**kwargs):
        with contextlib.suppress(threading.BrokenBarrierError):
            checked.wait(timeout=1)
        return real_audit(**kwargs)

    monkeypatch.setattr(roster_admin, "audit_record", slow_audit)
    data = {
        "code": "夜",
        "name": "夜班",
        "start": datetime.time(17),
        "end": datetime.time(21),
        "sort_order": 3,
    }
    errors = []

    def save(actor):
        try:
            roster_admin.shift_type_save(actor=actor, hall=world.hall_a, data=dict(data))
        except ValidationError as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(u,)) for u in (world.shift_lead, world.director)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert ShiftType.objects.filter(hall=world.hall_a, code="夜").count() == 1


def test_grid_edit_waiting_on_an_approval_is_refused_once_the_leave_is_approved(
    world, shifts, next_monday, monkeypatch
):
    """The lead saves the grid while the director approves the cashier's leave of that day:
    the save waits for the approval and then refuses to overwrite the leave's day, so the
    approved leave and the roster never disagree."""
    roster_set_cells(
        actor=world.shift_lead,
        hall=world.hall_a,
        cells={
            (world.shift_lead.employee.pk, next_monday): "全",
            (world.cashier.employee.pk, next_monday): "全",
            (world.cashier2.employee.pk, next_monday): "早",
        },
    )
    leave = leave_request(
        actor=world.cashier2, leave_type="annual", start=next_monday, end=next_monday
    )
    approving = threading.Event()
    real_check = leave_module.staffing_shortfalls

    def slow_check(leave):
        approving.set()  # the approval holds the hall's lock from here on
        threading.Event().wait(0.3)
        return real_check(leave)

    monkeypatch.setattr(leave_module, "staffing_shortfalls", slow_check)
    errors = []

    def approve():
        try:
            leave_decide(actor=world.director, leave=leave, approve=True)
        finally:
            connection.close()

    def edit():
        try:
            approving.wait(timeout=5)
            roster_set_cells(
                actor=world.shift_lead,
                hall=world.hall_a,
                cells={(world.cashier2.employee.pk, next_monday): "午"},
            )
        except ValidationError as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve), threading.Thread(target=edit)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    from staff.models import RosterEntry

    assert LeaveRequest.objects.get(pk=leave.pk).status == LeaveStatus.APPROVED
    entry = RosterEntry.objects.get(employee=world.cashier2.employee, date=next_monday)
    assert (entry.kind, entry.leave_type) == ("leave", "annual")
    assert len(errors) == 1 and "撤销" in errors[0].messages[0]
