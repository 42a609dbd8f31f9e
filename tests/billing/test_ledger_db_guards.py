"""On PostgreSQL the database refuses to change a closed day, whatever the caller.

Append-only rows and the ledgers' and hall days' transitions (billing migration 0008, staff
0006). The statements are sent as the app (the runtime role when the suite runs as it) and, in
the transactional tests, as the owner of the tables too: the triggers refuse both.
"""

from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from billing.models import (
    CashLedger,
    Deposit,
    HallDay,
    InvoiceNumber,
    LedgerState,
    Payment,
    PaymentLine,
    TerminalSettlement,
)
from billing.services import deposits as deposit_services
from billing.services import hall_day as hall_day_services
from billing.services import ledger as ledger_services
from billing.services import voids as void_services
from staff.core.audit import audit_record
from staff.models import AuditEntry
from tests.billing.factories import BillFactory
from tests.billing.ledger_factories import payment_rows
from tests.runtime_role import owner_connection, runtime_credentials


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("the triggers exist on PostgreSQL only")


def _refused(action):
    with pytest.raises(DatabaseError), transaction.atomic():
        action()


@pytest.fixture
def verified(world, pay, account):
    pay(account, "30.00")
    ledger = CashLedger.objects.get(cashier=world.cashier)
    deposit_services.deposit_record(
        cashier=world.cashier,
        ledger=ledger,
        bank="工商银行",
        slip_no="S1",
        amount="30.00",
        depositor=world.cashier.employee,
        escort=world.cashier2.employee,
    )
    ledger = ledger_services.ledger_submit(
        cashier=world.cashier,
        ledger=ledger,
        counts={"100": 5},
        coins_total="0",
        no_deposit_reason="随次日资金入账",
    )
    return ledger_services.ledger_verify(lead=world.shift_lead, ledger=ledger)


def test_verified_ledger_rows_cannot_be_updated_or_deleted(verified):
    rows = CashLedger.objects.filter(pk=verified.pk)
    _refused(lambda: rows.update(counted_cash=Decimal("1.00"), variance=Decimal("-529.00")))
    _refused(lambda: rows.update(state=LedgerState.OPEN))
    _refused(lambda: rows.delete())
    assert rows.get().counted_cash == Decimal("500.00")


def test_deposits_of_a_verified_ledger_cannot_change(world, verified):
    deposit = Deposit.objects.get()
    _refused(lambda: Deposit.objects.filter(pk=deposit.pk).update(amount=Decimal("1.00")))
    _refused(lambda: Deposit.objects.filter(pk=deposit.pk).delete())
    _refused(
        lambda: Deposit.objects.create(
            ledger=verified,
            bank="建设银行",
            slip_no="X",
            amount=Decimal("1.00"),
            expected_amount=Decimal("1.00"),
            deposited_at=timezone.now(),
            depositor=world.cashier.employee,
            escort=world.cashier2.employee,
            recorded_by=world.cashier,
        )
    )


def test_payments_cannot_be_inserted_into_a_closed_day(world, verified):
    _refused(lambda: payment_rows(world.cashier, verified.business_date, ["5.00"]))


def test_signed_hall_day_and_its_settlements_cannot_change(world, verified):
    hall_day_services.hall_day_sign(
        lead=world.shift_lead, hall=world.hall_a, business_date=verified.business_date, note="x"
    )
    day = HallDay.objects.filter(pk=HallDay.objects.get().pk)
    _refused(lambda: day.update(sign_note="改"))
    _refused(
        lambda: TerminalSettlement.objects.create(
            hall_day=day.get(), method="wechat", amount=Decimal("1.00"), entered_by=world.shift_lead
        )
    )


def test_the_directors_reopen_still_passes(world, verified):
    ledger = ledger_services.ledger_reopen(director=world.director, ledger=verified, reason="复核")
    assert ledger.state == LedgerState.SUBMITTED


@pytest.fixture
def senders():
    """Send a statement as the app's connection and as the owner of the tables."""
    owner = owner_connection() if runtime_credentials() else None

    def sender(conn):
        def send(sql, params=()):
            with conn.cursor() as cursor:
                cursor.execute(sql, params)

        return send

    yield {"app": sender(connection), "owner": sender(owner or connection)}
    if owner is not None:
        owner.close()


def _refused_sql(send, sql, params=()):
    with pytest.raises(DatabaseError):
        send(sql, params)


@pytest.mark.django_db(transaction=True)
def test_payments_and_their_lines_are_append_only_for_the_owner_too(world, verified, senders):
    payment = Payment.objects.get()
    for send in senders.values():
        _refused_sql(send, "UPDATE billing_payment SET amount = 5000 WHERE id = %s", [payment.pk])
        _refused_sql(send, "UPDATE billing_payment SET id = id WHERE id = %s", [payment.pk])
        _refused_sql(send, "DELETE FROM billing_payment WHERE id = %s", [payment.pk])
        _refused_sql(send, "UPDATE billing_paymentline SET amount = 1")
        _refused_sql(send, "DELETE FROM billing_paymentline")
    assert Payment.objects.get().amount == Decimal("30.00")
    assert PaymentLine.objects.get().amount == Decimal("30.00")


@pytest.mark.django_db(transaction=True)
def test_payments_of_an_open_day_are_append_only_too(world, pay, account, senders):
    payment = pay(account, "30.00")
    for send in senders.values():
        _refused_sql(send, "UPDATE billing_payment SET amount = 5000 WHERE id = %s", [payment.pk])
        _refused_sql(send, "DELETE FROM billing_paymentline")
    assert Payment.objects.get().amount == Decimal("30.00")


@pytest.mark.django_db(transaction=True)
def test_audit_entries_are_never_changed_or_deleted(world, pay, account, senders):
    pay(account, "30.00")
    count = AuditEntry.objects.count()
    for send in senders.values():
        _refused_sql(send, "DELETE FROM staff_auditentry")
        _refused_sql(send, "UPDATE staff_auditentry SET summary = 'x'")
    assert AuditEntry.objects.count() == count > 0
    assert not AuditEntry.objects.filter(summary="x").exists()


@pytest.mark.django_db(transaction=True)
def test_deposits_never_change_even_while_the_ledger_is_open(world, pay, account, senders):
    pay(account, "30.00")
    ledger = CashLedger.objects.get()
    deposit_services.deposit_record(
        cashier=world.cashier,
        ledger=ledger,
        bank="工商银行",
        slip_no="S1",
        amount="30.00",
        depositor=world.cashier.employee,
        escort=world.cashier2.employee,
    )
    assert CashLedger.objects.get().state == LedgerState.OPEN
    for send in senders.values():
        _refused_sql(send, "UPDATE billing_deposit SET amount = 1")
        _refused_sql(send, "DELETE FROM billing_deposit")
    assert Deposit.objects.get().amount == Decimal("30.00")


@pytest.mark.django_db(transaction=True)
def test_an_issued_invoice_number_changes_only_to_voided_with_its_payment(
    world, pay, account, senders
):
    payment = pay(account, "30.00")
    number = payment.invoice_id
    for send in senders.values():
        _refused_sql(
            send,
            "UPDATE billing_invoicenumber SET status = 'voided', reason = 'x' WHERE id = %s",
            [number],
        )
        _refused_sql(send, "UPDATE billing_invoicenumber SET number = number + 5000")
        _refused_sql(send, "DELETE FROM billing_invoicenumber")
    assert InvoiceNumber.objects.get(pk=number).status == "issued"

    request = void_services.void_request(actor=world.cashier, payment=payment, reason="户号输错")
    void_services.void_approve(lead=world.shift_lead, void=request)
    assert InvoiceNumber.objects.get(pk=number).status == "voided"
    for send in senders.values():
        _refused_sql(
            send, "UPDATE billing_invoicenumber SET status = 'issued' WHERE id = %s", [number]
        )
        _refused_sql(send, "UPDATE billing_invoicenumber SET reason = 'y' WHERE id = %s", [number])


def test_payment_lines_cannot_be_added_to_a_closed_day(world, verified):
    payment = Payment.objects.get()
    bill = BillFactory(account=payment.account, period="2030-01")
    _refused(lambda: PaymentLine.objects.create(payment=payment, bill=bill, amount=Decimal("1")))


def _reopen_entry(actor, ledger, **changes):
    with transaction.atomic():
        audit_record(actor=actor, action="billing.ledger.reopen", obj=ledger, changes=changes)


def _back_to_submitted(ledger):
    return lambda: CashLedger.objects.filter(pk=ledger.pk).update(
        state=LedgerState.SUBMITTED, verified_by=None, verified_at=None
    )


def test_a_verified_ledger_goes_back_only_by_the_directors_recorded_reopen(world, verified):
    # Set back to submitted, rewritten, verified again with its verifier unchanged: step one
    # is refused already.
    _refused(_back_to_submitted(verified))
    # An entry in the audit trail must name this very verification, have a reason and be the
    # director's.
    _reopen_entry(world.shift_lead, verified, reason="复核", verified_at=verified.verified_at)
    _reopen_entry(world.director, verified, reason=" ", verified_at=verified.verified_at)
    _reopen_entry(world.director, verified, reason="复核", verified_at=timezone.now())
    _refused(_back_to_submitted(verified))
    assert CashLedger.objects.get(pk=verified.pk).state == LedgerState.VERIFIED

    ledger = ledger_services.ledger_reopen(director=world.director, ledger=verified, reason="复核")
    assert ledger.state == LedgerState.SUBMITTED
    ledger = ledger_services.ledger_verify(lead=world.shift_lead, ledger=ledger)
    # That reopen withdrew the previous verification, not this one.
    _refused(_back_to_submitted(ledger))
    assert CashLedger.objects.get(pk=ledger.pk).state == LedgerState.VERIFIED


def test_a_reopened_ledger_keeps_its_count_and_totals(world, verified):
    ledger = ledger_services.ledger_reopen(director=world.director, ledger=verified, reason="复核")
    rows = CashLedger.objects.filter(pk=ledger.pk)
    _refused(lambda: rows.update(counted_cash=Decimal("530.00"), variance=Decimal("0.00")))
    _refused(lambda: rows.update(count_100=6))
    _refused(lambda: rows.update(opening_float=Decimal("1.00")))
    _refused(lambda: rows.update(cash_takings=Decimal("0.00")))
    _refused(lambda: rows.update(state=LedgerState.OPEN))
    # Verified again, with a changed count on the way: refused; the lead's own fields pass.
    _refused(
        lambda: rows.update(
            state=LedgerState.VERIFIED,
            verified_by=world.shift_lead,
            verified_at=timezone.now(),
            counted_cash=Decimal("530.00"),
            variance=Decimal("0.00"),
        )
    )
    ledger = ledger_services.ledger_verify(
        lead=world.shift_lead, ledger=ledger, recounted_cash="500.00", note="复核无误"
    )
    assert ledger.state == LedgerState.VERIFIED and ledger.counted_cash == Decimal("500.00")


def test_a_submitted_ledger_takes_only_the_cashiers_explanation(world, pay, account):
    pay(account, "30.00")
    ledger = ledger_services.ledger_submit(
        cashier=world.cashier,
        ledger=CashLedger.objects.get(),
        counts={"100": 5},
        coins_total="0",
        no_deposit_reason="随次日资金入账",
    )
    rows = CashLedger.objects.filter(pk=ledger.pk)
    _refused(lambda: rows.update(counted_cash=Decimal("530.00"), variance=Decimal("0.00")))
    _refused(lambda: rows.update(submitted_at=timezone.now()))
    ledger_services.ledger_explain(cashier=world.cashier, ledger=ledger, note="找零错")
    assert rows.get().variance_note == "找零错"


def test_a_ledger_is_submitted_before_it_is_verified(world, pay, account):
    pay(account, "30.00")
    rows = CashLedger.objects.filter(state=LedgerState.OPEN)
    _refused(
        lambda: rows.update(
            state=LedgerState.VERIFIED,
            counted_cash=Decimal("530.00"),
            expected_cash=Decimal("530.00"),
            variance=Decimal("0.00"),
            submitted_at=timezone.now(),
            verified_by=world.shift_lead,
            verified_at=timezone.now(),
        )
    )
    # Never deleted either, not even while open.
    _refused(lambda: rows.delete())
    _refused(lambda: HallDay.objects.all().delete())
    assert rows.exists() and HallDay.objects.exists()


def test_a_signed_hall_day_goes_back_only_by_the_directors_recorded_reopen(world, verified):
    hall_day = hall_day_services.hall_day_sign(
        lead=world.shift_lead, hall=world.hall_a, business_date=verified.business_date
    )
    day = HallDay.objects.filter(pk=hall_day.pk)
    # Unsigned, changed and signed again: refused at the first step.
    _refused(lambda: day.update(signed_by=None, signed_at=None))
    with transaction.atomic():
        audit_record(
            actor=world.shift_lead,
            action="billing.hall_day.reopen",
            obj=hall_day,
            changes={"reason": "改", "signed_at": hall_day.signed_at},
        )
    _refused(lambda: day.update(signed_by=None, signed_at=None))
    assert day.get().is_signed

    ledger = ledger_services.ledger_reopen(director=world.director, ledger=verified, reason="复核")
    assert not day.get().is_signed
    ledger_services.ledger_verify(lead=world.shift_lead, ledger=ledger)
    hall_day = hall_day_services.hall_day_sign(
        lead=world.shift_lead, hall=world.hall_a, business_date=verified.business_date
    )
    assert hall_day.is_signed
    _refused(lambda: day.update(signed_by=None, signed_at=None))
