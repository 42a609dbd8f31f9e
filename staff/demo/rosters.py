"""Demo shift types, rosters, attendance, leave, duty and penalties (after staff's demo people).

Idempotent: cells are set to the same codes, records are found by their natural keys. The
roster runs from five weeks ago to the end of next week and is published; next week 龙泉 has
both cashiers resting on Monday, the one coverage gap.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from ..core.calendar import days_between, week_start
from ..models import (
    AttendanceRecord,
    DutyAssignment,
    Employee,
    Hall,
    LeaveRequest,
    MinimumStaffing,
    Penalty,
    PenaltyKind,
    RosterEntry,
    ShiftType,
    StaffingRole,
)
from ..services.duty import duty_rotate
from ..services.leave import leave_decide, leave_request
from ..services.penalties import penalty_record
from ..services.rosters import roster_publish, roster_set_cells

SHIFTS = [
    ("早", "早班", time(8, 0), time(12, 30)),
    ("午", "午班", time(12, 30), time(17, 30)),
    ("全", "全天", time(8, 0), time(17, 30)),
]
# Weekday of each role's rest day (Monday 0): rest days rotate, the hall never closes.
REST_DAY = {"lead": 5, "lobby": 6, "cashier": 0, "cashier2": 3}


def _at(day, hour, minute):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def seed(*, stdout):
    director = get_user_model().objects.get(username="director")
    today = timezone.localdate()
    first = week_start(today) - timedelta(days=35)
    last = week_start(today) + timedelta(days=13)
    next_monday = week_start(today) + timedelta(days=7)
    for hall in Hall.objects.filter(code__in=["longquan", "quankou", "duodao"]):
        shifts = {}
        for order, (code, name, start, end) in enumerate(SHIFTS):
            shifts[code], _ = ShiftType.objects.update_or_create(
                hall=hall,
                code=code,
                defaults={"name": name, "start": start, "end": end, "sort_order": order},
            )
        for code in ("早", "午"):
            MinimumStaffing.objects.update_or_create(
                shift_type=shifts[code], role=StaffingRole.CASHIER, defaults={"count": 1}
            )
        people = {
            key: Employee.objects.get(user__username=f"{key}_{hall.code}") for key in REST_DAY
        }
        cells = {}
        for day in days_between(first, last):
            for key, employee in people.items():
                rest = day.weekday() == REST_DAY[key]
                if hall.code == "longquan" and key == "cashier2" and day == next_monday:
                    rest = True  # the coverage gap
                cells[employee.pk, day] = "休" if rest else ("早" if key == "lobby" else "全")
        # Leave already approved in the roster is kept as it is.
        taken = set(
            LeaveRequest.objects.filter(employee__hall=hall, status="approved").values_list(
                "employee_id", "start", "end"
            )
        )
        for employee_id, start, end in taken:
            for day in days_between(start, end):
                cells.pop((employee_id, day), None)
        roster_set_cells(actor=director, hall=hall, cells=cells)
        roster_publish(actor=director, hall=hall, start=first, end=last)
    _leave(director, today, next_monday)
    for hall in Hall.objects.filter(code__in=["longquan", "quankou", "duodao"]):
        _attendance(hall, first, today)
    _penalties(director, today)
    _duty(today)
    stdout.write("  staff: shift types, rosters, a month of attendance, leave, duty and penalties")


def _attendance(hall, first, today):
    """Clock times for every past shift: mostly a little early, every eleventh one late."""
    cells = {
        (e.employee_id, e.date): e.shift_type.code
        for e in RosterEntry.objects.filter(
            hall=hall, date__range=(first, today), kind="shift"
        ).select_related("shift_type")
    }
    existing = set(
        AttendanceRecord.objects.filter(hall=hall, date__range=(first, today)).values_list(
            "employee_id", "date"
        )
    )
    new = []
    for (employee_id, day), code in cells.items():
        if day >= today or code == "休" or (employee_id, day) in existing:
            continue
        serial = day.toordinal() + employee_id
        late = serial % 11 == 0
        minute_in = 8 + serial % 25 if late else 45 + serial % 14
        clock_in = _at(day, 8, minute_in) if late else _at(day, 7, minute_in)
        end = time(12, 30) if code == "早" else time(17, 30)
        clock_out = _at(day, end.hour, end.minute + 1 + serial % 9)
        new.append(
            AttendanceRecord(
                employee_id=employee_id,
                hall=hall,
                date=day,
                clock_in=clock_in,
                clock_out=clock_out,
                clock_in_address=f"10.1.{hall.pk % 250}.{10 + employee_id % 50}",
                clock_out_address=f"10.1.{hall.pk % 250}.{10 + employee_id % 50}",
            )
        )
    AttendanceRecord.objects.bulk_create(new)


def _leave(director, today, next_monday):
    User = get_user_model()
    requests = [
        # username, type, start, end, reason, decide (None: pending)
        (
            "cashier2_quankou",
            "annual",
            next_monday + timedelta(days=1),
            next_monday + timedelta(days=2),
            "回老家",
            None,
        ),
        (
            "lead_longquan",
            "personal",
            next_monday + timedelta(days=4),
            next_monday + timedelta(days=4),
            "孩子家长会",
            None,
        ),
        (
            "cashier_duodao",
            "sick",
            today - timedelta(days=12),
            today - timedelta(days=11),
            "感冒发烧",
            "lead_duodao",
        ),
    ]
    for username, leave_type, start, end, reason, decider in requests:
        user = User.objects.get(username=username)
        if LeaveRequest.objects.filter(
            employee__user=user, start=start, leave_type=leave_type
        ).exists():
            continue
        leave = leave_request(
            actor=user, leave_type=leave_type, start=start, end=end, reason=reason
        )
        if decider:
            leave_decide(
                actor=User.objects.get(username=decider),
                leave=leave,
                approve=True,
                override_reason="演示数据",
            )


def _penalties(director, today):
    entries = [
        (
            "cashier_longquan",
            PenaltyKind.RESPONSIBLE_COMPLAINT,
            40,
            "用户投诉服务态度生硬",
            "DEMO-TS-001",
        ),
        (
            "cashier_longquan",
            PenaltyKind.RESPONSIBLE_COMPLAINT,
            20,
            "唱收唱找不到位被投诉",
            "DEMO-TS-002",
        ),
        (
            "cashier2_quankou",
            PenaltyKind.COMPANY_NOTICE,
            30,
            "总公司检查通报:工作时间离岗",
            "DEMO-TB-001",
        ),
    ]
    for username, kind, days_ago, reason, source in entries:
        employee = Employee.objects.get(user__username=username)
        if Penalty.objects.filter(employee=employee, source=source).exists():
            continue
        day = max(today - timedelta(days=days_ago), today.replace(month=1, day=1))
        penalty_record(
            actor=director,
            employee=employee,
            kind=kind,
            on=day,
            reason=reason,
            source=source,
            amount=Decimal("200.00"),
        )


def _duty(today):
    """Last week's duty was done except one safety duty in 龙泉; this and next week rotate."""
    for hall in Hall.objects.filter(code__in=["longquan", "quankou", "duodao"]):
        lobby = get_user_model().objects.get(username=f"lobby_{hall.code}")
        people = list(Employee.objects.filter(hall=hall, is_active=True).order_by("employee_no"))
        for back in range(1, 8):
            day = today - timedelta(days=back)
            for turn, kind in enumerate(("cleaning", "safety")):
                missed = hall.code == "longquan" and back == 2 and kind == "safety"
                DutyAssignment.objects.get_or_create(
                    hall=hall,
                    date=day,
                    kind=kind,
                    defaults={
                        "employee": people[(back + turn) % len(people)],
                        "assigned_by": lobby,
                        "done_at": None if missed else _at(day, 17, 20),
                    },
                )
        duty_rotate(actor=lobby, hall=hall, start=today, end=week_start(today) + timedelta(days=13))
