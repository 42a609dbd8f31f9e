"""The one working calendar of the center, and the date arithmetic every app shares.

The calendar lives in the database (`WorkCalendarDay`, `WorkCalendarYear`, entered and
confirmed on the 工作日历 page, pre-filled from the chinesecalendar package): a day that differs
from the plain week is a public holiday or a make-up working day (调休, a Saturday or Sunday
worked instead of a holiday weekday). It is the only source of working days and holidays for
every rule that needs them:

- the SLA clocks of first-contact tickets (首问负责): the department reports the result back
  "within 5 working days", counted as whole working days *after* the day of receipt, the due
  time being the end of the 5th one; the response is due 4 hours after receipt, in plain hours
  (the halls are open every day). Due dates never guess: a year that is not confirmed in
  `WorkCalendarYear` is missing, and a due date that needs it is `None` ("calendar missing")
  with the year named in the explanation (`WorkCalendar`);
- attendance and 调休: a day worked on a public holiday earns a compensatory day
  (`public_holidays`, `holiday_dates`); the days entered count, confirmed year or not;
- rosters: the grid marks the public holidays and make-up working days (`special_days`).

A correction of a day reaches them all at once; the apps that keep values computed from the
calendar (the tickets' due dates) recompute them through `work_calendar_changed` (see
`staff.core.extensions`).
"""

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import DayKind, WorkCalendarDay, WorkCalendarYear

# --- Dates ----------------------------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=monthrange(day.year, day.month)[1])


def days_between(start: date, end: date) -> list[date]:
    """Every date from `start` to `end`, both included."""
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


# --- Holidays and make-up working days, as entered ------------------------------------------


def special_days(start: date, end: date) -> dict[date, WorkCalendarDay]:
    """{date: WorkCalendarDay} of the holidays and make-up working days from `start` to `end`."""
    return {day.date: day for day in WorkCalendarDay.objects.filter(date__range=(start, end))}


def public_holidays(start: date, end: date) -> set[date]:
    """The public holidays from `start` to `end` (one query). Not a plain weekend: the halls
    work every day, so only a statutory holiday changes what a day worked earns."""
    return set(
        WorkCalendarDay.objects.filter(date__range=(start, end), kind=DayKind.HOLIDAY)
        .values_list("date", flat=True)
        .order_by()
    )


def is_public_holiday(day: date) -> bool:
    return WorkCalendarDay.objects.filter(date=day, kind=DayKind.HOLIDAY).exists()


def holiday_dates():
    """Every public holiday's date, as a subquery (`date__in=holiday_dates()`)."""
    return WorkCalendarDay.objects.filter(kind=DayKind.HOLIDAY).values("date")


def years_to_check(today: date) -> list[int]:
    """This year and, from 1 November, next year: the years whose calendar must be entered."""
    return [today.year] + ([today.year + 1] if today.month >= 11 else [])


def calendar_years_missing(today=None) -> list[int]:
    """This year and, from 1 November, next year, when not confirmed yet (one query)."""
    wanted = years_to_check(today or timezone.localdate())
    have = set(WorkCalendarYear.objects.filter(year__in=wanted).values_list("year", flat=True))
    return [year for year in wanted if year not in have]


# --- Working days: the SLA's count --------------------------------------------------------

RESPONSE_HOURS = 4
RESULT_WORKING_DAYS = 5
# No holiday period is anywhere near this long; it only bounds the loop.
_MAX_SCAN_DAYS = 60

_WORKDAY, _WEEKEND, _HOLIDAY, _MAKEUP = "workday", "weekend", "holiday", "makeup"
_ONE_DAY = timedelta(days=1)


def _weekday_name(day: date) -> str:
    return [
        _("Monday"),
        _("Tuesday"),
        _("Wednesday"),
        _("Thursday"),
        _("Friday"),
        _("Saturday"),
        _("Sunday"),
    ][day.weekday()]


def _day_label(day: date) -> str:
    return f"{day:%Y-%m-%d}（{_weekday_name(day)}）"


@dataclass(frozen=True)
class ResultDue:
    """The department-result due date of one receipt, with the days behind it."""

    received_on: date
    due_at: datetime | None  # the midnight that ends the last working day; None: missing
    counted: tuple[tuple[date, str], ...]  # (day, make-up name or "")
    skipped: tuple[tuple[date, str], ...]  # (day, reason)
    missing_year: int | None

    @property
    def last_working_day(self) -> date | None:
        return self.counted[-1][0] if self.due_at is not None else None

    @property
    def calendar_missing(self) -> bool:
        return self.missing_year is not None

    def explanation(self) -> str:
        """Which days count, which were skipped and why, in a sentence or three."""
        parts = [
            _("The day of receipt, %(day)s, does not count.")
            % {"day": _day_label(self.received_on)}
        ]
        counted = []
        for number, (day, makeup) in enumerate(self.counted, start=1):
            label = _day_label(day)
            if makeup:
                label = _("%(day)s, make-up working day for %(name)s") % {
                    "day": label,
                    "name": makeup,
                }
            counted.append(_("working day %(n)s: %(day)s") % {"n": number, "day": label})
        if counted:
            parts.append("；".join(counted) + "。")
        for first, last, reason in _runs(self.skipped):
            if first == last:
                parts.append(
                    _("Skipped %(day)s: %(reason)s.") % {"day": _day_label(first), "reason": reason}
                )
            else:
                parts.append(
                    _("Skipped %(first)s to %(last)s (%(days)s days): %(reason)s.")
                    % {
                        "first": _day_label(first),
                        "last": _day_label(last),
                        "days": (last - first).days + 1,
                        "reason": reason,
                    }
                )
        if self.missing_year is not None:
            parts.append(
                _(
                    "The working calendar of %(year)s is not entered yet, so the due date "
                    "cannot be computed (calendar missing)."
                )
                % {"year": self.missing_year}
            )
        else:
            parts.append(
                _("Due by the end of %(day)s.") % {"day": _day_label(self.last_working_day)}
            )
        return "".join(parts)


def _runs(skipped):
    """Consecutive skipped days with the same reason, as (first, last, reason)."""
    runs = []
    for day, reason in skipped:
        if runs and runs[-1][2] == reason and (day - runs[-1][1]).days == 1:
            runs[-1] = (runs[-1][0], day, reason)
        else:
            runs.append((day, day, reason))
    return runs


class CalendarMissing(Exception):
    def __init__(self, year):
        super().__init__(year)
        self.year = year


class WorkCalendar:
    """A snapshot of the calendar tables; cheap to query many times (results are memoised)."""

    def __init__(self, known_years, days):
        """`known_years`: confirmed years; `days`: {date: (kind, name)} of holidays/make-up days."""
        self.known_years = frozenset(known_years)
        self.days = dict(days)
        self._due_by_day: dict[date, datetime | None] = {}
        # The center's time zone (settings.TIME_ZONE), looked up once: due dates are counted
        # in Shanghai days whatever time zone a request is rendered in.
        self._zone = timezone.get_default_timezone()

    @classmethod
    def load(cls, years=None) -> "WorkCalendar":
        """Two queries: the confirmed years (of `years`, or all) and their special days."""
        confirmed = WorkCalendarYear.objects.all()
        if years is not None:
            confirmed = confirmed.filter(year__in=years)
        years = set(confirmed.values_list("year", flat=True))
        days = {
            day: (kind, name)
            for day, kind, name in WorkCalendarDay.objects.filter(date__year__in=years)
            .values_list("date", "kind", "name")
            .iterator(chunk_size=2000)
        }
        return cls(years, days)

    def kind_of(self, day: date) -> tuple[str, str]:
        """(kind, name) of `day`; raises CalendarMissing for a year that is not entered."""
        if day.year not in self.known_years:
            raise CalendarMissing(day.year)
        special = self.days.get(day)
        if special is not None:
            return (_HOLIDAY if special[0] == "holiday" else _MAKEUP), special[1]
        return (_WEEKEND if day.weekday() >= 5 else _WORKDAY), ""

    def is_workday(self, day: date) -> bool:
        return self.kind_of(day)[0] in (_WORKDAY, _MAKEUP)

    def result_due(self, received_at: datetime) -> ResultDue:
        """The due date of the department's result, with its explanation."""
        received_on = received_at.astimezone(self._zone).date()
        counted, skipped = [], []
        day = received_on
        for _step in range(_MAX_SCAN_DAYS):
            day += timedelta(days=1)
            try:
                kind, name = self.kind_of(day)
            except CalendarMissing as missing:
                return ResultDue(received_on, None, tuple(counted), tuple(skipped), missing.year)
            if kind == _WORKDAY:
                counted.append((day, ""))
            elif kind == _MAKEUP:
                counted.append((day, name))
            elif kind == _WEEKEND:
                skipped.append((day, _("weekend")))
            else:
                skipped.append((day, _("public holiday %(name)s") % {"name": name}))
            if len(counted) == RESULT_WORKING_DAYS:
                return ResultDue(
                    received_on, _end_of(day, self._zone), tuple(counted), tuple(skipped), None
                )
        raise RuntimeError(f"no {RESULT_WORKING_DAYS} working days within {_MAX_SCAN_DAYS} days")

    def due_at_for_day(self, received_on: date) -> datetime | None:
        """The bare count behind `result_due` (same rule, no explanation): None if missing."""
        day, counted = received_on, 0
        for _step in range(_MAX_SCAN_DAYS):
            day += _ONE_DAY
            if day.year not in self.known_years:
                return None
            special = self.days.get(day)
            if special is None:
                counted += day.weekday() < 5
            else:
                counted += special[0] != "holiday"
            if counted == RESULT_WORKING_DAYS:
                return _end_of(day, self._zone)
        raise RuntimeError(f"no {RESULT_WORKING_DAYS} working days within {_MAX_SCAN_DAYS} days")

    def result_due_at(self, received_at: datetime) -> datetime | None:
        """Only the due time (None: calendar missing), memoised per day of receipt."""
        received_on = received_at.astimezone(self._zone).date()
        try:
            return self._due_by_day[received_on]
        except KeyError:
            due = self._due_by_day[received_on] = self.due_at_for_day(received_on)
            return due


def _end_of(day: date, zone) -> datetime:
    """The midnight that ends `day`, in the center's time zone."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)


def calendar_for(received_at: datetime) -> WorkCalendar:
    """Just the years one receipt's due date can touch (it never spans 60 days)."""
    year = timezone.localtime(received_at).year
    return WorkCalendar.load(years=[year, year + 1])


def response_due_at(received_at: datetime) -> datetime:
    return received_at + timedelta(hours=RESPONSE_HOURS)
