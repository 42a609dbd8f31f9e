import pytest

from billing.services import counter as counter_services
from tests.billing.api_helpers import api, every_kind, token  # noqa: F401 (API tests' fixtures)
from tests.billing.factories import InvoiceRangeFactory, account_with_bills


@pytest.fixture
def ranges(world):
    """An active invoice range for each cashier persona and the hall-A shift lead."""
    return {
        name: InvoiceRangeFactory(cashier=getattr(world, name))
        for name in ["cashier", "cashier2", "other_cashier", "shift_lead"]
    }


@pytest.fixture
def account(db):
    return account_with_bills("30.00", "40.00", "50.00")


@pytest.fixture
def pay(world, ranges):
    """`pay(account, amount, method="cash", cashier=..., ...)` posts through the service."""
    from decimal import Decimal
    from functools import partial

    def _pay(
        account,
        amount,
        method="cash",
        cashier=None,
        tendered=None,
        reference="",
        confirm_overpay=False,
        **kw,
    ):
        amount = Decimal(amount)
        if method == "cash" and tendered is None:
            tendered = amount
        post = partial(
            counter_services.payment_post,
            cashier=cashier or world.cashier,
            account_id=account.pk,
            amount=amount,
            method=method,
            tendered=Decimal(tendered) if tendered is not None else None,
            reference=reference,
            **kw,
        )
        try:
            return post().payment
        except counter_services.OverpayNotConfirmed as refusal:
            if not confirm_overpay:
                raise
            # The test means the large overpayment: confirm it, as the cashier's second Enter.
            return post(prepaid_confirmed=refusal.prepaid).payment

    return _pay


@pytest.fixture
def english():
    """Service messages in English, so tests can match them whatever the catalogue says."""
    from django.utils import translation

    with translation.override("en"):
        yield
