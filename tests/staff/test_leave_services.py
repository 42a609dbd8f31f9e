import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from staff.models import AttendanceRecord, LeaveRequest, LeaveStatus, RosterEntry
from staff.selectors.rosters import roster_grid
from staff.services.attendance import attendance_report_month
from staff.services.leave import leave_cancel, leave_decide, leave_request
from staff.services.rosters import roster_set_cells

pytestmark = pytest.mark.django_db


@pytest.fixture
def staffed(world, shifts, next_monday):
    """Next Monday: the lead on full day, both cashiers on the morning, cashier also afternoon."""
    roster_set_cells(
        actor=world.shift_lead,
        hall=world.hall_a,
        cells={
            (world.shift_lead.employee.pk, next_monday): "全",
            (world.cashier.employee.pk, next_monday): "全",
            (world.cashier2.employee.pk, next_monday): "早",
            (world.cashier2.employee.pk, next_monday + datetime.timedelta(days=1)): "休",
        },
    )
    return next_monday


def test_lead_approves_and_the_roster_shows_leave(world, staffed):
    leave = leave_request(
        actor=world.cashier2,
        leave_type="personal",
        start=staffed,
        end=staffed + datetime.timedelta(days=1),
        reason="家中有事",
    )

    leave_decide(actor=world.shift_lead, leave=leave, approve=True)

    leave.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED
    grid = roster_grid(world.hall_a, staffed, staffed + datetime.timedelta(days=1))
    assert grid.code(world.cashier2.employee.pk, staffed) == "事"
    # A rostered rest day inside the leave stays a rest day.
    assert grid.code(world.cashier2.employee.pk, staffed + datetime.timedelta(days=1)) == "休"


def test_approval_below_minimum_needs_an_override_reason(world, staffed):
    leave = leave_request(actor=world.cashier, leave_type="sick", start=staffed, end=staffed)

    with pytest.raises(ValidationError) as error:
        leave_decide(actor=world.shift_lead, leave=leave, approve=True)
    assert "午班" in str(error.value)
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.PENDING
    assert RosterEntry.objects.get(employee=world.cashier.employee, date=staffed).kind == "shift"

    leave_decide(actor=world.shift_lead, leave=leave, approve=True, override_reason="临时借调")
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED and leave.override_reason == "临时借调"


def test_lead_and_lobby_manager_leave_is_decided_by_a_director(world, staffed):
    leave = leave_request(
        actor=world.lobby_manager, leave_type="annual", start=staffed, end=staffed
    )
    with pytest.raises(ValidationError):
        leave_decide(actor=world.shift_lead, leave=leave, approve=True)
    leave_decide(actor=world.director, leave=leave, approve=True)
    assert LeaveRequest.objects.get(pk=leave.pk).status == LeaveStatus.APPROVED


def test_other_hall_lead_and_cashiers_cannot_decide(world, staffed):
    leave = leave_request(actor=world.cashier2, leave_type="annual", start=staffed, end=staffed)
    for actor in (world.other_lead, world.cashier, world.office):
        with pytest.raises(ValidationError):
            leave_decide(actor=actor, leave=leave, approve=True)


def test_reject_and_cancel(world, staffed):
    leave = leave_request(actor=world.cashier2, leave_type="annual", start=staffed, end=staffed)
    leave_decide(actor=world.shift_lead, leave=leave, approve=False, note="旺季")
    assert LeaveRequest.objects.get(pk=leave.pk).status == LeaveStatus.REJECTED
    other = leave_request(actor=world.cashier2, leave_type="annual", start=staffed, end=staffed)
    leave_cancel(actor=world.cashier2, leave=other)
    assert LeaveRequest.objects.get(pk=other.pk).status == LeaveStatus.CANCELLED


def test_overlapping_request_is_refused(world, staffed):
    leave_request(actor=world.cashier2, leave_type="annual", start=staffed, end=staffed)
    with pytest.raises(ValidationError):
        leave_request(
            actor=world.cashier2,
            leave_type="sick",
            start=staffed - datetime.timedelta(days=1),
            end=staffed,
        )


def test_leave_for_a_reported_month_is_refused(world):
    month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    attendance_report_month(actor=world.office, hall=world.hall_a, month=month)
    with pytest.raises(ValidationError) as error:
        leave_request(actor=world.cashier, leave_type="sick", start=month, end=month)
    assert error.value.messages == [f"{month:%Y-%m} 的考勤已上报锁定，不能再为其请假。"]
    assert not LeaveRequest.objects.exists()


def test_compensatory_leave_spends_the_balance(world, shifts, staffed):
    worked = datetime.date(2025, 3, 3)
    roster_set_cells(
        actor=world.director, hall=world.hall_a, cells={(world.cashier2.employee.pk, worked): "休"}
    )
    AttendanceRecord.objects.create(
        employee=world.cashier2.employee,
        hall=world.hall_a,
        date=worked,
        clock_in=datetime.datetime(2025, 3, 3, 8, tzinfo=datetime.UTC),
    )

    with pytest.raises(ValidationError):
        leave_request(
            actor=world.cashier2,
            leave_type="compensatory",
            start=staffed,
            end=staffed + datetime.timedelta(days=1),
        )
    leave = leave_request(
        actor=world.cashier2, leave_type="compensatory", start=staffed, end=staffed
    )
    leave_decide(actor=world.shift_lead, leave=leave, approve=True)
    with pytest.raises(ValidationError):
        leave_request(
            actor=world.cashier2,
            leave_type="compensatory",
            start=staffed + datetime.timedelta(days=3),
            end=staffed + datetime.timedelta(days=3),
        )
