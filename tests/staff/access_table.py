import datetime

from tests.access import Row, everyone, only

MANAGERS = {"director": 200, "office": 200, "lobby_manager": 200, "shift_lead": 200}
HALL_MANAGERS_B = {"other_lead": 200, "other_lobby_manager": 200}


def _yesterday(world):
    from django.utils import timezone

    return timezone.localdate() - datetime.timedelta(days=1)


ACCESS = [
    Row("login", everyone(200, anonymous=200)),
    Row("logout", everyone(405, anonymous=405), note="logout is POST only"),
    Row("healthz", everyone(200, anonymous=200)),
    Row("staff:home", everyone(200)),
    Row("staff:roster", only({**MANAGERS, **HALL_MANAGERS_B})),
    Row("staff:shift_types", only({**MANAGERS, **HALL_MANAGERS_B})),
    Row("staff:my_roster", everyone(200)),
    Row("staff:attendance_month", everyone(200, liaison=403)),
    Row("staff:clock", everyone(405)),
    Row(
        "staff:attendance_export",
        only({**MANAGERS, **HALL_MANAGERS_B}),
        kwargs=lambda world: {"fmt": "csv"},
    ),
    Row(
        "staff:attendance_day",
        everyone(404, director=200, office=200, lobby_manager=200, shift_lead=200, cashier=200),
        kwargs=lambda world: {"employee_id": world.cashier.employee.pk, "day": _yesterday(world)},
    ),
    Row("staff:leave_list", everyone(200)),
    Row(
        "staff:leave_detail",
        everyone(404, director=200, office=200, lobby_manager=200, shift_lead=200, cashier=200),
        kwargs=lambda world: {"pk": _leave(world).pk},
    ),
    Row("staff:duty", everyone(200, liaison=403)),
    Row("staff:penalties", everyone(200, liaison=403)),
    Row(
        "staff:penalties_export",
        everyone(200, liaison=403),
        kwargs=lambda world: {"fmt": "xlsx"},
    ),
    Row(
        "staff:penalty_person",
        everyone(
            404,
            director=200,
            office=200,
            lobby_manager=200,
            shift_lead=200,
            cashier=200,
            liaison=403,
        ),
        kwargs=lambda world: {"employee_id": world.cashier.employee.pk},
    ),
]


def _leave(world):
    from staff.models import LeaveRequest

    return LeaveRequest.objects.create(
        employee=world.cashier.employee,
        leave_type="annual",
        start=datetime.date(2026, 1, 5),
        end=datetime.date(2026, 1, 5),
    )
