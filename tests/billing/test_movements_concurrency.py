"""Real threads against PostgreSQL: movements are numbered in commit order, so the billing system
reading `seq > cursor` while payments commit never skips one.

Counter payments and channel payments (one at a time, as the API posts them, and in batches, as
a file brings them) on the same and on different accounts, all at once, while a reader polls the
movements after its cursor the way the billing system does.
"""

import threading
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from billing.models import Bill, BillStatus, ChannelPayment, Movement, Payment
from billing.services.channels import ChannelPaymentInput, channel_payments_record
from billing.services.counter import payment_post
from tests.billing.books import books_balance, total
from tests.billing.factories import InvoiceRangeFactory, account_with_bills

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL (set DATABASE_URL)")


def _run_with_reader(jobs):
    """Run `jobs` in threads released together, beside a reader polling `seq > cursor` until
    they are done. Returns the jobs' results (or exceptions) and every seq the reader saw, in
    the order it saw them."""
    barrier = threading.Barrier(len(jobs) + 1)
    done = threading.Event()
    results = [None] * len(jobs)
    seen = []

    def run(index, job):
        try:
            barrier.wait()
            results[index] = job()
        except Exception as exc:  # noqa: BLE001 - reported to the test
            results[index] = exc
        finally:
            connection.close()

    def poll():
        cursor = 0
        try:
            barrier.wait()
            while True:
                finished = done.is_set()  # read before the poll: a last poll after the end
                page = list(
                    Movement.objects.filter(seq__gt=cursor)
                    .order_by("seq")
                    .values_list("seq", flat=True)[:1000]
                )
                seen.extend(page)
                if page:
                    cursor = page[-1]
                elif finished:
                    return
                time.sleep(0.001)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    reader = threading.Thread(target=poll)
    for thread in [*threads, reader]:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    reader.join()
    return results, seen


def _cash(cashier, account, amount):
    amount = Decimal(amount)

    def post():
        return payment_post(
            cashier=cashier, account_id=account.pk, amount=amount, method="cash", tendered=amount
        )

    return post


def _channel(*payments):
    """One call of the service with (account, amount, reference) items: a batch when several."""

    def record():
        paid_at = timezone.now() - timedelta(seconds=1)
        return channel_payments_record(
            [
                ChannelPaymentInput(
                    channel="wechat",
                    reference=reference,
                    account_no=account.account_no,
                    amount=Decimal(amount),
                    paid_at=paid_at,
                )
                for account, amount, reference in payments
            ]
        )

    return record


def test_a_reader_polling_the_cursor_sees_every_movement_once_in_order_while_many_commit(world):
    InvoiceRangeFactory(cashier=world.cashier)
    InvoiceRangeFactory(cashier=world.cashier2)
    # Older than the channel payments' paid time (a payment before the account is refused).
    before = timezone.now() - timedelta(hours=1)
    shared = [
        account_with_bills("30.00", "40.00", created_at=before),
        account_with_bills("25.00", created_at=before),
    ]
    # Three cash payments of 5.00 on the first; the others only in the files.
    own = [
        account_with_bills("10.00", "5.00", created_at=before),
        account_with_bills("10.00", "10.00", created_at=before),
        account_with_bills("10.00", created_at=before),
    ]
    jobs = []
    for round_ in range(3):
        jobs += [
            _cash(world.cashier, shared[0], "35.00"),
            _cash(world.cashier2, shared[1], "20.00"),
            _cash(world.cashier2, own[0], "5.00"),
            _channel((shared[0], "35.00", f"S0-{round_}")),
            _channel((shared[1], "20.00", f"S1-{round_}")),
            # Two files at once naming the same accounts in opposite orders (no deadlock).
            _channel(
                (own[1], "4.00", f"B-{round_}-a"),
                (shared[0], "6.00", f"B-{round_}-b"),
                (own[2], "3.00", f"B-{round_}-c"),
            ),
            _channel(
                (own[2], "2.00", f"C-{round_}-a"),
                (shared[1], "1.00", f"C-{round_}-b"),
                (own[1], "7.00", f"C-{round_}-c"),
            ),
        ]

    results, seen = _run_with_reader(jobs)

    assert [r for r in results if isinstance(r, Exception)] == []
    count = Movement.objects.count()
    assert count == Payment.objects.count() + ChannelPayment.objects.count() == 9 + 24
    # Numbered without gaps, and the reader saw each number once, in order: it never moved its
    # cursor past a number that was committed after a higher one.
    assert list(Movement.objects.order_by("seq").values_list("seq", flat=True)) == list(
        range(1, count + 1)
    )
    assert seen == list(range(1, count + 1))
    # Written under the number's lock: the rows were inserted in the order of their numbers.
    ids = list(Movement.objects.order_by("seq").values_list("pk", flat=True))
    assert ids == sorted(ids)
    # Each bill paid once, whoever came first; the rest went to prepaid; the books balance.
    for bill in Bill.objects.all():
        assert bill.status == BillStatus.PAID
    assert books_balance() == total(Payment.objects) + total(ChannelPayment.objects)
