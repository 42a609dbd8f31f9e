"""What the chinesecalendar package knows: its years, holidays and make-up working days.

Used by the data migration that pre-fills the calendar and by `load_work_calendar` (run by
`seed_demo`) after the package is upgraded. Only whole years the package covers are offered.
"""

import chinese_calendar
from chinese_calendar.constants import Holiday, holidays, in_lieu_days, workdays

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
