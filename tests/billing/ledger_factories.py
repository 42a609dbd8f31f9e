"""Payments written straight to the table, for past days and large volumes (no services)."""

from datetime import date, datetime, time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from billing.models import InvoiceNumber, InvoiceRange, Payment
from billing.services.ledger import ledger_lock_for_posting
from tests.billing.factories import AccountFactory, InvoiceRangeFactory


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def open_ledger(cashier, day: date):
    with transaction.atomic():
        return ledger_lock_for_posting(cashier=cashier, business_date=day)


def payment_rows(cashier, day: date, amounts, method="cash", when=None, account=None):
    """Payments of `cashier` on `day` (one invoice number each), bulk inserted."""
    # A closed range of its own, so these numbers never meet the counter's.
    code = f"9{cashier.pk:011d}"
    invoice_range = InvoiceRange.objects.filter(invoice_code=code).first() or InvoiceRangeFactory(
        cashier=cashier,
        invoice_code=code,
        first_no=1,
        last_no=10**7,
        status="closed",
        returned_from=1,
        next_no=1,
    )
    account = account or AccountFactory()
    start = InvoiceNumber.objects.filter(range=invoice_range).count() + invoice_range.first_no
    when = when or at(day, 10)
    numbers = InvoiceNumber.objects.bulk_create(
        [
            InvoiceNumber(
                range=invoice_range,
                invoice_code=invoice_range.invoice_code,
                number=start + index,
                status="issued",
                recorded_by=cashier,
                recorded_at=when,
            )
            for index in range(len(amounts))
        ]
    )
    hall_id = cashier.employee.hall_id
    return Payment.objects.bulk_create(
        [
            Payment(
                kind="payment",
                account=account,
                hall_id=hall_id,
                cashier=cashier,
                business_date=day,
                method=method,
                amount=Decimal(amount),
                tendered=Decimal(amount) if method == "cash" else None,
                change=Decimal("0.00") if method == "cash" else None,
                reference="" if method == "cash" else f"T{index}",
                invoice=number,
                created_at=when,
            )
            for index, (amount, number) in enumerate(zip(amounts, numbers, strict=True))
        ]
    )
