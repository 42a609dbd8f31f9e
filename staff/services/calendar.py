"""Changes to the working calendar: days entered or deleted, a year confirmed, the years of the
chinesecalendar package added.

Each change tells the apps that keep values computed from the calendar, in the same
transaction (`staff.core.extensions.work_calendar_changed`: complaints recomputes the due dates
it can move).
"""

import re
from datetime import date

import chinese_calendar
from chinese_calendar.constants import Holiday, holidays, in_lieu_days, workdays
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..core.audit import audit_record
from ..core.extensions import work_calendar_changed
from ..models import DayKind, WorkCalendarDay, WorkCalendarYear
from ..rules import may_edit_calendar

_KIND_WORDS = {
    "休": DayKind.HOLIDAY,
    "假": DayKind.HOLIDAY,
    "holiday": DayKind.HOLIDAY,
    "班": DayKind.MAKEUP_WORKDAY,
    "makeup": DayKind.MAKEUP_WORKDAY,
}
_LINE = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})\s+(\S+)\s+(\S.*?)\s*$")


def _require_calendar_editor(actor):
    if not may_edit_calendar(actor):
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
            action="staff.calendar_day.enter",
            obj=entry,
            summary=str(entry),
            changes={"date": entry.date, "kind": entry.kind, "name": entry.name},
        )
    work_calendar_changed(around=[r[0] for r in rows])
    return saved


@transaction.atomic
def calendar_day_delete(*, actor, day: WorkCalendarDay) -> None:
    _require_calendar_editor(actor)
    day = WorkCalendarDay.objects.select_for_update().get(pk=day.pk)
    audit_record(
        actor=actor,
        action="staff.calendar_day.delete",
        obj=day,
        summary=str(day),
        changes={"date": day.date, "kind": day.kind, "name": day.name},
    )
    when = day.date
    day.delete()
    work_calendar_changed(around=[when])


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
        action="staff.calendar_year.confirm",
        obj=entry,
        summary=_("Calendar of %(year)s confirmed") % {"year": year},
    )
    work_calendar_changed(around=[date(year, 1, 1), date(year, 12, 31)])
    return entry


def calendar_import_package(*, stdout=None) -> list[int]:
    """Add the package's years the database lacks (for `load_work_calendar` and the demo)."""
    with transaction.atomic():
        added = import_years(WorkCalendarDay, WorkCalendarYear)
        if added:
            work_calendar_changed(around=[date(min(added), 1, 1), date(max(added), 12, 31)])
    return added


# --- What the chinesecalendar package knows -------------------------------------------------
# Its years, holidays and make-up working days. Used by the data migration that pre-filled the
# calendar (complaints/0002), by `load_work_calendar` and by every migrate (after an upgrade of
# the package). Only whole years the package covers are offered.

_CHINESE = {holiday.value: holiday.chinese for holiday in Holiday}


def package_version() -> str:
    return getattr(chinese_calendar, "__version__", "")


def package_years() -> list[int]:
    return sorted({day.year for day in holidays})


def package_days(year: int) -> list[tuple]:
    """(date, kind, name, note) of the holidays and make-up working days of `year`."""
    rows = []
    for day, name in holidays.items():
        if day.year == year:
            note = "调休放假" if day in in_lieu_days else ""
            rows.append((day, "holiday", _CHINESE.get(name, name), note))
    for day, name in workdays.items():
        if day.year == year:
            rows.append((day, "makeup", _CHINESE.get(name, name), "调休上班"))
    return sorted(rows)


def import_years(WorkCalendarDay, WorkCalendarYear, *, only_missing=True) -> list[int]:
    """Create the package's years that the database lacks; never touches an entered year.

    Takes the model classes so the data migration can pass its historical models.
    """
    have = set(WorkCalendarYear.objects.values_list("year", flat=True))
    added = []
    for year in package_years():
        if only_missing and year in have:
            continue
        WorkCalendarDay.objects.filter(date__year=year).delete()
        WorkCalendarDay.objects.bulk_create(
            WorkCalendarDay(date=day, kind=kind, name=name, note=note)
            for day, kind, name, note in package_days(year)
        )
        WorkCalendarYear.objects.create(year=year, source="chinesecalendar")
        added.append(year)
    return added
