"""The manager SLA view and its CSV/XLSX export."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from staff.core.access import require_roles
from staff.core.calendar import calendar_years_missing
from staff.core.tabular import FORMATS, table_response

from .. import exports, rules
from ..filters import SlaFilterSet
from ..models import OPEN_STATES, TicketState
from ..selectors import sla


def _report(request):
    filters = SlaFilterSet(request.GET)
    report = sla.sla_report(
        request.user,
        start=filters.option("start"),
        end=filters.option("end"),
        category=filters.option("category"),
        dims=filters.option("dims"),
    )
    return filters, report


@require_roles(*rules.SLA_ROLES)
def sla_dashboard(request):
    filters, report = _report(request)
    rows = report.rows(limit=sla.ROW_LIMIT + 1)
    counts = sla.state_counts(report.tickets, report.now)
    states = [
        (label, counts[value]) for value, label in TicketState.choices if value in OPEN_STATES
    ]
    return render(
        request,
        "complaints/sla/dashboard.html",
        {
            "filter": filters,
            "report": report,
            "dims": report.dims,
            "dim_labels": report.dim_labels,
            "start": report.start,
            "end": report.end,
            "total": report.total,
            "rows": rows[: sla.ROW_LIMIT],
            "more_rows": len(rows) > sla.ROW_LIMIT,
            "row_limit": sla.ROW_LIMIT,
            "states": states,
            "counts": counts,
            "open_rows": sla.with_clocks(sla.open_tickets(report), report.now),
            "overdue_rows": sla.with_clocks(sla.overdue_tickets(report), report.now),
            "response_title": _("Response on-time rate %"),
            "result_title": _("Result on-time rate %"),
            "labels": {
                "response": _("Response on-time rate %"),
                "result": _("Result on-time rate %"),
                "follow_up": _("Follow-up rate %"),
                "satisfaction": _("Satisfaction %"),
            },
            "target_text": _(
                "Target: at least 99 percent handled on time. Rates are computed from the "
                "recorded times of each step."
            ),
            "response_bars": sla.chart_bars(report.months, "response_rate"),
            "result_bars": sla.chart_bars(report.months, "result_rate"),
            "chart_width": 60 + 40 * len(report.months),
            "target_y": 10 + 120 - int(sla.TARGET * 120 / 100),
            "missing_years": calendar_years_missing(),
            "query": request.GET.urlencode(),
        },
    )


@require_roles(*rules.SLA_ROLES)
def sla_export(request, fmt):
    if fmt not in FORMATS:
        raise Http404
    _filters, report = _report(request)
    return table_response(fmt, exports.sla_filename(report), exports.sla_table(report))
