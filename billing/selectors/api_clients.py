"""Reads of the API's client systems: the list, and those that stopped reading."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from staff.core.calendar import CalendarMissing, WorkCalendar

from ..models import ApiClient, ApiScope

# The office's working hours, in which the billing system is expected to read. Outside them
# (nights, weekends, public holidays) nobody is there to act on a warning, and a reader that
# only runs in office hours would be "late" every morning.
WATCH_FROM = time(8, 0)
WATCH_UNTIL = time(18, 0)


def api_clients():
    return ApiClient.objects.order_by("name")


def _is_working_day(day) -> bool:
    try:
        return WorkCalendar.load(years=[day.year]).is_workday(day)
    except CalendarMissing:
        # A year not entered yet (the calendar page warns of that itself): Monday to Friday.
        return day.weekday() < 5


def clients_not_reading(now: datetime | None = None) -> list[ApiClient]:
    """Active clients with scope `read` whose last read (or creation, before a first read) is
    older than API_READ_WARNING_HOURS, asked during the working hours of a working day.

    A client is given that many hours from the start of the working day: after a night or a
    weekend without reads, nobody is warned before the first reads of the morning are due.
    """
    now = now or timezone.now()
    local = timezone.localtime(now)
    period = timedelta(hours=settings.API_READ_WARNING_HOURS)
    zone = local.tzinfo
    day_start = datetime.combine(local.date(), WATCH_FROM, tzinfo=zone)
    day_end = datetime.combine(local.date(), WATCH_UNTIL, tzinfo=zone)
    if not day_start + period < local <= day_end:
        return []
    since = now - period
    stale = [
        client
        for client in ApiClient.objects.filter(revoked_at__isnull=True)
        .filter(Q(last_read_at__lt=since) | Q(last_read_at__isnull=True, created_at__lt=since))
        .order_by("name")
        # The scopes are a JSON list (few clients; SQLite has no JSON "contains").
        if client.has_scope(ApiScope.READ)
    ]
    if not stale or not _is_working_day(local.date()):
        return []
    return stale
