"""billing/0010 turns the payments and reversals taken before movements existed into movements,
in the order they were taken, with their lines and the link from a reversal to its original
(both databases; the migrations run as the owner, as `migrate` does in production)."""

from decimal import Decimal

import pytest

from billing.models import Movement, MovementSequence
from billing.services import voids as void_services
from tests.billing.factories import account_with_bills
from tests.runtime_role import migrate_to, migrations_as_owner

BEFORE = [("billing", "0009_bill_import_jobs")]
AFTER = [("billing", "0010_exchange")]


@pytest.fixture
def as_owner(transactional_db):
    with migrations_as_owner():
        yield


def _migrate(targets):
    return migrate_to(targets)


def _movements():
    return [
        (
            m.seq,
            m.kind,
            m.account_id,
            m.amount,
            m.method,
            m.prepaid_change,
            m.invoice_code,
            m.invoice_number,
            m.hall_id,
            m.cashier_employee_no,
            m.business_date,
            m.occurred_at,
            m.payment_id,
            m.reverses.payment_id if m.reverses_id else None,
            sorted((line.period, line.amount) for line in m.lines.all()),
        )
        for m in Movement.objects.select_related("reverses").prefetch_related("lines")
    ]


def test_past_payments_become_the_same_movements_the_services_write(as_owner, world, pay):
    account = account_with_bills("30.00", "40.00")
    first = pay(account, "50.00")
    pay(account_with_bills("12.34"), "20.00", method="wechat", reference="WX1")
    request = void_services.void_request(actor=world.cashier, payment=first, reason="输错")
    void_services.void_approve(lead=world.shift_lead, void=request)
    pay(account, "100.00")
    written = _movements()
    assert [row[1] for row in written] == ["payment", "payment", "reversal", "payment"]

    _migrate(BEFORE)
    _migrate(AFTER)

    assert _movements() == written
    assert MovementSequence.objects.get().last == 4
    assert Movement.objects.get(seq=3).amount == Decimal("-50.00")
