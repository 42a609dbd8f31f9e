"""A file of channel payments recorded in one batch settles every bill and prepaid balance
exactly as the same payments reported one by one would (the batch writes its bills and balances
grouped by value, not row by row)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billing.models import Account, Bill
from billing.services.channels import ChannelPaymentInput, channel_payments_record
from tests.billing.books import books_balance
from tests.billing.factories import account_with_bills

pytestmark = pytest.mark.django_db

fen = st.integers(min_value=1, max_value=30_000).map(lambda n: Decimal(n) / 100)


def _state():
    return (
        sorted(Bill.objects.values_list("account__account_no", "period", "amount_paid", "status")),
        sorted(Account.objects.values_list("account_no", "prepaid_balance")),
    )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    dues=st.lists(st.lists(fen, max_size=3), min_size=1, max_size=4),
    payments=st.lists(st.tuples(st.integers(0, 3), fen), min_size=1, max_size=12),
)
def test_a_batch_settles_bills_and_balances_as_the_payments_one_by_one_would(db, dues, payments):
    with transaction.atomic():
        before = timezone.now() - timedelta(hours=1)
        accounts = [account_with_bills(*amounts, created_at=before) for amounts in dues]
        paid_at = timezone.now()
        items = [
            ChannelPaymentInput(
                channel="alipay",
                reference=f"R{n}",
                account_no=accounts[which % len(accounts)].account_no,
                amount=amount,
                paid_at=paid_at,
            )
            for n, (which, amount) in enumerate(payments)
        ]
        with transaction.atomic():
            for item in items:
                channel_payments_record([item])
            one_by_one = _state()
            transaction.set_rollback(True)
        with transaction.atomic():
            channel_payments_record(items)
            assert _state() == one_by_one
            books_balance()
            transaction.set_rollback(True)
        transaction.set_rollback(True)
