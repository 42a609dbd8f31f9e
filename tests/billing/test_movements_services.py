"""Movements held back by `movements_deferred` (a large import) are numbered and written when
the block ends, in order, still inside the transaction."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from billing.models import Movement, MovementLine, MovementSequence
from billing.services.channels import ChannelPaymentInput, channel_payments_record
from billing.services.movements import movements_deferred
from tests.billing.factories import account_with_bills


def _channel(account, amount, reference):
    item = ChannelPaymentInput(
        channel="wechat",
        reference=reference,
        account_no=account.account_no,
        amount=Decimal(amount),
        paid_at=timezone.now(),
    )
    return lambda: channel_payments_record([item])


def test_movements_held_back_are_numbered_and_written_when_the_block_ends(db):
    account = account_with_bills("30.00", created_at=None)
    before = MovementSequence.objects.get().last if MovementSequence.objects.exists() else 0
    with transaction.atomic(), movements_deferred():
        _channel(account, "10.00", "D1")()
        _channel(account, "10.00", "D2")()
        assert Movement.objects.count() == 0
        assert (MovementSequence.objects.first() or MovementSequence(last=0)).last == before
    assert list(Movement.objects.values_list("seq", "reference")) == [
        (before + 1, "D1"),
        (before + 2, "D2"),
    ]
    assert sorted(MovementLine.objects.values_list("period", "amount")) == [
        ("2026-01", Decimal("10.00")),
        ("2026-01", Decimal("10.00")),
    ]


def test_held_back_movements_are_dropped_with_the_transaction(db):
    account = account_with_bills("30.00", created_at=None)
    try:
        with transaction.atomic(), movements_deferred():
            _channel(account, "10.00", "D1")()
            raise RuntimeError("the file failed")
    except RuntimeError:
        pass
    _channel(account, "10.00", "D2")()
    assert list(Movement.objects.values_list("reference", flat=True)) == ["D2"]
