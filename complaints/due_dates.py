"""What a change of the working calendar does to the tickets: their result due dates move.

The calendar is the staff core's (`staff.core.calendar`); it calls `work_calendar_changed` on
this app's config inside the transaction of every change (`staff.services.calendar`).
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from staff.core.calendar import WorkCalendar

from .models import FirstContactTicket


def recompute_due_dates(*, around: list[date]) -> int:
    """Recompute the result due date of every ticket whose 5 working days can touch `around`.

    Receipts up to 60 days before the first changed day are included, the longest stretch
    a due date can span; tickets whose calendar was missing are always included.
    """
    first = min(around) - timedelta(days=60)
    last = max(around)
    start = timezone.make_aware(datetime.combine(first, time.min))
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
    calendar = WorkCalendar.load()
    changed = []
    tickets = FirstContactTicket.objects.filter(
        received_at__gte=start, received_at__lt=end
    ) | FirstContactTicket.objects.filter(result_due_at__isnull=True)
    for ticket in tickets.only("id", "received_at", "result_due_at").iterator(chunk_size=2000):
        due = calendar.result_due_at(ticket.received_at)
        if due != ticket.result_due_at:
            ticket.result_due_at = due
            changed.append(ticket)
    FirstContactTicket.objects.bulk_update(changed, ["result_due_at"], batch_size=1000)
    return len(changed)
