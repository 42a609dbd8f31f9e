"""Demo accounts, bills, invoice ranges and a few days of payments, for `manage.py seed_demo`.

Idempotent: accounts and bills are found by account number and period, ranges by cashier and
first number; payments are only added for a cashier and day that have none yet.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from staff.demo.core import HALLS

from ..models import Account, AccountStatus, Bill, CashLedger, InvoiceRange, Payment
from ..services.counter import payment_post
from ..services.invoices import invoice_range_issue
from ..services.voids import void_request
from . import channels as channels_demo
from . import ledger as ledger_demo

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张"
GIVEN = ["建华", "秀英", "志强", "桂兰", "海涛", "丽娟", "国庆", "文静", "红梅", "伟"]
STREETS = ["象山大道", "月亮湖路", "白庙路", "长宁大道", "泉口路", "龙泉路", "掇刀石街"]
ACCOUNTS = 60
INVOICE_CODE = "042001900111"
PERIODS_BACK = 3


def _periods(today):
    periods = []
    year, month = today.year, today.month
    for _ in range(PERIODS_BACK):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        periods.append(f"{year}-{month:02d}")
    return sorted(periods)


def _accounts(today):
    periods = _periods(today)
    created = 0
    for n in range(1, ACCOUNTS + 1):
        account, new = Account.objects.get_or_create(
            account_no=f"88{n:06d}",
            defaults={
                "name": f"{SURNAMES[n % len(SURNAMES)]}{GIVEN[n % len(GIVEN)]}",
                "address": f"{STREETS[n % len(STREETS)]}{n * 3}号",
                "phone": f"1387240{n:04d}",
                "status": AccountStatus.CLOSED if n == ACCOUNTS else AccountStatus.ACTIVE,
            },
        )
        created += new
        for index, period in enumerate(periods):
            volume = Decimal(8 + (n * 7 + index * 3) % 15)
            Bill.objects.get_or_create(
                account=account,
                period=period,
                defaults={"volume_m3": volume, "amount_due": volume * Decimal("2.95")},
            )
    return created


def _cashiers():
    users = get_user_model().objects.select_related("employee")
    names = [f"{kind}_{code}" for code, *_rest in HALLS for kind in ("cashier", "cashier2", "lead")]
    return [
        u for u in users.filter(username__in=names).order_by("username") if hasattr(u, "employee")
    ]


def _ranges(cashiers):
    leads = {
        u.employee.hall_id: u
        for u in get_user_model()
        .objects.filter(username__startswith="lead_")
        .select_related("employee")
    }
    issued = 0
    for index, cashier in enumerate(cashiers):
        first = index * 1000 + 1
        if InvoiceRange.objects.filter(invoice_code=INVOICE_CODE, first_no=first).exists():
            continue
        if InvoiceRange.objects.filter(cashier=cashier, status="active").exists():
            continue
        invoice_range_issue(
            actor=leads.get(cashier.employee.hall_id, cashier),
            cashier=cashier,
            invoice_code=INVOICE_CODE,
            first_no=first,
            last_no=first + 999,
        )
        issued += 1
    return issued


def _payments(cashiers, today, days_ago):
    """Four payments per cashier on the day `days_ago` before today; a pending void today.

    Past days' payments are posted as the counter posts them, at that day's hours: the payment
    rows are append-only (billing migration 0008), so they are never moved afterwards.
    """
    accounts = list(
        Account.objects.filter(account_no__startswith="88", status=AccountStatus.ACTIVE).order_by(
            "account_no"
        )
    )
    day = today - datetime.timedelta(days=days_ago)
    posted = 0
    for index, cashier in enumerate(cashiers):
        if Payment.objects.filter(cashier=cashier, business_date=day).exists():
            continue
        for k in range(4):
            account = accounts[(index * 16 + days_ago * 4 + k) % (len(accounts) - 10)]
            method = ["cash", "cash", "wechat", "bank_card"][k]
            amount = Decimal("30.00") + k * 10
            at = None
            if days_ago:
                at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9 + k)))
            # How long the account was on screen before the post (the lead's speed table).
            looked_up_at = (at or timezone.now()) - datetime.timedelta(
                seconds=28 + 11 * k + 3 * index
            )
            payment = payment_post(
                cashier=cashier,
                account_id=account.pk,
                amount=amount,
                method=method,
                tendered=(amount + 20) if method == "cash" else None,
                reference="" if method == "cash" else f"T{index:02d}{days_ago}{k}",
                looked_up_at=looked_up_at,
                now=at,
            ).payment
            posted += 1
        if cashier.username == "cashier_longquan" and not days_ago:
            void_request(actor=cashier, payment=payment, reason="演示：户号输错")
    return posted


def seed(*, password, stdout):
    today = timezone.localdate()
    created = _accounts(today)
    cashiers = _cashiers()
    issued = _ranges(cashiers)
    posted = closed = 0
    # Day by day, as the days went: a past day's payments, then its ledgers closed, so that
    # the next day's ledger opens with the cash the day before carried out.
    for days_ago in (3, 2, 1, 0):
        posted += _payments(cashiers, today, days_ago)
        if days_ago:
            closed += ledger_demo.seed_day(today, days_ago)
    ledgers = CashLedger.objects.filter(business_date__lt=today).count()
    channel_payments = channels_demo.seed(today)
    stdout.write(
        f"  billing: {created} new accounts (88000001–88{ACCOUNTS:06d}), "
        f"{issued} invoice ranges issued, {posted} payments posted, "
        f"{closed} past cash ledgers closed ({ledgers} in all), "
        f"{channel_payments} channel payments recorded"
    )
