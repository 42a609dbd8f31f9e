"""Reads of the API for the billing system (billing/api/): the movements feed by cursor."""

from collections import defaultdict

from ..models import Movement, MovementLine

# What one movement of the feed reads: one query for a page, whatever its size, plus one for
# the lines of all its movements.
FEED_FIELDS = (
    "pk",
    "seq",
    "public_id",
    "kind",
    "account__account_no",
    "amount",
    "method",
    "reference",
    "prepaid_change",
    "invoice_code",
    "invoice_number",
    "hall__code",
    "hall__name",
    "cashier_employee_no",
    "business_date",
    "occurred_at",
    "reverses__public_id",
    "channel_payment__channel",
    "channel_payment__paid_at",
    "correction__old_amount_due",
    "correction__new_amount_due",
)


def movements_after(after: int, limit: int) -> tuple[list[dict], bool]:
    """The first `limit` movements with seq > `after`, in seq order, each with its `lines`
    [(period, amount)], and whether more follow. Two queries.

    Numbers are given in commit order (billing.services.movements), and movements are never
    changed: the same cursor always reads the same movements, followed by newer ones only.
    """
    rows = list(
        Movement.objects.filter(seq__gt=after).order_by("seq").values(*FEED_FIELDS)[: limit + 1]
    )
    has_more = len(rows) > limit
    rows = rows[:limit]
    lines = defaultdict(list)
    if rows:
        for movement_id, period, amount in (
            MovementLine.objects.filter(movement_id__in=[row["pk"] for row in rows])
            .order_by("movement_id", "period", "pk")
            .values_list("movement_id", "period", "amount")
        ):
            lines[movement_id].append((period, amount))
    for row in rows:
        row["lines"] = lines.get(row["pk"], [])
    return rows, has_more
