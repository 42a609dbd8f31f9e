"""The manager SLA view and its CSV/XLSX export."""

from datetime import date

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from staff.access import Role, require_roles
from staff.tabular import FORMATS, Table, table_response

from ..models import OPEN_STATES, Category, TicketState
from ..selectors import sla
from ..selectors.sla import calendar_years_missing, response_clock, result_clock
from ..selectors.tickets import tickets_for

SLA_ROLES = (Role.DIRECTOR, Role.OFFICE, Role.LOBBY_MANAGER)
DEFAULT_DIMS = ["month", "department"]


class SlaFilterForm(forms.Form):
    start = forms.CharField(label=gettext_lazy("From month"), required=False)
    end = forms.CharField(label=gettext_lazy("To month"), required=False)
    category = forms.ChoiceField(
        label=gettext_lazy("Category"),
        required=False,
        choices=[("", gettext_lazy("All"))] + Category.choices,
    )
    dims = forms.MultipleChoiceField(
        label=gettext_lazy("Group by"),
        required=False,
        choices=list(sla.DIMENSIONS.items()),
        widget=forms.CheckboxSelectMultiple,
    )


def _month(text, fallback: date) -> date:
    try:
        year, month = (int(p) for p in (text or "").split("-"))
        return date(year, month, 1)
    except (TypeError, ValueError):
        return fallback


def _report(request):
    today = timezone.localdate()
    form = SlaFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    end_month = _month(data.get("end"), today.replace(day=1))
    default_start = date(end_month.year - 1, end_month.month, 1)
    start_month = _month(data.get("start"), default_start)
    if start_month > end_month:
        start_month, end_month = end_month, start_month
    next_month = date(end_month.year + end_month.month // 12, end_month.month % 12 + 1, 1)
    dims = [d for d in sla.DIMENSIONS if d in (data.get("dims") or DEFAULT_DIMS)]
    tickets = tickets_for(request.user).order_by()
    if data.get("category"):
        tickets = tickets.filter(category=data["category"])
    now = timezone.now()
    window = {"start": sla.month_start(start_month), "end": sla.month_start(next_month), "now": now}
    grouped = sla.grouped_counts(tickets, dims=dims, **window)
    months = sla.to_rows(sla.grouped_counts(tickets, dims=["month"], **window), ["month"])
    return {
        "grouped": grouped,
        "form": form,
        "dims": dims,
        "dim_labels": [sla.DIMENSIONS[d] for d in dims],
        "start": start_month,
        "end": end_month,
        "total": sla.total_of(months),
        "months": months,
        "tickets": tickets,
        "now": now,
    }


@require_roles(*SLA_ROLES)
def sla_dashboard(request):
    report = _report(request)
    tickets, now = report["tickets"], report["now"]
    rows = sla.to_rows(report["grouped"][: sla.ROW_LIMIT + 1], report["dims"])
    counts = sla.state_counts(tickets, now)
    open_tickets = list(
        tickets.filter(state__in=OPEN_STATES)
        .select_related("owner", "department")
        .order_by("response_due_at")[:50]
    )
    overdue = list(
        tickets.filter(sla.overdue_q(now))
        .select_related("owner", "department", "hall")
        .order_by("received_at")[:100]
    )
    states = [
        (label, counts[value]) for value, label in TicketState.choices if value in OPEN_STATES
    ]
    return render(
        request,
        "complaints/sla/dashboard.html",
        {
            **report,
            "rows": rows[: sla.ROW_LIMIT],
            "more_rows": len(rows) > sla.ROW_LIMIT,
            "row_limit": sla.ROW_LIMIT,
            "states": states,
            "counts": counts,
            "open_rows": [(t, response_clock(t, now), result_clock(t, now)) for t in open_tickets],
            "overdue_rows": [(t, response_clock(t, now), result_clock(t, now)) for t in overdue],
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
            "response_bars": sla.chart_bars(report["months"], "response_rate"),
            "result_bars": sla.chart_bars(report["months"], "result_rate"),
            "chart_width": 60 + 40 * len(report["months"]),
            "target_y": 10 + 120 - int(sla.TARGET * 120 / 100),
            "missing_years": calendar_years_missing(),
            "query": request.GET.urlencode(),
        },
    )


def _table(report):
    header = [str(label) for label in report["dim_labels"]] + [
        _("Tickets"),
        _("Responses due"),
        _("Responses on time"),
        _("Response on-time rate %"),
        _("Results due"),
        _("Results on time"),
        _("Result on-time rate %"),
        _("Calendar missing"),
        _("Replied"),
        _("Followed up"),
        _("Follow-up rate %"),
        _("Satisfied"),
        _("Fairly satisfied"),
        _("Dissatisfied"),
        _("Could not be reached"),
        _("Satisfaction %"),
    ]
    body = []
    rows = sla.to_rows(report["grouped"], report["dims"])
    for row in [*rows, report["total"]]:
        c = row.counts
        labels = row.labels or [_("Total")] + [""] * (len(report["dims"]) - 1)
        body.append(
            [
                *labels,
                c["total"],
                c["response_counted"],
                c["response_on_time"],
                row.response_rate,
                c["result_counted"],
                c["result_on_time"],
                row.result_rate,
                c["result_missing"],
                c["replied"],
                c["followed_up"],
                row.follow_up_rate,
                c["satisfied"],
                c["fairly_satisfied"],
                c["dissatisfied"],
                c["unreachable"],
                row.satisfaction,
            ]
        )
    return header, body


@require_roles(*SLA_ROLES)
def sla_export(request, fmt):
    if fmt not in FORMATS:
        raise Http404
    report = _report(request)
    header, body = _table(report)
    table = Table(sheet=_("On-time rates"), header=header, rows=body)
    return table_response(fmt, f"sla-{report['start']:%Y%m}-{report['end']:%Y%m}", table)
