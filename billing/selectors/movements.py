"""Reads of movements: a day's batch file and whether the day is still open, an account's
recent payments at the counter, and its customer statement (缴费记录).

A day is **open** while its movements may still be questioned, so its file is a preview (its
name says `-OPEN`):
- the business date is today or later (payments are still being taken), or
- a hall took counter payments that day and its hall day (营业日) is not signed by the shift
  lead (its ledgers are not all verified yet; the director's reopen unsigns it again).
Channel payments and corrections have no hall: they never keep a past day open, since a
movement's business date is the local date it was recorded, so a past day gets no new one.
Once every hall with payments has signed, the day's file is final and the same bytes each time.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from ..models import Channel, HallDay, Movement, MovementKind, MovementLine, PaymentMethod
from ..money import ZERO

# The counter shows this many of the account's latest movements.
HISTORY_LIMIT = 10


@dataclass
class MovementDay:
    """A business date's movements: how many, and why the day is still open (if it is)."""

    business_date: date
    count: int = 0
    # The date is today or later.
    not_over: bool = False
    # Names of the halls with counter payments that day whose hall day is not signed.
    unsigned_halls: list[str] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.not_over or bool(self.unsigned_halls)

    @property
    def file_name(self) -> str:
        suffix = "-OPEN" if self.is_open else ""
        return f"movements-{self.business_date.isoformat()}{suffix}.csv"


def movement_days(first: date, last: date, *, today: date | None = None) -> list[MovementDay]:
    """Every date from `first` to `last` with its movement count and open state: two queries
    whatever the span."""
    today = today or timezone.localdate()
    days = {}
    day = first
    while day <= last:
        days[day] = MovementDay(business_date=day, not_over=day >= today)
        day = date.fromordinal(day.toordinal() + 1)
    signed = set(
        HallDay.objects.filter(
            business_date__range=(first, last), signed_at__isnull=False
        ).values_list("business_date", "hall_id")
    )
    per_hall = (
        Movement.objects.filter(business_date__range=(first, last))
        .order_by()
        .values("business_date", "hall_id", "hall__name")
        .annotate(count=Count("id"))
        .order_by("business_date", "hall__name")
    )
    for row in per_hall:
        entry = days[row["business_date"]]
        entry.count += row["count"]
        hall_id = row["hall_id"]
        if hall_id is not None and (row["business_date"], hall_id) not in signed:
            entry.unsigned_halls.append(row["hall__name"])
    return list(days.values())


def movement_day(business_date: date, *, today: date | None = None) -> MovementDay:
    return movement_days(business_date, business_date, today=today)[0]


def _lines() -> Prefetch:
    return Prefetch("lines", queryset=MovementLine.objects.order_by("period", "id"))


def movements_of_day(business_date: date) -> QuerySet[Movement]:
    """The movements of a business date in sequence order, with what the batch file writes of
    each: the related rows' single values as annotations (two queries per chunk when iterated
    with a chunk size)."""
    return (
        Movement.objects.filter(business_date=business_date)
        .annotate(
            account_no=F("account__account_no"),
            hall_code=F("hall__code"),
            hall_name=F("hall__name"),
            reverses_public_id=F("reverses__public_id"),
            channel=F("channel_payment__channel"),
            paid_at=F("channel_payment__paid_at"),
            old_amount_due=F("correction__old_amount_due"),
            new_amount_due=F("correction__new_amount_due"),
        )
        .prefetch_related(_lines())
        .order_by("seq")
    )


@dataclass
class Line:
    period: str
    amount: Decimal


@dataclass
class Entry:
    """A movement as the counter and the statement show it: when, where, how, who."""

    seq: int
    kind: str
    amount: Decimal
    prepaid_change: Decimal
    invoice_number: str
    # The customer's time: when a channel says it was paid, else when it was recorded.
    when: datetime
    # The hall, or the channel; empty for a bill correction (the meter-reading office's).
    where: str
    # The counter's method (cash, card, ...), or the kind for a channel payment or correction.
    how: str
    cashier_no: str
    cashier_name: str
    # A counter payment voided later (its reversal is another entry).
    voided: bool
    lines: list[Line] = field(default_factory=list)

    @property
    def is_reversal(self) -> bool:
        return self.kind == MovementKind.REVERSAL

    @property
    def periods(self) -> str:
        """The periods it settled, as the counter lists them (2026-01、2026-02)."""
        return "、".join(line.period for line in self.lines)


def _entries(movements: QuerySet[Movement]) -> list[Entry]:
    """`movements` as entries, in their order, in ONE query: the lookup at the counter is timed
    to the millisecond, so a movement comes with its related rows' single values and one row
    per bill it settled (joined), instead of related objects and a second query for its lines.
    """
    rows = movements.order_by(*movements.query.order_by, "lines__period").values(
        "seq",
        "kind",
        "amount",
        "method",
        "prepaid_change",
        "invoice_number",
        "cashier_employee_no",
        "occurred_at",
        hall_name=F("hall__name"),
        paid_at=F("channel_payment__paid_at"),
        cashier_name=F("payment__cashier__employee__name"),
        voided=Exists(Movement.objects.filter(reverses=OuterRef("pk"))),
        line_period=F("lines__period"),
        line_amount=F("lines__amount"),
    )
    methods, channels = dict(PaymentMethod.choices), dict(Channel.choices)
    entries: dict[int, Entry] = {}
    for row in rows:
        entry = entries.get(row["seq"])
        if entry is None:
            kind = row["kind"]
            if kind in (MovementKind.PAYMENT, MovementKind.REVERSAL):
                where, how = row["hall_name"] or "", methods.get(row["method"], row["method"])
            elif kind == MovementKind.CHANNEL_PAYMENT:
                where, how = channels.get(row["method"], row["method"]), MovementKind(kind).label
            else:
                where, how = "", MovementKind(kind).label
            entry = entries[row["seq"]] = Entry(
                seq=row["seq"],
                kind=kind,
                amount=row["amount"],
                prepaid_change=row["prepaid_change"],
                invoice_number=row["invoice_number"],
                when=row["paid_at"] or row["occurred_at"],
                where=str(where),
                how=str(how),
                cashier_no=row["cashier_employee_no"],
                cashier_name=row["cashier_name"] or "",
                voided=kind == MovementKind.PAYMENT and row["voided"],
            )
        if row["line_period"] is not None:
            entry.lines.append(Line(row["line_period"], row["line_amount"]))
    return list(entries.values())


def account_history(account, limit: int = HISTORY_LIMIT) -> list[Entry]:
    """The account's latest movements, newest first, from every hall and channel: one query."""
    latest = Movement.objects.filter(account=account).order_by("-seq").values("pk")[:limit]
    return _entries(Movement.objects.filter(pk__in=latest).order_by("-seq"))


@dataclass
class Statement:
    """An account's customer statement (缴费记录) for the business dates `first`..`last`."""

    account: object
    first: date
    last: date
    entries: list[Entry]

    def _sum(self, kinds=None, attribute="amount"):
        return sum(
            (
                getattr(entry, attribute)
                for entry in self.entries
                if kinds is None or entry.kind in kinds
            ),
            start=ZERO,
        )

    @property
    def counter_paid(self):
        return self._sum((MovementKind.PAYMENT,))

    @property
    def channel_paid(self):
        return self._sum((MovementKind.CHANNEL_PAYMENT,))

    @property
    def reversed(self):
        return self._sum((MovementKind.REVERSAL,))

    @property
    def received(self):
        """The money received, net of the reversals."""
        return self._sum(
            (MovementKind.PAYMENT, MovementKind.CHANNEL_PAYMENT, MovementKind.REVERSAL)
        )

    @property
    def corrected(self):
        """The change of the amounts due by bill corrections (− lowered, + raised)."""
        return self._sum((MovementKind.CORRECTION,))

    @property
    def prepaid_change(self):
        return self._sum(attribute="prepaid_change")


def account_statement(account, first: date, last: date) -> Statement:
    """Every movement of the account with a business date from `first` to `last`, in the order
    they happened: one query whatever the length."""
    movements = Movement.objects.filter(account=account, business_date__range=(first, last))
    return Statement(
        account=account, first=first, last=last, entries=_entries(movements.order_by("seq"))
    )
