from tests.access import Row, everyone, only
from tests.complaints.factories import open_ticket


def _ticket(world):
    return {"pk": open_ticket(world.cashier).pk}


def _calendar_day(world):
    from staff.models import WorkCalendarDay

    return {"pk": WorkCalendarDay.objects.first().pk}


# The cashier of hall A owns the ticket: the hall's lobby manager, office and director see it
# too; the other hall, the second cashier, the shift lead and the liaison (not forwarded) don't.
TICKET_SCOPE = everyone(404, director=200, office=200, lobby_manager=200, cashier=200)

ACCESS = [
    Row("complaints:ticket_list", everyone(200)),
    Row("complaints:ticket_create", everyone(200)),
    Row("complaints:ticket_detail", TICKET_SCOPE, kwargs=_ticket),
    Row(
        "complaints:ticket_action",
        everyone(405, anonymous=405),
        kwargs=lambda world: {**_ticket(world), "action": "chase"},
        note="POST only",
    ),
    Row("complaints:calendar", only({"director": 200, "office": 200})),
    Row("complaints:calendar_enter", everyone(405, anonymous=405), note="POST only"),
    Row("complaints:calendar_confirm", everyone(405, anonymous=405), note="POST only"),
    Row(
        "complaints:calendar_day_delete",
        everyone(405, anonymous=405),
        kwargs=_calendar_day,
        note="POST only",
    ),
    Row(
        "complaints:sla",
        only({"director": 200, "office": 200, "lobby_manager": 200, "other_lobby_manager": 200}),
    ),
    Row(
        "complaints:sla_export",
        only({"director": 200, "office": 200, "lobby_manager": 200, "other_lobby_manager": 200}),
        kwargs=lambda world: {"fmt": "csv"},
    ),
]
