"""An approved leave and the roster never disagree: its days are refused to every roster write
until the leave is withdrawn (撤销), which frees them and gives back any 调休 it used."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from staff.models import (
    AttendanceRecord,
    AuditEntry,
    LeaveRequest,
    LeaveStatus,
    RosterEntry,
)
from staff.selectors.attendance import compensatory_balance
from staff.selectors.rosters import roster_grid
from staff.services.leave import leave_decide, leave_request, leave_revoke
from staff.services.rosters import (
    roster_copy_week,
    roster_import_csv,
    roster_repeat_pattern,
    roster_set_cells,
)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _emp(user):
    return user.employee.pk


@pytest.fixture
def on_leave(world, shifts, next_monday):
    """cashier2 works Mon, rests Tue, works Wed; approved personal leave Mon–Wed."""
    roster_set_cells(
        actor=world.shift_lead,
        hall=world.hall_a,
        cells={
            (_emp(world.shift_lead), next_monday): "全",
            (_emp(world.cashier), next_monday): "全",
            (_emp(world.cashier2), next_monday): "早",
            (_emp(world.cashier2), next_monday + DAY): "休",
            (_emp(world.cashier2), next_monday + 2 * DAY): "早",
        },
    )
    leave = leave_request(
        actor=world.cashier2, leave_type="personal", start=next_monday, end=next_monday + 2 * DAY
    )
    return leave_decide(
        actor=world.shift_lead, leave=leave, approve=True, override_reason="已安排借调"
    )


def _codes(world, start, end, user):
    grid = roster_grid(world.hall_a, start, end)
    return [grid.code(_emp(user), d) for d in grid.days]


def test_grid_edit_of_an_approved_leave_day_is_refused_and_nothing_changes(
    world, on_leave, next_monday
):
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        roster_set_cells(
            actor=world.shift_lead,
            hall=world.hall_a,
            cells={
                (_emp(world.cashier), next_monday + DAY): "早",  # a valid change elsewhere
                (_emp(world.cashier2), next_monday): "早",
            },
        )

    message = " ".join(error.value.messages)
    assert "撤销" in message and world.cashier2.employee.name in message
    assert _codes(world, next_monday, next_monday + 2 * DAY, world.cashier2) == ["事", "休", "事"]
    assert not RosterEntry.objects.filter(employee=world.cashier.employee, date=next_monday + DAY)
    assert AuditEntry.objects.count() == before
    on_leave.refresh_from_db()
    assert on_leave.status == LeaveStatus.APPROVED


def test_rest_day_inside_an_approved_leave_cannot_become_a_shift_or_be_cleared(
    world, on_leave, next_monday
):
    for text in ("早", ""):
        with pytest.raises(ValidationError):
            roster_set_cells(
                actor=world.director,
                hall=world.hall_a,
                cells={(_emp(world.cashier2), next_monday + DAY): text},
            )
    assert _codes(world, next_monday + DAY, next_monday + DAY, world.cashier2) == ["休"]


def test_csv_import_onto_an_approved_leave_is_refused(world, on_leave, next_monday):
    number = world.cashier2.employee.employee_no
    upload = io.BytesIO(f"工号,日期,安排\n{number},{next_monday + 2 * DAY:%Y-%m-%d},午\n".encode())

    with pytest.raises(ValidationError) as error:
        roster_import_csv(actor=world.shift_lead, hall=world.hall_a, upload=upload)

    assert "撤销" in " ".join(error.value.messages)
    assert _codes(world, next_monday + 2 * DAY, next_monday + 2 * DAY, world.cashier2) == ["事"]


def test_copy_week_and_repeat_keep_every_day_of_an_approved_leave(world, on_leave, next_monday):
    """The week before is all 午 for cashier2: copied, it must not touch the leave's days,
    not even the rest day inside it."""
    last_week = next_monday - 7 * DAY
    roster_set_cells(
        actor=world.shift_lead,
        hall=world.hall_a,
        cells={(_emp(world.cashier2), last_week + n * DAY): "午" for n in range(7)},
    )

    roster_copy_week(actor=world.shift_lead, hall=world.hall_a, week_start=next_monday)
    codes = _codes(world, next_monday, next_monday + 6 * DAY, world.cashier2)
    assert codes == ["事", "休", "事", "午", "午", "午", "午"]

    roster_repeat_pattern(
        actor=world.shift_lead,
        hall=world.hall_a,
        pattern_start=last_week,
        pattern_end=last_week + DAY,
        until=next_monday + 6 * DAY,
    )
    assert _codes(world, next_monday, next_monday + 2 * DAY, world.cashier2) == ["事", "休", "事"]


def test_withdrawing_an_approved_leave_frees_its_cells_and_the_roster_can_change(
    world, on_leave, next_monday
):
    leave_revoke(actor=world.shift_lead, leave=on_leave, reason="单位临时需要")

    on_leave.refresh_from_db()
    assert on_leave.status == LeaveStatus.REVOKED
    # The leave days are empty again, to be planned; the rest day stays.
    assert _codes(world, next_monday, next_monday + 2 * DAY, world.cashier2) == ["", "休", ""]
    entry = AuditEntry.objects.get(action="staff.leave.revoke")
    assert entry.actor == world.shift_lead and "单位临时需要" in entry.summary
    roster_entry = AuditEntry.objects.filter(action="staff.roster.leave").first()
    assert [c["from"] for c in roster_entry.changes["cells"]] == ["事", "事"]

    assert roster_set_cells(
        actor=world.shift_lead,
        hall=world.hall_a,
        cells={(_emp(world.cashier2), next_monday): "早"},
    )
    # Withdrawn leave no longer blocks a new request for those days.
    leave_request(
        actor=world.cashier2,
        leave_type="sick",
        start=next_monday + 2 * DAY,
        end=next_monday + 2 * DAY,
    )


def test_withdrawing_from_a_later_day_shortens_the_leave(world, on_leave, next_monday):
    leave_revoke(
        actor=world.shift_lead, leave=on_leave, reason="提前返岗", from_day=next_monday + DAY
    )

    on_leave.refresh_from_db()
    assert on_leave.status == LeaveStatus.APPROVED
    assert on_leave.end == next_monday
    assert _codes(world, next_monday, next_monday + 2 * DAY, world.cashier2) == ["事", "休", ""]
    assert AuditEntry.objects.filter(action="staff.leave.shorten", object_id=on_leave.pk).exists()
    # The day still on leave stays protected.
    with pytest.raises(ValidationError):
        roster_set_cells(
            actor=world.shift_lead,
            hall=world.hall_a,
            cells={(_emp(world.cashier2), next_monday): "早"},
        )


def test_withdrawing_compensatory_leave_gives_back_the_balance(world, shifts, next_monday):
    worked = datetime.date(2025, 3, 3)
    roster_set_cells(
        actor=world.director, hall=world.hall_a, cells={(_emp(world.cashier2), worked): "休"}
    )
    AttendanceRecord.objects.create(
        employee=world.cashier2.employee,
        hall=world.hall_a,
        date=worked,
        clock_in=datetime.datetime(2025, 3, 3, 8, tzinfo=datetime.UTC),
    )
    leave = leave_request(
        actor=world.cashier2, leave_type="compensatory", start=next_monday, end=next_monday
    )
    leave_decide(actor=world.shift_lead, leave=leave, approve=True)
    assert compensatory_balance(world.cashier2.employee)["balance"] == 0

    leave_revoke(actor=world.shift_lead, leave=leave, reason="改期")

    assert compensatory_balance(world.cashier2.employee)["balance"] == 1


@pytest.mark.parametrize(
    ("actor", "reason", "from_offset", "words"),
    [
        ("cashier", "x", 0, "班长"),
        ("cashier2", "x", 0, "班长"),
        ("other_lead", "x", 0, "班长"),
        ("shift_lead", "  ", 0, "原因"),
        ("shift_lead", "x", 5, "请选择"),
    ],
)
def test_bad_withdrawals_are_refused_with_a_message_and_change_nothing(
    world, on_leave, next_monday, actor, reason, from_offset, words
):
    with pytest.raises(ValidationError) as error:
        leave_revoke(
            actor=getattr(world, actor),
            leave=on_leave,
            reason=reason,
            from_day=next_monday + from_offset * DAY,
        )
    assert words in " ".join(error.value.messages)
    on_leave.refresh_from_db()
    assert (on_leave.status, on_leave.end) == (LeaveStatus.APPROVED, next_monday + 2 * DAY)
    assert _codes(world, next_monday, next_monday + 2 * DAY, world.cashier2) == ["事", "休", "事"]
    assert not AuditEntry.objects.filter(action__startswith="staff.leave.revoke").exists()


def test_only_an_approved_leave_can_be_withdrawn(world, on_leave, next_monday):
    pending = leave_request(
        actor=world.cashier,
        leave_type="annual",
        start=next_monday + 5 * DAY,
        end=next_monday + 5 * DAY,
    )
    with pytest.raises(ValidationError) as error:
        leave_revoke(actor=world.shift_lead, leave=pending, reason="x")
    assert "已批准" in " ".join(error.value.messages)
    assert LeaveRequest.objects.get(pk=pending.pk).status == LeaveStatus.PENDING


def _approved_leave(world, start, end, leave_type="personal"):
    """cashier2 rostered 早 from `start` to `end`, then on an approved leave for those days."""
    day, cells = start, {}
    while day <= end:
        cells[(_emp(world.cashier2), day)] = "早"
        day += DAY
    roster_set_cells(actor=world.director, hall=world.hall_a, cells=cells)
    leave = LeaveRequest.objects.create(
        employee=world.cashier2.employee, leave_type=leave_type, start=start, end=end
    )
    return leave_decide(actor=world.director, leave=leave, approve=True, override_reason="测试")


def test_a_leave_that_is_over_cannot_be_withdrawn(world, shifts):
    """Its days were taken: withdrawing would give back time off that was used."""
    day = timezone.localdate() - 10 * DAY
    leave = _approved_leave(world, day, day + DAY)

    with pytest.raises(ValidationError) as error:
        leave_revoke(actor=world.director, leave=leave, reason="录错")

    assert "考勤" in " ".join(error.value.messages)
    assert LeaveRequest.objects.get(pk=leave.pk).status == LeaveStatus.APPROVED
    assert _codes(world, day, day + DAY, world.cashier2) == ["事", "事"]


def test_a_started_leave_is_withdrawn_from_today_and_keeps_its_past_days(world, shifts):
    today = timezone.localdate()
    leave = _approved_leave(world, today - DAY, today + DAY)

    with pytest.raises(ValidationError) as error:
        leave_revoke(actor=world.shift_lead, leave=leave, reason="提前返岗", from_day=today - DAY)
    assert "请选择" in " ".join(error.value.messages)

    leave_revoke(actor=world.shift_lead, leave=leave, reason="提前返岗")

    leave.refresh_from_db()
    assert (leave.status, leave.end) == (LeaveStatus.APPROVED, today - DAY)
    assert _codes(world, today - DAY, today + DAY, world.cashier2) == ["事", "", ""]
