"""SLA reads: where a ticket's clocks stand, the manager SLA view's rates, the home-page items.

The SLA view's rates are aggregated in the database from the recorded timestamps. One grouped
query by the chosen dimensions (month × department × category × owner at most) feeds the table
and the exports, one by month feeds the chart and the totals; three more fetch the open tickets
by state, the soonest-due open tickets and the overdue list. The page shows the first ROW_LIMIT
groups (the export has them all). The query count does not depend on the number of tickets.

Rates (首问负责: on-time handling ≥ 99%):
- response: tickets answered by their 4-hour due time / tickets whose response is done or overdue;
- result: forwarded tickets whose department result came by its due time / forwarded tickets
  whose result is in or overdue (tickets whose due date waits for a missing calendar are left
  out and counted apart);
- follow-up rate: tickets with a follow-up call / tickets replied to the customer;
- satisfaction: 满意 + 基本满意 / customers reached on the follow-up call.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from ..models import (
    OPEN_STATES,
    Category,
    FirstContactTicket,
    FollowUpOutcome,
    TicketState,
)
from .tickets import tickets_for

DIMENSIONS = {
    "month": gettext_lazy("Month"),
    "department": gettext_lazy("Department"),
    "category": gettext_lazy("Category"),
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


DEFAULT_DIMS = ["month", "department"]


@dataclass
class SlaReport:
    """The rates of the tickets received in whole months, grouped by `dims`."""

    tickets: QuerySet  # the user's tickets of the chosen category, every month
    start: date  # first day of the first month
    end: date  # first day of the last month
    dims: list[str]
    now: datetime
    grouped: QuerySet  # grouped_counts by `dims`
    months: list[SlaRow]

    @property
    def dim_labels(self) -> list:
        return [DIMENSIONS[d] for d in self.dims]

    @property
    def total(self) -> SlaRow:
        return total_of(self.months)

    def rows(self, limit: int | None = None) -> list[SlaRow]:
        return to_rows(self.grouped[:limit] if limit else self.grouped, self.dims)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def sla_report(user, *, start=None, end=None, category=None, dims=None, now=None) -> SlaReport:
    """The rates from month `start` to month `end` (dates, any day of the month; by default the
    twelve months up to this one; swapped when given the wrong way round) of the tickets `user`
    may see, of one category or all, grouped by `dims` (by default month and department)."""
    now = now or timezone.now()
    end_month = (end or timezone.localdate(now)).replace(day=1)
    start_month = (start or date(end_month.year - 1, end_month.month, 1)).replace(day=1)
    if start_month > end_month:
        start_month, end_month = end_month, start_month
    dims = [d for d in DIMENSIONS if d in (dims or DEFAULT_DIMS)]
    tickets = tickets_for(user).order_by()
    if category:
        tickets = tickets.filter(category=category)
    window = {
        "start": month_start(start_month),
        "end": month_start(_next_month(end_month)),
        "now": now,
    }
    return SlaReport(
        tickets=tickets,
        start=start_month,
        end=end_month,
        dims=dims,
        now=now,
        grouped=grouped_counts(tickets, dims=dims, **window),
        months=to_rows(grouped_counts(tickets, dims=["month"], **window), ["month"]),
    )


def open_tickets(report: SlaReport, limit: int = 50) -> list[FirstContactTicket]:
    """The open tickets whose response is due soonest (one query)."""
    return list(
        report.tickets.filter(state__in=OPEN_STATES)
        .select_related("owner", "department")
        .order_by("response_due_at")[:limit]
    )


def overdue_tickets(report: SlaReport, limit: int = 100) -> list[FirstContactTicket]:
    """The open tickets with a clock overdue, oldest first (one query)."""
    return list(
        report.tickets.filter(overdue_q(report.now))
        .select_related("owner", "department", "hall")
        .order_by("received_at")[:limit]
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


# --- where a ticket's clocks stand -------------------------------------------------------


@dataclass(frozen=True)
class Clock:
    """Where one SLA clock of a ticket stands, for display."""

    status: str  # on_time, late, running, due_soon, overdue, missing, not_applicable
    due_at: datetime | None
    done_at: datetime | None
    left: timedelta | None

    @property
    def label(self) -> str:
        return {
            "on_time": _("Done on time"),
            "late": _("Done late"),
            "running": _("Running"),
            "due_soon": _("Due soon"),
            "overdue": _("Overdue"),
            "missing": _("Calendar missing"),
            "not_applicable": _("Not applicable"),
        }[self.status]

    @property
    def css(self) -> str:
        return {
            "on_time": "status-ok",
            "late": "status-danger",
            "due_soon": "status-warn",
            "overdue": "status-danger",
            "missing": "status-warn",
        }.get(self.status, "")

    @property
    def left_text(self) -> str:
        if self.left is None:
            return ""
        seconds = int(abs(self.left).total_seconds())
        days, rest = divmod(seconds, 86400)
        hours, rest = divmod(rest, 3600)
        minutes = rest // 60
        text = (
            _("%(d)sd %(h)sh") % {"d": days, "h": hours}
            if days
            else _("%(h)sh %(m)smin") % {"h": hours, "m": minutes}
        )
        return text if self.left >= timedelta(0) else _("%(t)s overdue") % {"t": text}

    @property
    def text(self) -> str:
        """Status and time left as shown: "overdue" is said once (已超时49天8小时), not as a
        label and again in the time (已超时 · 已超时49天8小时)."""
        if not self.left_text:
            return self.label
        if self.left < timedelta(0):
            return self.left_text
        return f"{self.label} · {self.left_text}"


def _clock(due_at, done_at, now, soon: timedelta) -> Clock:
    if done_at is not None:
        status = "on_time" if due_at is not None and done_at <= due_at else "late"
        if due_at is None:
            status = "missing"
        return Clock(status, due_at, done_at, None)
    if due_at is None:
        return Clock("missing", None, None, None)
    left = due_at - now
    if left < timedelta(0):
        status = "overdue"
    elif left <= soon:
        status = "due_soon"
    else:
        status = "running"
    return Clock(status, due_at, None, left)


def response_clock(ticket: FirstContactTicket, now=None) -> Clock:
    now = now or timezone.now()
    soon = timedelta(minutes=settings.COMPLAINTS_RESPONSE_DUE_SOON_MINUTES)
    return _clock(ticket.response_due_at, ticket.responded_at, now, soon)


def result_clock(ticket: FirstContactTicket, now=None) -> Clock:
    """The department's result; due soon on the last working day (the due time is its end)."""
    now = now or timezone.now()
    if ticket.resolved_on_spot or (ticket.forwarded_at is None and ticket.state != TicketState.NEW):
        return Clock("not_applicable", ticket.result_due_at, None, None)
    if ticket.result_at is None and ticket.state == TicketState.CLOSED:
        return Clock("not_applicable", ticket.result_due_at, None, None)
    # Due soon on the last working day: its end is the due time (no DST in Shanghai).
    return _clock(ticket.result_due_at, ticket.result_at, now, timedelta(days=1))


def with_clocks(tickets, now=None) -> list[tuple[FirstContactTicket, Clock, Clock]]:
    """(ticket, response clock, result clock) of each ticket, for the lists."""
    now = now or timezone.now()
    return [(t, response_clock(t, now), result_clock(t, now)) for t in tickets]
