"""The director's safety overview of a year and its CSV / XLSX download."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from staff.core.access import Role, require_roles
from staff.core.params import int_param
from staff.core.tabular import FORMATS, table_response

from .. import exports
from ..models import leadership_delay_limit_minutes
from ..selectors import drills as drill_selectors
from ..selectors import overview as selectors

# The page lists this many of the open and late incidents (newest first) and counts the rest:
# an overview, not a second incident list.
OVERVIEW_LIST_LIMIT = 50


def _year(request) -> int:
    return int_param(request.GET, "year", timezone.localdate().year, low=2000, high=2100)


@require_roles(Role.DIRECTOR)
def overview(request):
    data = selectors.overview_for(request.user, _year(request), timezone.localdate())
    return render(
        request,
        "safety/overview/index.html",
        {
            "year": data.year,
            "open_incidents": data.open_incidents[:OVERVIEW_LIST_LIMIT],
            "open_incidents_count": len(data.open_incidents),
            "late_reports": data.late_reports[:OVERVIEW_LIST_LIMIT],
            "late_reports_count": len(data.late_reports),
            "list_limit": OVERVIEW_LIST_LIMIT,
            "hall_years": data.hall_years,
            "limit": leadership_delay_limit_minutes(),
            "changes": selectors.recent_safety_changes(),
            "months": range(1, 13),
            **drill_selectors.drill_rules(),
        },
    )


@require_roles(Role.DIRECTOR)
def overview_export(request, fmt):
    """CSV: the halls by month; XLSX: that and a second sheet of the open incidents."""
    if fmt not in FORMATS:
        raise Http404
    year = _year(request)
    data = selectors.overview_for(request.user, year, timezone.localdate())
    return table_response(fmt, exports.overview_filename(year), *exports.overview_tables(data))
