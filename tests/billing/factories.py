from decimal import Decimal

import factory

from billing.models import Account, Bill, InvoiceRange


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    account_no = factory.Sequence(lambda n: f"10{n:06d}")
    name = factory.Sequence(lambda n: f"用户{n}")
    address = factory.Sequence(lambda n: f"象山大道{n}号")
    phone = factory.Sequence(lambda n: f"138{n:08d}")


class BillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bill

    account = factory.SubFactory(AccountFactory)
    period = factory.Sequence(lambda n: f"{2020 + n // 12}-{n % 12 + 1:02d}")
    volume_m3 = Decimal("10.00")
    amount_due = Decimal("30.00")


class InvoiceRangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InvoiceRange

    invoice_code = "042001900111"
    first_no = factory.Sequence(lambda n: n * 1000 + 1)
    last_no = factory.LazyAttribute(lambda o: o.first_no + 999)
    next_no = factory.LazyAttribute(lambda o: o.first_no)
    hall = factory.LazyAttribute(lambda o: o.cashier.employee.hall)
    issued_by = factory.LazyAttribute(lambda o: o.cashier)


def account_with_bills(*amounts, prepaid="0.00", **kwargs):
    """An account with one unpaid bill per amount, periods in ascending order."""
    account = AccountFactory(prepaid_balance=Decimal(prepaid), **kwargs)
    for index, amount in enumerate(amounts):
        BillFactory(account=account, period=f"2026-{index + 1:02d}", amount_due=Decimal(amount))
    return account
