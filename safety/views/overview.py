"""The director's safety overview and its CSV / XLSX export."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from staff.access import Role, require_roles
from staff.models import Hall
from staff.params import int_param
from staff.tabular import FORMATS, Table, table_response

from .. import selectors
from ..rules import leadership_delay_limit_minutes
from .drills import drill_settings

# The page lists this many of the open and late incidents (newest first) and counts the rest:
# an overview, not a second incident list.
OVERVIEW_LIST_LIMIT = 50


def _overview_data(user, year):
    today = timezone.localdate()
    incidents = selectors.incident_rows(user, year=year)
    halls = list(Hall.objects.filter(is_active=True))
    return {
        "year": year,
        "open_incidents": [i for i in incidents if i.status != "closed"],
        "late_reports": [
            i
            for i in incidents
            if i.delay.flagged and timezone.localtime(i.occurred_at).year == year
        ],
        "hall_years": selectors.overview_year(halls, year, today, incidents),
        "limit": leadership_delay_limit_minutes(),
    }


@require_roles(Role.DIRECTOR)
def overview(request):
    year = int_param(request.GET, "year", timezone.localdate().year, low=2000, high=2100)
    context = _overview_data(request.user, year)
    for key in ("open_incidents", "late_reports"):
        context[f"{key}_count"] = len(context[key])
        context[key] = context[key][:OVERVIEW_LIST_LIMIT]
    context["list_limit"] = OVERVIEW_LIST_LIMIT
    context["changes"] = selectors.recent_safety_changes()
    context.update(drill_settings())
    context["months"] = range(1, 13)
    return render(request, "safety/overview/index.html", context)


DRILL_LABELS = {
    "done": gettext_lazy("done"),
    "late": gettext_lazy("late"),
    "missed": gettext_lazy("missed"),
    "due": gettext_lazy("due"),
    "overdue": gettext_lazy("overdue"),
    "upcoming": gettext_lazy("upcoming"),
}


def _export_rows(data):
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
    for hall_year in data["hall_years"]:
        for figures in hall_year.months:
            drill = figures.drill.drill
            rows.append(
                [
                    hall_year.hall.name,
                    f"{data['year']}-{figures.month:02d}",
                    str(DRILL_LABELS[figures.drill.status]),
                    timezone.localtime(drill.held_at).strftime("%Y-%m-%d %H:%M") if drill else "",
                    figures.checks,
                    figures.missing_checks,
                    figures.incidents,
                    figures.late_reports,
                ]
            )
    return [str(h) for h in header], rows


def _incident_rows(data):
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
        for i in data["open_incidents"]
    ]
    return [str(h) for h in header], rows


@require_roles(Role.DIRECTOR)
def overview_export(request, fmt):
    """CSV: the halls by month; XLSX: that and a second sheet of the open incidents."""
    if fmt not in FORMATS:
        raise Http404
    year = int_param(request.GET, "year", timezone.localdate().year, low=2000, high=2100)
    data = _overview_data(request.user, year)
    header, rows = _export_rows(data)
    incident_header, incident_rows = _incident_rows(data)
    return table_response(
        fmt,
        f"safety-{year}",
        Table(sheet=_("Halls by month"), header=header, rows=rows),
        Table(sheet=_("Open incidents"), header=incident_header, rows=incident_rows),
    )
