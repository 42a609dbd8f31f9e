"""On PostgreSQL the database keeps the exchange's records as written, whoever sends the
statement (billing migration 0010): movements and their lines, bill corrections and the API's
call log are never changed or deleted; a channel payment takes only its lead's follow-up, once.
Sent as the app (the runtime role when the suite runs as it) and as the owner of the tables."""

from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from billing.bills_file import CorrectionRow
from billing.models import ApiCall, BillCorrection, ChannelPayment, Movement, MovementLine
from billing.services.api_clients import api_client_create
from billing.services.channels import ChannelPaymentInput, channel_payments_record
from billing.services.corrections import bill_corrections_apply
from tests.billing.factories import account_with_bills
from tests.billing.test_ledger_db_guards import _refused_sql
from tests.billing.test_ledger_db_guards import senders as senders  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("the triggers exist on PostgreSQL only")


@pytest.fixture
def records(world, pay):
    account = account_with_bills("30.00", "40.00", created_at=None)
    pay(account, "30.00")
    channel_payments_record(
        [
            ChannelPaymentInput(
                channel="wechat",
                reference="WX1",
                account_no=account.account_no,
                amount=Decimal("40.00"),
                paid_at=timezone.now(),
            )
        ]
    )
    # Both bills paid: a second channel payment is a possible double, to follow up.
    channel_payments_record(
        [
            ChannelPaymentInput(
                channel="wechat",
                reference="WX2",
                account_no=account.account_no,
                amount=Decimal("40.00"),
                paid_at=timezone.now(),
            )
        ]
    )
    bill_corrections_apply(
        actor=world.office,
        rows=[CorrectionRow(account_no=account.account_no, period="2026-01", amount=Decimal("25"))],
    )
    client = api_client_create(actor=None, name="营收系统", scopes=["read"]).client
    ApiCall.objects.create(client=client, at=timezone.now(), method="GET", path="/", status=200)
    return account


def test_movements_and_their_lines_are_never_changed_or_deleted(records, senders):
    seqs = list(Movement.objects.values_list("seq", "amount"))
    for send in senders.values():
        _refused_sql(send, "UPDATE billing_movement SET amount = 1")
        _refused_sql(send, "UPDATE billing_movement SET seq = seq + 1000")
        _refused_sql(send, "DELETE FROM billing_movement")
        _refused_sql(send, "UPDATE billing_movementline SET amount = 1")
        _refused_sql(send, "DELETE FROM billing_movementline")
    assert list(Movement.objects.values_list("seq", "amount")) == seqs
    assert MovementLine.objects.exclude(amount=1).count() == MovementLine.objects.count() > 0


def test_corrections_and_api_calls_are_never_changed_or_deleted(records, senders):
    for send in senders.values():
        _refused_sql(send, "UPDATE billing_billcorrection SET new_amount_due = 1")
        _refused_sql(send, "DELETE FROM billing_billcorrection")
        _refused_sql(send, "UPDATE billing_apicall SET status = 500")
        _refused_sql(send, "DELETE FROM billing_apicall")
    assert BillCorrection.objects.get().new_amount_due == Decimal("25.00")
    assert ApiCall.objects.get().status == 200


def test_a_channel_payment_takes_only_its_follow_up_once(world, records, senders):
    double = ChannelPayment.objects.get(possible_double=True)
    for send in senders.values():
        _refused_sql(send, "UPDATE billing_channelpayment SET amount = 1")
        _refused_sql(send, "UPDATE billing_channelpayment SET possible_double = false")
        _refused_sql(send, "DELETE FROM billing_channelpayment")
    follow_up = (
        "UPDATE billing_channelpayment SET followed_up_by_id = %s, followed_up_at = now(), "
        "follow_up_note = %s WHERE id = %s"
    )
    senders["app"](follow_up, [world.shift_lead.pk, "已电话联系用户", double.pk])
    for send in senders.values():
        _refused_sql(send, follow_up, [world.shift_lead.pk, "改写", double.pk])
    double.refresh_from_db()
    assert double.follow_up_note == "已电话联系用户" and double.amount == Decimal("40.00")
