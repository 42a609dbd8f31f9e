"""What the safety downloads contain; staff.core.tabular writes them (CSV or XLSX)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from staff.core.tabular import Table

from .selectors.overview import Overview

DRILL_LABELS = {
    "done": gettext_lazy("done"),
    "late": gettext_lazy("late"),
    "missed": gettext_lazy("missed"),
    "due": gettext_lazy("due"),
    "overdue": gettext_lazy("overdue"),
    "upcoming": gettext_lazy("upcoming"),
}


def overview_filename(year: int) -> str:
    return f"safety-{year}"


def overview_tables(overview: Overview) -> list[Table]:
    """The director's overview: the halls by month (the only sheet of a CSV) and, in a
    workbook, a second sheet of the open incidents."""
    return [_halls_by_month(overview), _open_incidents(overview)]


def _halls_by_month(overview: Overview) -> Table:
    header = [
        _("Hall"),
        _("Month"),
        _("Alarm drill"),
        _("Drill held at"),
        _("Closing checks recorded"),
        _("Closing checks missing"),
        _("Incidents"),
        _("Late reports to leadership"),
    ]
    rows = []
    for hall_year in overview.hall_years:
        for figures in hall_year.months:
            drill = figures.drill.drill
            rows.append(
                [
                    hall_year.hall.name,
                    f"{overview.year}-{figures.month:02d}",
                    str(DRILL_LABELS[figures.drill.status]),
                    timezone.localtime(drill.held_at).strftime("%Y-%m-%d %H:%M") if drill else "",
                    figures.checks,
                    figures.missing_checks,
                    figures.incidents,
                    figures.late_reports,
                ]
            )
    return Table(sheet=_("Halls by month"), header=[str(h) for h in header], rows=rows)


def _open_incidents(overview: Overview) -> Table:
    header = [
        _("Hall"),
        _("Type"),
        _("Occurred at"),
        _("Status"),
        _("Minutes to leadership informed"),
        _("Reported by"),
    ]
    rows = [
        [
            i.hall.name,
            i.get_kind_display(),
            timezone.localtime(i.occurred_at).strftime("%Y-%m-%d %H:%M"),
            i.get_status_display(),
            i.delay.minutes,
            getattr(getattr(i.reported_by, "employee", None), "name", i.reported_by.username),
        ]
        for i in overview.open_incidents
    ]
    return Table(sheet=_("Open incidents"), header=[str(h) for h in header], rows=rows)
