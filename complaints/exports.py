"""What each CSV/XLSX download of the complaints app contains; staff.core.tabular writes it."""

from django.utils.translation import gettext as _

from staff.core.tabular import Table

from .selectors.sla import SlaReport


def sla_filename(report: SlaReport) -> str:
    return f"sla-{report.start:%Y%m}-{report.end:%Y%m}"


def sla_table(report: SlaReport) -> Table:
    """The SLA view's rates: every group (the page shows the first ROW_LIMIT), then the total."""
    header = [str(label) for label in report.dim_labels] + [
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
    for row in [*report.rows(), report.total]:
        c = row.counts
        labels = row.labels or [_("Total")] + [""] * (len(report.dims) - 1)
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
    return Table(sheet=_("On-time rates"), header=header, rows=body)
