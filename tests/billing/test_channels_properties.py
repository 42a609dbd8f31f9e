"""Property test of the channel payments file: whatever lines come (amounts with odd cents,
every channel, several lines for one account, a payment repeated in the file), the new money
is the file's total, each account's bills and prepaid balance account for it to the fen, the
movements say the same, and importing the same file again changes nothing."""

import io
from datetime import timedelta
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from billing.models import Bill, Channel, ChannelPayment, Movement
from billing.services.imports import channel_payments_import
from tests.billing.factories import account_with_bills

LINE = st.tuples(
    st.integers(min_value=0, max_value=2),  # which account
    st.sampled_from(Channel.values),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("300"), places=2),
    st.booleans(),  # written again on the next line (the same payment twice)
)


def _money_of(account):
    paid = Bill.objects.filter(account=account).aggregate(total=Sum("amount_paid"))["total"]
    account.refresh_from_db()
    return paid + account.prepaid_balance


class ChannelFileProperties(TestCase):
    @given(lines=st.lists(LINE, min_size=1, max_size=12))
    def test_the_money_of_a_file_is_accounted_for_to_the_fen(self, lines):
        accounts = [
            account_with_bills("45.67", "12.34", "99.99", prepaid=prepaid, created_at=None)
            for prepaid in ("0.00", "5.05", "0.00")
        ]
        before = [_money_of(account) for account in accounts]
        when = timezone.localtime(timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
        rows, expected = [], [Decimal("0.00")] * 3
        for n, (index, channel, amount, twice) in enumerate(lines):
            row = f"{channel},P{n},{accounts[index].account_no},{amount},{when}\n"
            rows += [row, row] if twice else [row]
            expected[index] += amount
        text = ("channel,reference,account_no,amount,paid_at\n" + "".join(rows)).encode()

        result = channel_payments_import(actor=None, source=io.BytesIO(text))

        assert result.new == len(lines) and result.already == sum(t for *_x, t in lines)
        assert result.new_total == result.file_total == sum(expected)
        for account, money_before, added in zip(accounts, before, expected, strict=True):
            assert _money_of(account) == money_before + added
            moved = Movement.objects.filter(account=account).aggregate(
                amount=Sum("amount"), prepaid=Sum("prepaid_change")
            )
            assert (moved["amount"] or 0) == added
        again = channel_payments_import(actor=None, source=io.BytesIO(text))
        assert again.new == 0 and again.already == len(rows)
        assert ChannelPayment.objects.count() == len(lines) == Movement.objects.count()
        assert [_money_of(account) for account in accounts] == [
            b + e for b, e in zip(before, expected, strict=True)
        ]
