"""Tables of the safety lists (django-tables2) where sorting and pagination help: the incident
list, which grows by years. The grids (drills by month, closing checks by day) and the short
list of open corrective actions are plain templates."""

import django_tables2 as tables
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .selectors.incidents import leadership_delay

INCIDENTS_PER_PAGE = 50


def _delay_class(table, record) -> str:
    return "status-danger" if table.delay_of(record).flagged else ""


class IncidentTable(tables.Table):
    """Incidents newest first; sortable by time, hall and injured. The data must carry
    `leadership_at` (selectors.incidents.with_leadership_time)."""

    occurred_at = tables.DateTimeColumn(
        verbose_name=_("Occurred at"),
        format="Y-m-d H:i",
        linkify=("safety:incident_detail", {"pk": tables.A("pk")}),
        order_by=("occurred_at", "id"),
    )
    hall = tables.Column(
        verbose_name=_("Hall"), accessor="hall__name", order_by=("hall__sort_order", "hall__code")
    )
    # Sorted by their codes these would not follow their Chinese names: the status is a filter.
    kind = tables.Column(verbose_name=_("Type"), orderable=False)
    status = tables.Column(verbose_name=_("Status"), orderable=False)
    injured_count = tables.Column(
        verbose_name=_("Injured"),
        attrs={"th": {"class": "num"}, "td": {"class": "num"}},
        order_by=("injured_count", "occurred_at", "id"),
    )
    delay = tables.Column(
        verbose_name=_("Leadership informed after"),
        empty_values=(),
        orderable=False,
        attrs={"td": {"class": _delay_class}},
    )
    reported_by = tables.Column(verbose_name=_("Reported by"), orderable=False)

    class Meta:
        order_by = ("-occurred_at",)
        template_name = "safety/incidents/_table.html"
        attrs = {"class": "data", "data-testid": "incident-list"}
        empty_text = _("No incidents.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.order_by:  # no `sort`, or none the table knows: newest first
            self.order_by = self._meta.order_by
        # One moment for every row: an incident not yet reported to leadership counts to now.
        self.now = timezone.now()

    def delay_of(self, record):
        return leadership_delay(record, self.now)

    def render_delay(self, record):
        return render_to_string("safety/incidents/_delay.html", {"delay": self.delay_of(record)})

    def render_reported_by(self, value):
        return getattr(getattr(value, "employee", None), "name", None) or value.username

    def paginate_leniently(self, page):
        """Like Paginator.get_page: a page that is no number is the first, one past the end
        the last. The page size is fixed (no `per_page` from the query string)."""
        try:
            self.paginate(per_page=INCIDENTS_PER_PAGE, page=page or 1)
        except PageNotAnInteger:
            self.page = self.paginator.page(1)
        except EmptyPage:
            self.page = self.paginator.page(self.paginator.num_pages)
