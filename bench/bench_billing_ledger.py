"""Benchmark of the cash ledgers (PostgreSQL): `make bench BENCH_ARGS=billing_ledger`.

Targets (issue #4): a hall day with 10 cashiers and 5,000 payments — the hall-day page p95
under 150 ms; the monthly summary of a hall with 150,000 payments under 1 s; query counts fixed.

One hall, 10 cashiers, every day of June 2026 with 5,000 payments (150,000 in the month), one
deposit and a verified ledger per cashier and day. Reads BENCH_DATABASE_URL (default
postgres://counterops:counterops@localhost/counterops_bench_billing_ledger) and creates that
database when it is missing; the data are generated once and kept for the next run.
"""

import random
import statistics
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal

from bench.database import setup_django

DATABASE = "billing_ledger"  # counterops_bench_billing_ledger by default (bench/database.py)
CASHIERS = 10
PER_DAY = 5_000
MONTH = date(2026, 6, 1)
DAYS = 30
HALL_DAY_TARGET_MS = 150
MONTHLY_TARGET_S = 1.0
HALL_DAY_MAX_QUERIES = 15
MONTHLY_MAX_QUERIES = 12
METHODS = ["cash"] * 4 + ["wechat"] * 3 + ["bank_card"] * 2 + ["alipay"]


def _people():
    from django.contrib.auth.models import Group

    from staff.core.roles import Role
    from staff.models import Employee, Hall
    from tests.staff.factories import UserFactory

    hall = Hall.objects.get_or_create(code="benchledger", defaults={"name": "压测台账厅"})[0]

    def person(username, name, number, role, in_hall=True):
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(username=username).first() or UserFactory(
            username=username
        )
        user.groups.add(Group.objects.get(name=role))
        Employee.objects.get_or_create(
            user=user,
            defaults={"name": name, "employee_no": number, "hall": hall if in_hall else None},
        )
        return user

    cashiers = [
        person(f"bench_ledger_cashier{n}", f"压测收费员{n}", f"BL{n:03d}", Role.CASHIER)
        for n in range(CASHIERS)
    ]
    lead = person("bench_ledger_lead", "压测班长", "BLLEAD", Role.SHIFT_LEAD)
    director = person("bench_ledger_director", "压测主任", "BLDIR", Role.DIRECTOR, in_hall=False)
    return hall, cashiers, lead, director


def _generate(hall, cashiers, lead):
    """Payments first, then deposits on open ledgers, then the ledgers closed and verified."""
    from django.db import connection, transaction
    from django.utils import timezone

    from billing.models import (
        CashLedger,
        Deposit,
        InvoiceNumber,
        InvoiceRange,
        LedgerState,
        Payment,
    )
    from tests.billing.factories import AccountFactory

    days = [MONTH + timedelta(days=d) for d in range(DAYS)]
    if Payment.objects.filter(hall=hall).count() >= PER_DAY * DAYS:
        return
    rng = random.Random(4)
    account = AccountFactory(account_no="BENCHLEDGER")
    per_cashier = PER_DAY // CASHIERS
    for index, cashier in enumerate(cashiers):
        code = f"BL{index:02d}"
        invoice_range = InvoiceRange.objects.create(
            cashier=cashier,
            hall=hall,
            invoice_code=code,
            first_no=1,
            last_no=per_cashier * DAYS,
            next_no=1,
            status="closed",
            returned_from=1,
            issued_by=lead,
        )
        number = 0
        for day in days:
            with transaction.atomic():
                ledger = CashLedger.objects.create(
                    hall=hall, cashier=cashier, business_date=day, opening_float=Decimal("500.00")
                )
                start = timezone.make_aware(datetime.combine(day, clock(8)))
                numbers, payments, cash = [], [], Decimal("0.00")
                for k in range(per_cashier):
                    number += 1
                    at = start + timedelta(seconds=k * 60)
                    method = METHODS[rng.randrange(len(METHODS))]
                    amount = Decimal(rng.randrange(500, 50_000)) / 100
                    invoice = InvoiceNumber(
                        range=invoice_range,
                        invoice_code=code,
                        number=number,
                        status="issued",
                        recorded_by=cashier,
                        recorded_at=at,
                    )
                    numbers.append(invoice)
                    payments.append(
                        Payment(
                            kind="payment",
                            account=account,
                            hall=hall,
                            cashier=cashier,
                            business_date=day,
                            method=method,
                            amount=amount,
                            tendered=amount if method == "cash" else None,
                            change=Decimal("0.00") if method == "cash" else None,
                            reference="" if method == "cash" else f"T{number}",
                            invoice=invoice,
                            created_at=at,
                        )
                    )
                    cash += amount if method == "cash" else 0
                InvoiceNumber.objects.bulk_create(numbers)
                Payment.objects.bulk_create(payments)
                Deposit.objects.create(
                    ledger=ledger,
                    bank="压测银行",
                    slip_no=f"{code}-{day:%Y%m%d}",
                    amount=cash,
                    expected_amount=cash,
                    deposited_at=start + timedelta(hours=10),
                    depositor=cashier.employee,
                    escort=lead.employee,
                    recorded_by=cashier,
                )
                expected = ledger.opening_float
                # Closed and verified in two steps, the only way the database lets a ledger
                # go (billing migration 0008).
                CashLedger.objects.filter(pk=ledger.pk).update(
                    state=LedgerState.SUBMITTED,
                    counted_cash=expected,
                    cash_takings=cash,
                    deposited=cash,
                    carried_out=Decimal("0.00"),
                    expected_cash=expected,
                    variance=Decimal("0.00"),
                    submitted_at=start + timedelta(hours=11),
                    count_100=5,
                )
                CashLedger.objects.filter(pk=ledger.pk).update(
                    state=LedgerState.VERIFIED,
                    verified_by=lead,
                    verified_at=start + timedelta(hours=12),
                )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE billing_payment")
        cursor.execute("ANALYZE billing_cashledger")
        cursor.execute("ANALYZE billing_deposit")


def _time(client, url, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.get(url).status_code == 200, url  # warm caches and the session
    timings, counts = [], set()
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, url
        counts.add(len(queries))
    return timings, counts


def _p95(timings):
    return statistics.quantiles(timings, n=20)[-1] if len(timings) >= 2 else timings[0]


def main() -> int:
    setup_django(DATABASE)
    from django.test import Client

    from billing.models import Payment

    hall, cashiers, lead, director = _people()
    began = time.perf_counter()
    _generate(hall, cashiers, lead)
    print(
        f"data: {Payment.objects.filter(hall=hall).count()} payments in the hall "
        f"(ready in {time.perf_counter() - began:.1f} s)"
    )

    day = MONTH + timedelta(days=14)
    client = Client()
    client.force_login(lead)
    day_timings, day_queries = _time(client, f"/billing/days/{hall.pk}/{day.isoformat()}/", 40)
    report_timings, report_queries = _time(
        client, f"/billing/days/{hall.pk}/{day.isoformat()}/report/", 20
    )
    client.force_login(director)
    month_url = f"/billing/ledgers/monthly/?month={MONTH:%Y-%m}&hall={hall.pk}"
    month_timings, month_queries = _time(client, month_url, 5)

    day_p95 = _p95(day_timings)
    month_max = max(month_timings) / 1000
    print(
        f"hall day ({PER_DAY} payments, {CASHIERS} cashiers): p50 "
        f"{statistics.median(day_timings):.1f} ms, p95 {day_p95:.1f} ms "
        f"(target < {HALL_DAY_TARGET_MS}), queries {sorted(day_queries)}"
    )
    print(f"hall day report: p95 {_p95(report_timings):.1f} ms, queries {sorted(report_queries)}")
    print(
        f"monthly summary ({PER_DAY * DAYS} payments): median "
        f"{statistics.median(month_timings) / 1000:.3f} s, max {month_max:.3f} s "
        f"(target < {MONTHLY_TARGET_S}), queries {sorted(month_queries)}"
    )
    failed = (
        day_p95 >= HALL_DAY_TARGET_MS
        or month_max >= MONTHLY_TARGET_S
        or len(day_queries) != 1
        or max(day_queries) > HALL_DAY_MAX_QUERIES
        or len(month_queries) != 1
        or max(month_queries) > MONTHLY_MAX_QUERIES
    )
    print("FAILED" if failed else "ok")
    return 1 if failed else 0
