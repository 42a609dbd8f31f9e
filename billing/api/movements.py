"""GET /api/v1/movements/: the movements feed, read by cursor (scope `read`)."""

import json

from django.conf import settings
from django.http import HttpResponse
from ninja import Query, Router

from ..models import ApiScope
from ..selectors.api import movements_after
from .auth import ClientToken
from .errors import ErrorOut
from .schemas import Cursor, Limit, MovementsPage, iso_time, money

router = Router(tags=["movements"])
MAX = settings.API_MOVEMENTS_MAX_LIMIT

# The middleware sets the client's last read time after a successful read.
READ_ATTR = "_api_read"

DESCRIPTION = """
按顺序读取资金变动：返回序号大于 `after` 的变动（最多 `limit` 条），以及下一次调用用的 `next`。
Movements with `seq > after`, in `seq` order, at most `limit` (default 100, at most the
server's maximum, 1000 unless set otherwise), with `next` (the last `seq` returned, or `after`
when none) and `has_more`.

**Cursor contract.** Store `next` only after you have posted the page; call again with
`after=next`. Sequence numbers are given in commit order and movements never change, so the
same `after` always returns the same movements (followed by newer ones only): a retry after a
lost answer is safe, and no movement is skipped. While `has_more` is true, call again at once.
"""


def movement_out(row: dict) -> dict:
    """One movement as JSON-ready values (strings for ids, amounts, dates and times)."""
    return {
        "id": str(row["public_id"]),
        "seq": row["seq"],
        "kind": row["kind"],
        "account_no": row["account__account_no"],
        "amount": money(row["amount"]),
        "method": row["method"],
        "reference": row["reference"],
        "prepaid_change": money(row["prepaid_change"]),
        "invoice_code": row["invoice_code"],
        "invoice_number": row["invoice_number"],
        "hall": row["hall__code"],
        "hall_name": row["hall__name"],
        "cashier_employee_no": row["cashier_employee_no"],
        "business_date": row["business_date"].isoformat(),
        "occurred_at": iso_time(row["occurred_at"]),
        "reverses": str(row["reverses__public_id"]) if row["reverses__public_id"] else None,
        "lines": [{"period": period, "amount": money(amount)} for period, amount in row["lines"]],
        "channel": row["channel_payment__channel"],
        "paid_at": iso_time(row["channel_payment__paid_at"]),
        "old_amount_due": money(row["correction__old_amount_due"]),
        "new_amount_due": money(row["correction__new_amount_due"]),
    }


@router.get(
    "/movements/",
    auth=ClientToken(ApiScope.READ),
    response={200: MovementsPage, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut},
    url_name="movements",
    operation_id="movements_list",
    summary="读取资金变动 Read movements after a cursor",
    description=DESCRIPTION,
)
def movements_list(
    request,
    # ninja's way of describing a query parameter.
    after: Cursor = Query(0, description="The last seq you read (0 at the start)."),  # noqa: B008
    limit: Limit = Query(100, description=f"At most this many movements (1 to {MAX})."),  # noqa: B008
):
    rows, has_more = movements_after(after, limit)
    setattr(request, READ_ATTR, True)
    page = {
        "movements": [movement_out(row) for row in rows],
        "next": rows[-1]["seq"] if rows else after,
        "has_more": has_more,
    }
    # Written out here rather than validated again by ninja against MovementsPage: that
    # doubled the time of a page of 1,000 (tests/billing/test_api_schema.py checks the
    # answers against the schema instead).
    return HttpResponse(
        json.dumps(page, ensure_ascii=False, separators=(",", ":")),
        content_type="application/json; charset=utf-8",
    )
