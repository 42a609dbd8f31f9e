"""Changes to the working calendar. Each one recomputes the due dates it can move."""

import re
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.core.access import Role, has_role
from staff.core.audit import audit_record

from .calendar import WorkCalendar
from .calendar_source import import_years
from .models import DayKind, FirstContactTicket, WorkCalendarDay, WorkCalendarYear

CALENDAR_ROLES = (Role.DIRECTOR, Role.OFFICE)

_KIND_WORDS = {
    "休": DayKind.HOLIDAY,
    "假": DayKind.HOLIDAY,
    "holiday": DayKind.HOLIDAY,
    "班": DayKind.MAKEUP_WORKDAY,
    "makeup": DayKind.MAKEUP_WORKDAY,
}
_LINE = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})\s+(\S+)\s+(\S.*?)\s*$")


def _require_calendar_editor(actor):
    if not (actor.is_superuser or has_role(actor, *CALENDAR_ROLES)):
        raise ValidationError(_("Only the director and the office may edit the working calendar."))


def parse_calendar_lines(text: str) -> list[tuple[date, str, str]]:
    """Lines "2027-02-06 休 春节" / "2027-02-07 班 春节" → (date, kind, name); every error named."""
    rows, errors, seen = [], [], {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        match = _LINE.match(line)
        kind = _KIND_WORDS.get(match.group(2).lower()) if match else None
        if match is None or kind is None:
            errors.append(
                _('Line %(n)s: write "date 休 name" or "date 班 name", e.g. "2027-02-06 休 春节".')
                % {"n": number}
            )
            continue
        try:
            day = date.fromisoformat("-".join(f"{int(p):02d}" for p in match.group(1).split("-")))
        except ValueError:
            errors.append(
                _("Line %(n)s: %(text)s is not a date.") % {"n": number, "text": match.group(1)}
            )
            continue
        if day in seen and seen[day] != kind:
            errors.append(
                _("Line %(n)s: %(day)s is both a holiday and a make-up working day.")
                % {"n": number, "day": day}
            )
            continue
        if kind == DayKind.MAKEUP_WORKDAY and day.weekday() < 5:
            errors.append(
                _(
                    "Line %(n)s: %(day)s is a weekday; a make-up working day is a Saturday or Sunday."  # noqa: E501
                )
                % {"n": number, "day": day}
            )
            continue
        seen[day] = kind
        rows.append((day, kind, match.group(3)[:64]))
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError(_("Enter at least one day."))
    return rows


def calendar_days_enter(*, actor, text: str, note: str = "") -> list[WorkCalendarDay]:
    """Enter holidays and make-up days, all or nothing. A day that is already entered as the
    other kind is a contradiction and refused: delete the old entry first."""
    _require_calendar_editor(actor)
    rows = parse_calendar_lines(text)
    try:
        with transaction.atomic():
            return _enter(actor, rows, note)
    except IntegrityError as exc:
        # Someone entered one of these days at the same moment (the date is unique).
        raise ValidationError(
            _("Another user entered some of these days just now; reload and try again.")
        ) from exc


def _enter(actor, rows, note):
    existing = {
        day.date: day
        for day in WorkCalendarDay.objects.select_for_update().filter(date__in=[r[0] for r in rows])
    }
    errors = [
        _("%(day)s is already entered as %(kind)s; a day cannot be both. Delete it first.")
        % {"day": day, "kind": existing[day].get_kind_display()}
        for day, kind, _name in rows
        if day in existing and existing[day].kind != kind
    ]
    if errors:
        raise ValidationError(errors)
    saved = []
    for day, kind, name in rows:
        entry = existing.get(day)
        if entry is None:
            entry = WorkCalendarDay.objects.create(date=day, kind=kind, name=name, note=note)
        else:
            entry.name, entry.note = name, note or entry.note
            entry.save(update_fields=["name", "note"])
        saved.append(entry)
    for entry in saved:
        audit_record(
            actor=actor,
            action="complaints.calendar_day.enter",
            obj=entry,
            summary=str(entry),
            changes={"date": entry.date, "kind": entry.kind, "name": entry.name},
        )
    recompute_due_dates(around=[r[0] for r in rows])
    return saved


@transaction.atomic
def calendar_day_delete(*, actor, day: WorkCalendarDay) -> None:
    _require_calendar_editor(actor)
    day = WorkCalendarDay.objects.select_for_update().get(pk=day.pk)
    audit_record(
        actor=actor,
        action="complaints.calendar_day.delete",
        obj=day,
        summary=str(day),
        changes={"date": day.date, "kind": day.kind, "name": day.name},
    )
    when = day.date
    day.delete()
    recompute_due_dates(around=[when])


@transaction.atomic
def calendar_year_confirm(*, actor, year: int) -> WorkCalendarYear:
    """Declare `year` completely entered: from now on due dates in it are computed."""
    _require_calendar_editor(actor)
    if not 2000 <= year <= 2200:
        raise ValidationError(_("Enter a year between 2000 and 2200."))
    if WorkCalendarYear.objects.filter(year=year).exists():
        raise ValidationError(_("The calendar of %(year)s is already confirmed.") % {"year": year})
    if not WorkCalendarDay.objects.filter(date__year=year, kind=DayKind.HOLIDAY).exists():
        raise ValidationError(
            _("Enter the holidays of %(year)s before confirming the year.") % {"year": year}
        )
    entry = WorkCalendarYear.objects.create(
        year=year, source="manual", confirmed_by=actor, confirmed_at=timezone.now()
    )
    audit_record(
        actor=actor,
        action="complaints.calendar_year.confirm",
        obj=entry,
        summary=_("Calendar of %(year)s confirmed") % {"year": year},
    )
    recompute_due_dates(around=[date(year, 1, 1), date(year, 12, 31)])
    return entry


def calendar_import_package(*, stdout=None) -> list[int]:
    """Add the package's years the database lacks (for `load_work_calendar` and the demo)."""
    with transaction.atomic():
        added = import_years(WorkCalendarDay, WorkCalendarYear)
        if added:
            recompute_due_dates(around=[date(min(added), 1, 1), date(max(added), 12, 31)])
    return added


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
