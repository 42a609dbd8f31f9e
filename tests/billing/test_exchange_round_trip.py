"""The exchange with the billing system end to end: bills in, money taken at the counter and by
channel, a void, a correction, the movements read through the API as the billing system reads
them (twice), the same channel file imported again; every sum of the books checked after each
step.
"""

import io
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billing.bills_file import CorrectionRow
from billing.models import Account, Bill, Movement, MovementKind
from billing.services.channels import ChannelPaymentInput, channel_payments_record
from billing.services.corrections import bill_corrections_apply
from billing.services.counter import OverpayNotConfirmed, payment_post
from billing.services.imports import bills_import, channel_payments_import
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


def read_feed(client, token, after=0, limit=2):
    """Every movement after `after`, page by page through `GET /api/v1/movements/`, as the
    billing system receives them (amounts as strings)."""
    rows = []
    while True:
        answer = client.get(
            "/api/v1/movements/",
            {"after": after, "limit": limit},
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        assert answer.status_code == 200, answer.content
        page = answer.json()
        rows += page["movements"]
        if not page["has_more"]:
            return rows
        assert page["next"] == page["movements"][-1]["seq"]
        after = page["next"]


def apply_corrections(actor, rows):
    """The meter-reading office's corrections (更正) of bills already imported."""
    return bill_corrections_apply(
        actor=actor,
        rows=[
            CorrectionRow(account_no=no, period=period, amount=Decimal(amount), line=n + 2)
            for n, (no, period, amount) in enumerate(rows)
        ],
        source_file="corrections.csv",
    )


def import_channel_file(actor, items):
    """A channel payments file, as `import_channel_payments FILE` imports it."""
    text = "channel,reference,account_no,amount,paid_at\n" + "".join(
        f"{item.channel},{item.reference},{item.account_no},{item.amount},"
        f"{item.paid_at.isoformat()}\n"
        for item in items
    )
    return channel_payments_import(
        actor=actor, source=io.BytesIO(text.encode("gbk")), filename="round-trip.csv"
    )


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


def test_bills_counter_channel_void_correction_and_feed_add_up_and_a_file_twice_is_one(
    world, client, token
):
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
    recorded = import_channel_file(world.office, channel_file)
    assert (recorded.new, recorded.already, recorded.doubles) == (3, 0, 1)
    assert books_balance() == Decimal("274.70")

    # The void of a3's payment: the reversal gives back its bill and its prepaid balance.
    request = void_request(actor=world.cashier, payment=wrong, reason="户号输错")
    reversal = void_approve(lead=world.shift_lead, void=request)
    assert books_balance() == Decimal("194.70")

    # Corrections: a1's paid January bill lowered (the 4.50 paid beyond goes to prepaid), a2's
    # partly paid February bill raised (due again); no money moves, the books still balance.
    applied = apply_corrections(
        world.office, [("RT001", "2026-01", "25.00"), ("RT002", "2026-02", "30.00")]
    )
    assert len(applied.corrections) == 2
    received = books_balance()
    assert received == Decimal("194.70")

    # The billing system reads the feed, then reads it again from the same cursor.
    feed = read_feed(client, token)
    assert [row["seq"] for row in feed] == list(range(1, Movement.objects.count() + 1))
    assert read_feed(client, token) == feed
    assert read_feed(client, token, after=feed[2]["seq"]) == feed[3:]
    corrections = [row for row in feed if row["kind"] == MovementKind.CORRECTION]
    assert [(row["old_amount_due"], row["new_amount_due"]) for row in corrections] == [
        ("29.50", "25.00"),
        ("26.55", "30.00"),
    ]
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
    # The double payment, to follow up, and what the correction gave back.
    assert a1.prepaid_balance == Decimal("64.90") + Decimal("4.50")
    assert a3.prepaid_balance == ZERO
    assert set(Bill.objects.filter(account=a3).values_list("amount_paid", flat=True)) == {ZERO}

    # The same file again: the same payments, nothing new, the books unchanged.
    again = import_channel_file(world.office, channel_file)
    assert (again.new, again.already) == (0, 3)
    assert read_feed(client, token) == feed
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
def test_whatever_is_paid_and_voided_the_books_and_the_feed_add_up(
    world, client, token, dues, steps
):
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
        feed = read_feed(client, token, limit=3)
        assert read_feed(client, token, limit=3) == feed
        assert feed_sums(feed)[0] == money_in()
        transaction.set_rollback(True)
