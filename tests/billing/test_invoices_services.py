from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from billing.models import InvoiceNumberStatus, InvoiceRange, InvoiceRangeStatus
from billing.selectors import invoices as invoice_selectors
from billing.selectors.invoices import invoice_range_summary
from billing.services import counter as counter_services
from billing.services import invoices as invoice_services
from tests.billing.factories import InvoiceRangeFactory

pytestmark = pytest.mark.usefixtures("english")


def _issue(world, actor=None, cashier=None, first=1, last=100, code="0420019001"):
    return invoice_services.invoice_range_issue(
        actor=actor or world.shift_lead,
        cashier=cashier or world.cashier,
        invoice_code=code,
        first_no=first,
        last_no=last,
    )


def test_shift_lead_issues_a_range_to_a_cashier_of_the_hall(world):
    issued = _issue(world)

    assert (issued.status, issued.next_no, issued.hall) == ("active", 1, world.hall_a)


def test_office_issues_ranges_but_other_halls_leads_and_cashiers_do_not(world):
    _issue(world, actor=world.office)
    for actor in (world.other_lead, world.cashier2):
        with pytest.raises(ValidationError, match="shift lead or the office"):
            _issue(world, actor=actor, cashier=world.cashier2, first=500, last=600)


def test_overlapping_ranges_are_refused(world):
    _issue(world, first=1, last=100)
    with pytest.raises(ValidationError, match="overlap"):
        _issue(world, cashier=world.cashier2, first=100, last=200)
    _issue(world, cashier=world.cashier2, first=100, last=200, code="0420019002")


def test_a_second_active_range_needs_the_first_closed(world):
    _issue(world, first=1, last=100)
    with pytest.raises(ValidationError, match="close it first"):
        _issue(world, first=101, last=200)


def _post(world, account):
    return counter_services.payment_post(
        cashier=world.cashier,
        account_id=account.pk,
        amount=Decimal("1.00"),
        method="cash",
        tendered=Decimal("1.00"),
    )


def test_closing_returns_the_unused_numbers_and_everything_is_accounted_for(world, account):
    issued = _issue(world, first=1, last=30)
    _post(world, account)
    invoice_services.invoice_spoil(cashier=world.cashier, reason="打印机卡纸")
    _post(world, account)

    invoice_services.invoice_range_close(actor=world.shift_lead, invoice_range=issued)

    summary = invoice_range_summary(InvoiceRange.objects.get(pk=issued.pk))
    assert summary.issued == [1, 3]
    assert summary.voided == [(2, "打印机卡纸")]
    assert summary.returned == (4, 30)
    assert summary.anomalies == []


def test_each_payment_takes_the_next_number(world, account, pay, ranges):
    numbers = [pay(account, "1.00").invoice.number for _ in range(3)]

    first = ranges["cashier"].first_no
    assert numbers == [first, first + 1, first + 2]


def test_the_cashier_is_warned_below_the_threshold(world, account):
    InvoiceRangeFactory(cashier=world.cashier, first_no=1, last_no=21)
    posted = counter_services.payment_post(
        cashier=world.cashier,
        account_id=account.pk,
        amount=Decimal("1.00"),
        method="cash",
        tendered=Decimal("1.00"),
    )
    assert posted.invoices_left == 20
    assert not invoice_selectors.invoice_stock_low(posted.invoices_left)
    posted = counter_services.payment_post(
        cashier=world.cashier,
        account_id=account.pk,
        amount=Decimal("1.00"),
        method="cash",
        tendered=Decimal("1.00"),
    )
    assert invoice_selectors.invoice_stock_low(posted.invoices_left)


def test_a_used_up_range_refuses_posting(world, account):
    InvoiceRangeFactory(cashier=world.cashier, first_no=1, last_no=1)
    counter_services.payment_post(
        cashier=world.cashier,
        account_id=account.pk,
        amount=Decimal("1.00"),
        method="cash",
        tendered=Decimal("1.00"),
    )
    with pytest.raises(ValidationError, match="used up"):
        counter_services.payment_post(
            cashier=world.cashier,
            account_id=account.pk,
            amount=Decimal("1.00"),
            method="cash",
            tendered=Decimal("1.00"),
        )


def test_spoiling_needs_a_reason(world, ranges):
    with pytest.raises(ValidationError, match="reason"):
        invoice_services.invoice_spoil(cashier=world.cashier, reason=" ")
    spoiled = invoice_services.invoice_spoil(cashier=world.cashier, reason="污损")
    assert spoiled.status == InvoiceNumberStatus.VOIDED


def test_closing_twice_is_refused(world):
    issued = _issue(world)
    invoice_services.invoice_range_close(actor=world.shift_lead, invoice_range=issued)
    with pytest.raises(ValidationError, match="already closed"):
        invoice_services.invoice_range_close(actor=world.shift_lead, invoice_range=issued)
    assert InvoiceRange.objects.get(pk=issued.pk).status == InvoiceRangeStatus.CLOSED
