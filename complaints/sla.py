"""The manager SLA view: on-time rates from the recorded timestamps, aggregated in the database.

One grouped query by the chosen dimensions (month × department × category × owner at most) feeds
the table and the exports, one by month feeds the chart and the totals; three more fetch the
open tickets by state, the soonest-due open tickets and the overdue list. The page shows the
first ROW_LIMIT groups (the export has them all). The query count does not depend on the number
of tickets.

Rates (首问负责: on-time handling ≥ 99%):
- response: tickets answered by their 4-hour due time / tickets whose response is done or overdue;
- result: forwarded tickets whose department result came by its due time / forwarded tickets
  whose result is in or overdue (tickets whose due date waits for a missing calendar are left
  out and counted apart);
- follow-up rate: tickets with a follow-up call / tickets replied to the customer;
- satisfaction: 满意 + 基本满意 / customers reached on the follow-up call.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import OPEN_STATES, Category, FollowUpOutcome, TicketState

DIMENSIONS = {
    "month": _("Month"),
    "department": _("Department"),
    "category": _("Category"),
    "owner": pgettext_lazy("ticket", "Owner"),
}
TARGET = Decimal("99.0")
ROW_LIMIT = 200
COUNTERS = [
    "total",
    "response_counted",
    "response_on_time",
    "result_counted",
    "result_on_time",
    "result_missing",
    "replied",
    "followed_up",
    "satisfied",
    "fairly_satisfied",
    "dissatisfied",
    "unreachable",
]


def _rate(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class SlaRow:
    key: tuple
    labels: list
    counts: dict = field(default_factory=lambda: dict.fromkeys(COUNTERS, 0))

    def add(self, counts):
        for name in COUNTERS:
            self.counts[name] += counts[name]

    @property
    def response_rate(self):
        return _rate(self.counts["response_on_time"], self.counts["response_counted"])

    @property
    def result_rate(self):
        return _rate(self.counts["result_on_time"], self.counts["result_counted"])

    @property
    def follow_up_rate(self):
        return _rate(self.counts["followed_up"], self.counts["replied"])

    @property
    def satisfaction(self):
        c = self.counts
        reached = c["satisfied"] + c["fairly_satisfied"] + c["dissatisfied"]
        return _rate(c["satisfied"] + c["fairly_satisfied"], reached)


def month_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day.replace(day=1), time.min))


DIMENSION_FIELDS = {
    "month": "month",
    "department": "department__name",
    "category": "category",
    "owner": "owner__name",
}


def grouped_counts(tickets, *, dims: list[str], start: datetime, end: datetime, now: datetime):
    """One query: the counters per combination of `dims` (a subset of DIMENSIONS), sorted."""
    responded_or_late = Q(responded_at__isnull=False) | Q(response_due_at__lt=now)
    forwarded = Q(forwarded_at__isnull=False, result_due_at__isnull=False)
    result_in_or_late = Q(result_at__isnull=False) | Q(result_due_at__lt=now)
    fields = [DIMENSION_FIELDS[d] for d in dims]
    return (
        tickets.filter(received_at__gte=start, received_at__lt=end)
        .annotate(month=TruncMonth("received_at"))
        .values(*fields)
        .annotate(
            total=Count("id"),
            response_counted=Count("id", filter=responded_or_late),
            response_on_time=Count("id", filter=Q(responded_at__lte=F("response_due_at"))),
            result_counted=Count("id", filter=forwarded & result_in_or_late),
            result_on_time=Count("id", filter=forwarded & Q(result_at__lte=F("result_due_at"))),
            result_missing=Count(
                "id", filter=Q(forwarded_at__isnull=False, result_due_at__isnull=True)
            ),
            replied=Count("id", filter=Q(replied_at__isnull=False)),
            followed_up=Count("id", filter=Q(follow_up_attempts__gt=0)),
            satisfied=Count("id", filter=Q(follow_up_outcome=FollowUpOutcome.SATISFIED)),
            fairly_satisfied=Count(
                "id", filter=Q(follow_up_outcome=FollowUpOutcome.FAIRLY_SATISFIED)
            ),
            dissatisfied=Count("id", filter=Q(follow_up_outcome=FollowUpOutcome.DISSATISFIED)),
            unreachable=Count("id", filter=Q(follow_up_outcome=FollowUpOutcome.UNREACHABLE)),
        )
        .order_by(*fields)
    )


def to_rows(raw_rows, dims: list[str]) -> list[SlaRow]:
    """SlaRows with display labels (month as YYYY-MM, category in words)."""
    categories = dict(Category.choices)
    empty = str(_("(none)"))
    rows = []
    for raw in raw_rows:
        labels = []
        for dim in dims:
            value = raw[DIMENSION_FIELDS[dim]]
            if dim == "month":
                value = timezone.localtime(value).strftime("%Y-%m") if value else ""
            elif dim == "category":
                value = str(categories.get(value, value))
            labels.append(value or empty)
        row = SlaRow(tuple(labels), labels)
        row.add(raw)
        rows.append(row)
    return rows


def total_of(rows: list[SlaRow]) -> SlaRow:
    total = SlaRow((), [])
    for row in rows:
        total.add(row.counts)
    return total


def state_counts(tickets, now):
    """Open tickets by state, and how many wait for a missing calendar (one query)."""
    figures = tickets.filter(state__in=OPEN_STATES).aggregate(
        **{state: Count("id", filter=Q(state=state)) for state in OPEN_STATES},
        missing=Count("id", filter=Q(result_due_at__isnull=True)),
        response_overdue=Count("id", filter=Q(responded_at__isnull=True, response_due_at__lt=now)),
        result_overdue=Count("id", filter=Q(state=TicketState.FORWARDED, result_due_at__lt=now)),
    )
    return figures


def overdue_q(now) -> Q:
    return Q(state__in=OPEN_STATES) & (
        Q(responded_at__isnull=True, response_due_at__lt=now)
        | Q(state=TicketState.FORWARDED, result_due_at__lt=now)
    )


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    height: int
    label: str
    value: Decimal | None


def chart_bars(months: list[SlaRow], attribute: str, *, height=120, width=28, gap=12):
    """Bars of a rate (0–100 %) per month for the server-drawn SVG chart."""
    bars = []
    for index, row in enumerate(months):
        value = getattr(row, attribute)
        h = int((value or 0) * height / 100)
        bars.append(Bar(index * (width + gap) + 40, height - h + 10, h, row.labels[0], value))
    return bars
