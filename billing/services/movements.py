"""Movements: the record of every change of money, numbered in commit order.

Every service that changes money on an account calls `movements_record` as the **last step of
its transaction**: it locks the one sequence row, so the lock is held only from there to the
commit, and the numbers are given in the order the transactions commit. Lock order, everywhere:
account, ledger, invoice range, bills, then the movement sequence.
"""

import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F

from staff.core.access import employee_of

from ..models import InvoiceRange, Movement, MovementKind, MovementLine, MovementSequence
from ..money import ZERO


@dataclass(slots=True)
class MovementDraft:
    """A movement before it has its number; `lines` are (bill, change of its amount paid)."""

    kind: str
    account_id: int
    amount: Decimal
    business_date: date
    occurred_at: datetime
    method: str = ""
    reference: str = ""
    prepaid_change: Decimal = ZERO
    invoice_code: str = ""
    invoice_number: str = ""
    hall_id: int | None = None
    cashier_employee_no: str = ""
    reverses: Movement | None = None
    payment_id: int | None = None
    channel_payment_id: int | None = None
    correction_id: int | None = None
    lines: list = field(default_factory=list)


def _take_numbers(count: int) -> int:
    """Lock the sequence row and take `count` numbers; returns the first one."""
    sequence = MovementSequence.objects.select_for_update().filter(pk=1).first()
    if sequence is None:
        # Only after a test flushed the tables: migration 0010 creates the row.
        try:
            with transaction.atomic():
                MovementSequence.objects.create(pk=1, last=0)
        except IntegrityError:
            pass
        sequence = MovementSequence.objects.select_for_update().get(pk=1)
    MovementSequence.objects.filter(pk=1).update(last=F("last") + count)
    return sequence.last + 1


# The drafts held back by `movements_deferred` (per thread: each thread has its transaction).
_deferred = threading.local()


@contextmanager
def movements_deferred():
    """Hold back the movements recorded inside, and number and write them all when the block
    ends (inside the caller's transaction, so still all or nothing).

    A large import records its payments a batch at a time in one transaction; numbering each
    batch's movements at once would lock the sequence from the first batch to the commit, and
    every counter payment of the center would wait for the whole file. Held back, the sequence
    is locked only for the final write.
    """
    if getattr(_deferred, "drafts", None) is not None:
        yield  # already held back by an outer block, which writes them
        return
    _deferred.drafts = []
    try:
        yield
        drafts, _deferred.drafts = _deferred.drafts, None
        movements_record(drafts)
    finally:
        _deferred.drafts = None


def _compact(draft: MovementDraft) -> MovementDraft:
    """The draft with its lines as (bill id, period, amount): no bill objects kept alive."""
    draft.lines = [(bill.pk, bill.period, amount) for bill, amount in draft.lines]
    return draft


def movements_record(drafts: list[MovementDraft], *, batch_size: int = 1000) -> list[Movement]:
    """Number and write `drafts` in their order. Call last, inside the caller's transaction.

    Inside `movements_deferred` the drafts are held back and nothing is returned: the block
    writes them when it ends.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("movements_record must be called inside the service's transaction")
    held = getattr(_deferred, "drafts", None)
    if held is not None:
        held.extend(_compact(draft) for draft in drafts)
        return []
    if not drafts:
        return []
    drafts = [draft if _is_compact(draft) else _compact(draft) for draft in drafts]
    first = _take_numbers(len(drafts))
    movements = []
    # Written a batch at a time, lines included, so that a file's 100,000 movements do not hold
    # 100,000 line objects at once besides (bench/bench_exchange.py measures the memory).
    for start in range(0, len(drafts), batch_size):
        batch = drafts[start : start + batch_size]
        written = Movement.objects.bulk_create(
            [_movement(first + start + index, draft) for index, draft in enumerate(batch)]
        )
        if written[0].pk is None:
            # Backends that do not return the keys of a bulk insert (none we run on today).
            by_seq = dict(
                Movement.objects.filter(
                    seq__gte=first + start, seq__lt=first + start + len(batch)
                ).values_list("seq", "pk")
            )
            for movement in written:
                movement.pk = by_seq[movement.seq]
        MovementLine.objects.bulk_create(
            [
                MovementLine(movement=movement, bill_id=bill_id, period=period, amount=amount)
                for movement, draft in zip(written, batch, strict=True)
                for bill_id, period, amount in draft.lines
            ],
            batch_size=batch_size,
        )
        movements += written
    return movements


def _is_compact(draft: MovementDraft) -> bool:
    return all(len(line) == 3 for line in draft.lines)


def _movement(seq: int, draft: MovementDraft) -> Movement:
    return Movement(
        seq=seq,
        kind=draft.kind,
        account_id=draft.account_id,
        amount=draft.amount,
        method=draft.method,
        reference=draft.reference,
        prepaid_change=draft.prepaid_change,
        invoice_code=draft.invoice_code,
        invoice_number=draft.invoice_number,
        hall_id=draft.hall_id,
        cashier_employee_no=draft.cashier_employee_no,
        business_date=draft.business_date,
        occurred_at=draft.occurred_at,
        reverses=draft.reverses,
        payment_id=draft.payment_id,
        channel_payment_id=draft.channel_payment_id,
        correction_id=draft.correction_id,
    )


def movement_record(draft: MovementDraft) -> Movement | None:
    """Record one movement (None when held back by `movements_deferred`)."""
    written = movements_record([draft])
    return written[0] if written else None


def payment_movement_draft(payment, *, lines, reverses: Movement | None = None) -> MovementDraft:
    """The movement of a counter payment or of its reversal (`payment.is_reversal`)."""
    invoice = payment.invoice if payment.invoice_id else None
    employee = employee_of(payment.cashier)
    return MovementDraft(
        kind=MovementKind.REVERSAL if payment.is_reversal else MovementKind.PAYMENT,
        account_id=payment.account_id,
        amount=payment.amount,
        method=payment.method,
        reference=payment.reference,
        prepaid_change=payment.prepaid_added - payment.prepaid_used,
        invoice_code=invoice.invoice_code if invoice else "",
        invoice_number=InvoiceRange.format_no(invoice.number) if invoice else "",
        hall_id=payment.hall_id,
        cashier_employee_no=employee.employee_no if employee else "",
        business_date=payment.business_date,
        occurred_at=payment.created_at,
        reverses=reverses,
        payment_id=payment.pk,
        lines=lines,
    )
