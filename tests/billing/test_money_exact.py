"""Money is exact on SQLite as on PostgreSQL: constraints and sums in whole fen.

SQLite keeps decimals as floating point; 200 − 141.6 is 58.400000000000006 there, so a
constraint `change = tendered - amount` refused about a third of odd-cent cash payments with
a 500 (IntegrityError), and the blind close's `variance = counted - expected` likewise.
"""

from decimal import Decimal

import pytest
from django.test import override_settings

from billing.models import Bill, CashLedger, Payment
from billing.selectors import payments as payment_selectors
from billing.services import ledger as ledger_services
from tests.billing.factories import account_with_bills

pytestmark = pytest.mark.usefixtures("english")

D = Decimal


def test_a_cash_payment_of_141_60_with_200_tendered_posts(world, pay):
    account = account_with_bills("141.60")

    payment = pay(account, "141.60", tendered="200")

    payment.refresh_from_db()
    assert (payment.tendered, payment.change) == (D("200.00"), D("58.40"))


def _odd_cents():
    """Amounts with every cent from .01 to .99 on a few yuan figures: 400 of them."""
    return [D(f"{whole}.{cents:02d}") for whole in (1, 17, 141, 999) for cents in range(1, 100)]


def test_every_odd_cent_cash_payment_posts_with_exact_change(world, pay):
    account = account_with_bills("1000000.00")
    amounts = _odd_cents()

    for amount in amounts:
        tendered = (amount // 100 + 1) * 100  # the next hundred: change with odd cents too
        pay(account, str(amount), tendered=str(tendered))

    rows = Payment.objects.order_by("id").values_list("amount", "tendered", "change")
    assert [(a, t - a) for a, t, _c in rows] == [(a, c) for a, _t, c in rows]
    assert [a for a, _t, _c in rows] == amounts
    assert Bill.objects.get().amount_paid == sum(amounts)


@override_settings(BILLING_LEDGER_FLOAT_DEFAULT="500.00")
def test_a_blind_close_with_an_odd_cent_variance_submits(world, pay):
    pay(account_with_bills("141.60"), "141.60")
    ledger = CashLedger.objects.get(cashier=world.cashier)

    # 500.00 float + 141.60 taken = 641.60 expected; 700.00 counted (700 − 641.6 is
    # 58.39999999999998 in floating point).
    ledger = ledger_services.ledger_submit(
        cashier=world.cashier,
        ledger=ledger,
        counts={"100": 7},
        coins_total="0",
        no_deposit_reason="银行已关门",
    )

    ledger.refresh_from_db()
    assert (ledger.expected_cash, ledger.variance) == (D("641.60"), D("58.40"))


def test_totals_by_method_are_exact_two_place_amounts(world, pay):
    account = account_with_bills("100.00")
    for amount in ("0.10", "0.10", "0.10", "0.20", "141.60"):
        pay(account, amount)

    totals = payment_selectors.payment_totals_by_method(Payment.objects.all())

    assert totals == [("Cash", D("142.10"), 5)]
    # A float sum read back with 15 significant digits would be 142.100000000000.
    assert totals[0][1].as_tuple().exponent == -2
