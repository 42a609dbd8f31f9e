"""Property test of bill corrections (更正) among payments, channel payments and voids, on SQLite
and PostgreSQL alike.

Random accounts and bills; random counter payments, channel payments, corrections up or down
(to zero too) and voids, in any order. Whatever comes, nothing raises but the refusals the
rules call for, and every account balances to the fen: the money it received (its opening
prepaid balance, counter payments and their reversals, channel payments) is its bills' amount
paid plus its prepaid balance. Every movement is amount = its lines + its prepaid change, and
the correction movements say how the amounts due moved.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import event, given, note
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from billing.bills_file import CorrectionRow
from billing.models import (
    Account,
    Bill,
    BillCorrection,
    BillStatus,
    ChannelPayment,
    Movement,
    MovementKind,
    Payment,
)
from billing.services import corrections as correction_services
from billing.services import counter as counter_services
from billing.services import voids as void_services
from billing.services.channels import ChannelPaymentInput, channel_payments_record
from tests.billing.factories import InvoiceRangeFactory, account_with_bills
from tests.conftest import build_world

ZERO = Decimal("0.00")


def money(low: str, high: str):
    return st.decimals(min_value=Decimal(low), max_value=Decimal(high), places=2)


@dataclass(frozen=True)
class Pay:
    account: int
    amount: Decimal


@dataclass(frozen=True)
class ChannelPay:
    account: int
    amount: Decimal


@dataclass(frozen=True)
class Correct:
    account: int
    bill: int
    amount: Decimal


@dataclass(frozen=True)
class Void:
    payment: int


accounts = st.lists(
    # Bills of 0.00 come from the import already paid; the factory would leave them unpaid.
    st.tuples(st.lists(money("0.01", "500.00"), min_size=1, max_size=3), money("0.00", "100.00")),
    min_size=1,
    max_size=2,
)
operations = st.lists(
    st.one_of(
        st.builds(Pay, account=st.integers(0, 1), amount=money("0.01", "800.00")),
        st.builds(ChannelPay, account=st.integers(0, 1), amount=money("0.01", "800.00")),
        st.builds(
            Correct,
            account=st.integers(0, 1),
            bill=st.integers(0, 2),
            amount=st.one_of(st.just(ZERO), money("0.00", "600.00")),
        ),
        st.builds(Void, payment=st.integers(0, 5)),
    ),
    min_size=1,
    max_size=10,
)


class CorrectionMoneyProperties(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        InvoiceRangeFactory(cashier=cls.world.cashier, first_no=1, last_no=10**7)

    def _pay(self, account, amount) -> Payment:
        post = {
            "cashier": self.world.cashier,
            "account_id": account.pk,
            "amount": amount,
            "method": "wechat",
            "tendered": None,
            "reference": "R1",
        }
        try:
            return counter_services.payment_post(**post).payment
        except counter_services.OverpayNotConfirmed as refused:
            return counter_services.payment_post(**post, prepaid_confirmed=refused.prepaid).payment

    def _void(self, payment):
        request = void_services.void_request(
            actor=self.world.cashier, payment=payment, reason="输错"
        )
        try:
            void_services.void_approve(lead=self.world.shift_lead, void=request)
            event("void approved")
        except ValidationError as refused:
            event("void refused: prepaid spent")
            assert any(word in str(refused) for word in ("spent", "已被使用", "已用掉")), refused
            void_services.void_reject(lead=self.world.shift_lead, void=request)

    @given(accounts, operations)
    def test_corrections_keep_every_account_balanced(self, account_specs, ops):
        created = [
            account_with_bills(*[str(a) for a in bills], prepaid=str(prepaid))
            for bills, prepaid in account_specs
        ]
        opening = {a.pk: a.prepaid_balance for a in created}
        posted: list[Payment] = []
        for index, op in enumerate(ops):
            note(op)
            account = created[op.account % len(created)] if hasattr(op, "account") else None
            if isinstance(op, Pay):
                posted.append(self._pay(account, op.amount))
            elif isinstance(op, ChannelPay):
                channel_payments_record(
                    [
                        ChannelPaymentInput(
                            channel="wechat",
                            reference=f"P{index}-{account.pk}",
                            account_no=account.account_no,
                            amount=op.amount,
                            paid_at=timezone.now(),
                        )
                    ],
                    recorded_by=self.world.office,
                )
            elif isinstance(op, Correct):
                bills = list(Bill.objects.filter(account=account).order_by("period"))
                bill = bills[op.bill % len(bills)]
                before = (bill.amount_due, bill.amount_paid)
                applied = correction_services.bill_corrections_apply(
                    actor=self.world.office,
                    rows=[CorrectionRow(account.account_no, bill.period, op.amount)],
                    source_file="f.csv",
                )
                if op.amount == before[0]:
                    assert applied.unchanged == 1 and not applied.corrections
                else:
                    (correction,) = applied.corrections
                    event("correction to prepaid" if correction.prepaid_added else "correction")
                    assert correction.new_amount_paid == min(before[1], op.amount)
            elif posted:
                payment = posted[op.payment % len(posted)]
                if not Payment.objects.filter(reverses=payment).exists():
                    self._void(payment)

        received = defaultdict(lambda: ZERO)
        for account_id, amount in Payment.objects.values_list("account_id", "amount"):
            received[account_id] += amount
        for account_id, amount in ChannelPayment.objects.values_list("account_id", "amount"):
            received[account_id] += amount
        for account in Account.objects.all():
            bills = list(Bill.objects.filter(account=account))
            assert account.prepaid_balance >= 0
            assert (
                sum((b.amount_paid for b in bills), ZERO) + account.prepaid_balance
                == opening[account.pk] + received[account.pk]
            )
            for bill in bills:
                assert ZERO <= bill.amount_paid <= bill.amount_due
                assert bill.status == correction_services.bill_status(bill)
                if bill.amount_due == 0:
                    assert bill.status == BillStatus.PAID

        # Every movement accounts for itself; the corrections' movements are the changes of
        # amount due, and what they sent to prepaid came off the bills.
        for movement in Movement.objects.prefetch_related("lines"):
            lines = sum((line.amount for line in movement.lines.all()), ZERO)
            if movement.kind == MovementKind.CORRECTION:
                assert movement.amount == (
                    movement.correction.new_amount_due - movement.correction.old_amount_due
                )
                assert lines == -movement.prepaid_change
                assert lines <= 0
            else:
                assert movement.amount == lines + movement.prepaid_change
        assert Movement.objects.filter(kind=MovementKind.CORRECTION).count() == (
            BillCorrection.objects.count()
        )
