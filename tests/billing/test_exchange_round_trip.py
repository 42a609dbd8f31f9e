"""The exchange with the billing system end to end: bills in, money taken at the counter and by
channel, a void, the movements read as the billing system reads them (twice), the same channel
file recorded again; and every sum of the books checked after each step.

Hooks for the parallel branches (issue #13), each a named helper below:
- `read_feed` reads the movements with the ORM in pages after a cursor, as the API's
  `GET /api/v1/movements/?after=SEQ&limit=N` answers them: switch it to the API client once the
  API lands (h13-api);
- `apply_corrections` does nothing yet: call the corrections import (h13-corrections) there;
  `books_balance` already counts a correction movement's prepaid change and bill changes;
- `record_channel_file` calls the service as `import_channel_payments FILE` does: switch it to
  the command once it lands (h13-channels).
"""

import io
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billing.models import Account, Bill, Movement, MovementKind
from billing.services.channels import ChannelPaymentInput, channel_payments_record
from billing.services.counter import OverpayNotConfirmed, payment_post
from billing.services.imports import bills_import
from billing.services.voids import void_approve, void_request
from tests.billing.books import ZERO, books_balance, money_in, total
from tests.billing.factories import InvoiceRangeFactory

pytestmark = pytest.mark.django_db

BILLS = """户号,户名,地址,电话,账期,水量,金额
RT001,赵建华,象山大道1号,13800000001,2026-01,10,29.50
RT001,赵建华,象山大道1号,13800000001,2026-02,12,35.40
RT002,钱秀英,象山大道2号,13800000002,2026-01,8,23.60
RT002,钱秀英,象山大道2号,13800000002,2026-02,9,26.55
RT003,孙志强,象山大道3号,13800000003,2026-01,20,59.00
RT004,李桂兰,象山大道4号,13800000004,2026-01,5,14.75
"""


# --- Hooks ---------------------------------------------------------------------------------------


def read_feed(after=0, limit=2):
    """Every movement after `after`, page by page, as the billing system receives them: dicts
    with the API's fields (amounts as strings). HOOK: read through the API once it lands."""
    rows = []
    while True:
        page = list(
            Movement.objects.filter(seq__gt=after)
            .order_by("seq")
            .select_related("account", "reverses")
            .prefetch_related("lines")[:limit]
        )
        rows += [
            {
                "id": str(m.public_id),
                "seq": m.seq,
                "kind": m.kind,
                "account_no": m.account.account_no,
                "amount": str(m.amount),
                "prepaid_change": str(m.prepaid_change),
                "reverses": str(m.reverses.public_id) if m.reverses_id else None,
                "lines": [
                    {"period": line.period, "amount": str(line.amount)} for line in m.lines.all()
                ],
            }
            for m in page
        ]
        if len(page) < limit:
            return rows
        after = page[-1].seq


def apply_corrections(actor):
    """HOOK: the corrections upload (h13-corrections) changes a paid bill's amount here."""
    return []


def record_channel_file(items):
    """HOOK: a channel payments file, as `import_channel_payments FILE` records it (the command
    is on branch h13-channels)."""
    return channel_payments_record(items, source_file="round-trip.csv")


def feed_sums(rows):
    money = [row for row in rows if row["kind"] != MovementKind.CORRECTION]
    return (
        sum((Decimal(row["amount"]) for row in money), ZERO),
        sum((Decimal(line["amount"]) for row in rows for line in row["lines"]), ZERO),
        sum((Decimal(row["prepaid_change"]) for row in rows), ZERO),
    )


# --- The round trip ---------------------------------------------------------------------------


def _cash(cashier, account, amount):
    amount = Decimal(amount)
    return payment_post(
        cashier=cashier, account_id=account.pk, amount=amount, method="cash", tendered=amount
    ).payment


def _channel(account, amount, reference, channel="wechat", paid_at=None):
    return ChannelPaymentInput(
        channel=channel,
        reference=reference,
        account_no=account.account_no,
        amount=Decimal(amount),
        paid_at=paid_at or timezone.now(),
    )


def test_bills_counter_channel_void_and_feed_add_up_and_a_file_recorded_twice_is_one(world):
    InvoiceRangeFactory(cashier=world.cashier)
    InvoiceRangeFactory(cashier=world.cashier2)
    batch = bills_import(actor=world.office, source=io.BytesIO(BILLS.encode("gbk")), filename="b")
    assert batch.bills_created == 6
    accounts = {account.account_no: account for account in Account.objects.all()}
    a1, a2, a3, a4 = (accounts[f"RT00{n}"] for n in range(1, 5))
    books_balance()

    # The counter: a1 in full, a2 in part, a3 over (to prepaid); one of them is voided.
    first = _cash(world.cashier, a1, "64.90")
    _cash(world.cashier2, a2, "30.00")
    wrong = _cash(world.cashier, a3, "80.00")
    assert books_balance() == Decimal("174.90")

    # The channels, later: a1 again (already paid: a possible double), a2's rest, a4 by bank.
    paid_at = timezone.now()
    channel_file = [
        _channel(a1, "64.90", "WX-1", paid_at=paid_at),
        _channel(a2, "20.15", "ALI-1", channel="alipay", paid_at=paid_at),
        _channel(a4, "14.75", "BANK-1", channel="bank_collection", paid_at=paid_at),
    ]
    recorded = record_channel_file(channel_file)
    assert [r.created for r in recorded] == [True, True, True]
    assert [r.payment.possible_double for r in recorded] == [True, False, False]
    assert books_balance() == Decimal("274.70")

    # The void of a3's payment: the reversal gives back its bill and its prepaid balance.
    request = void_request(actor=world.cashier, payment=wrong, reason="户号输错")
    reversal = void_approve(lead=world.shift_lead, void=request)
    assert books_balance() == Decimal("194.70")
    apply_corrections(world.office)
    received = books_balance()

    # The billing system reads the feed, then reads it again from the same cursor.
    feed = read_feed()
    assert [row["seq"] for row in feed] == list(range(1, Movement.objects.count() + 1))
    assert read_feed() == feed
    assert read_feed(after=feed[2]["seq"]) == feed[3:]
    amount, lines, prepaid = feed_sums(feed)
    assert amount == received
    assert lines == total(Bill.objects, "amount_paid")
    assert prepaid == total(Account.objects, "prepaid_balance")
    [reversal_row] = [row for row in feed if row["kind"] == MovementKind.REVERSAL]
    assert reversal_row["reverses"] == str(Movement.objects.get(payment=wrong).public_id)
    assert reversal_row["amount"] == str(reversal.amount) == "-80.00"
    assert Movement.objects.get(payment=first).lines.count() == 2

    a1.refresh_from_db()
    a3.refresh_from_db()
    assert a1.prepaid_balance == Decimal("64.90")  # the double payment, to follow up
    assert a3.prepaid_balance == ZERO
    assert set(Bill.objects.filter(account=a3).values_list("amount_paid", flat=True)) == {ZERO}

    # The same file again: the same payments, nothing new, the books unchanged.
    again = record_channel_file(channel_file)
    assert [r.created for r in again] == [False, False, False]
    assert [r.payment.pk for r in again] == [r.payment.pk for r in recorded]
    assert read_feed() == feed
    assert books_balance() == received


# --- The same sums, whatever the amounts --------------------------------------------------------

fen = st.integers(min_value=1, max_value=20_000).map(lambda n: Decimal(n) / 100)
step = st.tuples(st.sampled_from(["counter", "channel", "void"]), st.integers(0, 2), fen)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    dues=st.lists(st.lists(fen, min_size=0, max_size=3), min_size=3, max_size=3),
    steps=st.lists(step, min_size=1, max_size=6),
)
def test_whatever_is_paid_and_voided_the_books_and_the_feed_add_up(world, dues, steps):
    """Any bills, counter and channel payments of any amounts on the same accounts, any voids,
    on SQLite (decimals stored as floats) as on PostgreSQL: every sum holds after every step,
    and the feed read twice is the same and adds up to the money received."""
    with transaction.atomic():
        InvoiceRangeFactory(cashier=world.cashier)
        text = "户号,户名,地址,电话,账期,水量,金额\n" + "".join(
            f"P{n},户{n},,,2026-{index + 1:02d},1,{due}\n"
            for n, amounts in enumerate(dues)
            for index, due in enumerate(amounts)
        )
        if any(dues):
            bills_import(actor=None, source=io.BytesIO(text.encode()), filename="p")
        accounts = [
            Account.objects.get_or_create(account_no=f"P{n}", defaults={"name": f"户{n}"})[0]
            for n in range(3)
        ]
        paid_at = timezone.now()  # not before the accounts came into the system
        payments = []
        for number, (kind, which, amount) in enumerate(steps):
            account = accounts[which]
            if kind == "counter":
                try:
                    payments.append(_cash(world.cashier, account, amount))
                except OverpayNotConfirmed as refused:  # the cashier's second Enter
                    payments.append(
                        payment_post(
                            cashier=world.cashier,
                            account_id=account.pk,
                            amount=amount,
                            method="cash",
                            tendered=amount,
                            prepaid_confirmed=refused.prepaid,
                        ).payment
                    )
            elif kind == "channel":
                channel_payments_record([_channel(account, amount, f"H{number}", paid_at=paid_at)])
            elif payments:
                original = payments.pop(0)
                account = Account.objects.get(pk=original.account_id)
                if account.prepaid_balance >= original.prepaid_added - original.prepaid_used:
                    request = void_request(actor=world.cashier, payment=original, reason="演示")
                    void_approve(lead=world.shift_lead, void=request)
            books_balance()
        feed = read_feed(limit=3)
        assert read_feed(limit=3) == feed
        assert feed_sums(feed)[0] == money_in()
        transaction.set_rollback(True)
