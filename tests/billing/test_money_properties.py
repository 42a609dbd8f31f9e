"""Property tests of the counter's money path, on SQLite and PostgreSQL alike (issue #11).

Random accounts (several open bills, a prepaid balance), random payments (amounts with odd
cents, tenders, every method), voids, and the day's blind close. Whatever comes, nothing
raises but the refusals the rules call for, the change is tendered − amount, every account's
bills and prepaid balance account for its money to the fen, and the ledger's takings are the
sum of the payments. One example is where a float error hides: these try dozens.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from hypothesis import event, given, note
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from billing.models import (
    Account,
    Bill,
    BillStatus,
    InvoiceRange,
    Payment,
    PaymentKind,
    PaymentMethod,
)
from billing.selectors import ledger as ledger_selectors
from billing.selectors import payments as payment_selectors
from billing.services import counter as counter_services
from billing.services import ledger as ledger_services
from billing.services import voids as void_services
from tests.billing.factories import InvoiceRangeFactory, account_with_bills
from tests.conftest import build_world

ZERO = Decimal("0.00")


def money(low: str, high: str):
    return st.decimals(min_value=Decimal(low), max_value=Decimal(high), places=2)


@dataclass(frozen=True)
class Pay:
    account: int
    amount: Decimal
    method: str
    tender: str  # how the customer hands over cash
    extra: Decimal


@dataclass(frozen=True)
class Void:
    payment: int  # index among the payments posted so far (modulo their number)


accounts = st.lists(
    st.tuples(st.lists(money("0.01", "3000.00"), max_size=4), money("0.00", "300.00")),
    min_size=1,
    max_size=3,
)
pays = st.builds(
    Pay,
    account=st.integers(0, 2),
    amount=money("0.01", "5000.00"),
    method=st.sampled_from(PaymentMethod.values),
    tender=st.sampled_from(["exact", "next_yuan", "next_ten", "next_hundred", "extra"]),
    extra=money("0.00", "300.00"),
)
operations = st.lists(
    st.one_of(pays, pays, pays, st.builds(Void, payment=st.integers(0, 7))),
    min_size=1,
    max_size=8,
)


def _tendered(op: Pay) -> Decimal | None:
    if op.method != PaymentMethod.CASH:
        return None
    step = {"next_yuan": 1, "next_ten": 10, "next_hundred": 100}.get(op.tender)
    if step is not None:
        return (op.amount // step + 1) * step
    return op.amount + (op.extra if op.tender == "extra" else ZERO)


class CounterMoneyProperties(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        InvoiceRangeFactory(cashier=cls.world.cashier, first_no=1, last_no=10**7)

    def _post(self, op: Pay, account: Account) -> Payment:
        arguments = {
            "cashier": self.world.cashier,
            "account_id": account.pk,
            "amount": op.amount,
            "method": op.method,
            "tendered": _tendered(op),
            "reference": "" if op.method == PaymentMethod.CASH else f"R{op.amount}",
        }
        before = (Payment.objects.count(), InvoiceRange.objects.get().next_no)
        try:
            return counter_services.payment_post(**arguments).payment
        except counter_services.OverpayNotConfirmed as refused:
            # Refused whole: no payment, no invoice number taken. Confirmed, it posts.
            assert refused.prepaid > counter_services.overpay_confirm_limit()
            assert (Payment.objects.count(), InvoiceRange.objects.get().next_no) == before
            event("overpay confirmed")
            posted = counter_services.payment_post(**arguments, prepaid_confirmed=refused.prepaid)
            assert posted.payment.prepaid_added == refused.prepaid
            return posted.payment

    def _void(self, payment: Payment):
        request = void_services.void_request(
            actor=self.world.cashier, payment=payment, reason="输错"
        )
        try:
            void_services.void_approve(lead=self.world.shift_lead, void=request)
            event("void approved")
        except ValidationError as refused:
            event("void refused: prepaid spent")
            # The one refusal money allows: the prepaid balance it added is spent meanwhile.
            assert "prepaid" in str(refused) or "预存" in str(refused), refused
            void_services.void_reject(lead=self.world.shift_lead, void=request)

    @given(accounts, operations, money("0.00", "2000.00"))
    def test_payments_and_voids_balance_to_the_fen(self, account_specs, ops, coins):
        created = [
            account_with_bills(*[str(a) for a in bills], prepaid=str(prepaid))
            for bills, prepaid in account_specs
        ]
        initial_prepaid = {a.pk: a.prepaid_balance for a in created}
        ledger = ledger_services.ledger_open(cashier=self.world.cashier)
        posted: list[Payment] = []
        for op in ops:
            note(op)
            if isinstance(op, Pay):
                posted.append(self._post(op, created[op.account % len(created)]))
            elif posted:
                payment = posted[op.payment % len(posted)]
                if not Payment.objects.filter(reverses=payment).exists():
                    self._void(payment)

        payments = list(Payment.objects.prefetch_related("lines"))
        for payment in payments:
            lines = sum((line.amount for line in payment.lines.all()), ZERO)
            assert payment.amount + payment.prepaid_used - payment.prepaid_added == lines
            if payment.kind == PaymentKind.PAYMENT and payment.method == PaymentMethod.CASH:
                assert payment.tendered >= payment.amount
                assert payment.change == payment.tendered - payment.amount

        taken = defaultdict(lambda: ZERO)
        for payment in payments:
            taken[payment.account_id] += payment.amount
        for account in Account.objects.all():
            bills = list(Bill.objects.filter(account=account))
            assert account.prepaid_balance >= 0
            assert (
                sum((b.amount_paid for b in bills), ZERO) + account.prepaid_balance
                == initial_prepaid[account.pk] + taken[account.pk]
            )
            for bill in bills:
                assert ZERO <= bill.amount_paid <= bill.amount_due
                expected = (
                    BillStatus.PAID
                    if bill.amount_paid == bill.amount_due
                    else BillStatus.UNPAID
                    if bill.amount_paid == 0
                    else BillStatus.PARTLY_PAID
                )
                assert bill.status == expected

        by_method = defaultdict(lambda: ZERO)
        for payment in payments:
            by_method[payment.method] += payment.amount
        assert ledger_selectors.takings_by_method(ledger) == dict(by_method)
        labels = dict(PaymentMethod.choices)
        assert {
            label: total
            for label, total, _count in payment_selectors.payment_totals_by_method(
                Payment.objects.all()
            )
        } == {labels[m]: total for m, total in by_method.items()}

        # The blind close of the day: the variance is exactly counted − expected.
        ledger = ledger_services.ledger_submit(
            cashier=self.world.cashier,
            ledger=ledger,
            counts={"100": 3},
            coins_total=coins,
            no_deposit_reason="银行已关门",
        )
        ledger.refresh_from_db()
        assert ledger.cash_takings == by_method[PaymentMethod.CASH]
        assert ledger.expected_cash == ledger.opening_float + ledger.cash_takings
        assert ledger.counted_cash == Decimal("300.00") + coins
        assert ledger.variance == ledger.counted_cash - ledger.expected_cash
