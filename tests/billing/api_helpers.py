"""What the API tests share: client systems with their tokens, calls with a token."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from billing.models import BillCorrection, MovementKind
from billing.services import voids as void_services
from billing.services.api_clients import api_client_create
from billing.services.channels import ChannelPaymentInput, channel_payments_record
from billing.services.movements import MovementDraft, movement_record
from tests.billing.factories import account_with_bills


def make_client(name="营收系统", scopes=("read", "channel")):
    """(client, token) of a new client system."""
    created = api_client_create(actor=None, name=name, scopes=list(scopes))
    return created.client, created.token


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def token(db):
    """A token of the billing system, with both scopes."""
    return make_client()[1]


@pytest.fixture
def api(client, token):
    """`api.get(path, **params)` and `api.post(path, body)` with the billing system's token."""

    class Api:
        def get(self, path, token=token, **params):
            return client.get(path, params, **(bearer(token) if token else {}))

        def post(self, path, body, token=token, raw=False):
            data = body if raw else json.dumps(body)
            return client.post(
                path, data, content_type="application/json", **(bearer(token) if token else {})
            )

    return Api()


def channel_payment(account, amount="10.00", reference="WX1", paid_at=None):
    """A channel payment of `account` through the service."""
    return channel_payments_record(
        [
            ChannelPaymentInput(
                channel="wechat",
                reference=reference,
                account_no=account.account_no,
                amount=Decimal(amount),
                paid_at=paid_at or timezone.now(),
            )
        ]
    )[0].payment


def bill_correction(world, account, new_due):
    """A correction of the account's last bill with its movement, as the corrections service
    writes it (that service is on another branch)."""
    bill = account.bills.order_by("period").last()
    with transaction.atomic():
        correction = BillCorrection.objects.create(
            bill=bill,
            old_amount_due=bill.amount_due,
            new_amount_due=Decimal(new_due),
            old_amount_paid=bill.amount_paid,
            new_amount_paid=bill.amount_paid,
            corrected_by=world.office,
            corrected_at=timezone.now(),
        )
        movement_record(
            MovementDraft(
                kind=MovementKind.CORRECTION,
                account_id=account.pk,
                amount=Decimal(new_due) - bill.amount_due,
                business_date=timezone.localdate(),
                occurred_at=timezone.now(),
                correction_id=correction.pk,
            )
        )
    return correction


@pytest.fixture
def every_kind(world, pay):
    """A counter payment, its reversal, a channel payment and a correction (seq 1 to 4)."""
    account = account_with_bills("30.00", "40.00")
    payment = pay(account, "50.00")
    void = void_services.void_request(actor=world.cashier, payment=payment, reason="收错户")
    void_services.void_approve(lead=world.shift_lead, void=void)
    account.created_at = timezone.now() - timedelta(days=30)
    account.save(update_fields=["created_at"])
    paid_at = timezone.now() - timedelta(hours=1)
    channel_payment(account, "35.60", paid_at=paid_at)
    bill_correction(world, account, "45.00")
    return {"account": account, "payment": payment, "paid_at": paid_at}
