"""The exchange with the billing system (issue #13): `make bench BENCH_ARGS=exchange`.

With 1,000,000 movements stored (PostgreSQL, BENCH_DATABASE_URL; default database
counterops_bench_exchange, seeded once with the ORM's bulk_create and kept for the next run):

1. **read**: 100,000 movements after a cursor in pages of 1,000, as the billing system reads
   them — `GET /api/v1/movements/?after=SEQ&limit=1000` with a bearer token, through gunicorn
   with production settings — and the same pages read with the ORM in this process (the
   database's share of it). Target: p95 per page < 200 ms. While the API is not in the tree
   (`/api/v1/movements/` does not resolve), only the ORM read is measured, and said so.
2. **import**: 100,000 channel payments on 50,000 fresh accounts with open bills (two bills
   each; every 50th account one bill, so its second payment finds nothing: a possible double).
   Target: < 60 s, peak memory growth < 300 MB (the process's peak RSS, reset before).
   SWITCH (BENCH_EXCHANGE_IMPORT=auto|command|service): `command` writes the CSV file and runs
   `manage.py import_channel_payments FILE` (branch h13-channels); `service` calls
   `channel_payments_record` on the 100,000 ChannelPaymentInputs; `auto` (default) takes the
   command when it exists.
3. **plans**: EXPLAIN (through QuerySet.explain) of the cursor read (the unique index on seq)
   and of an account's history (index movement_account_seq); a plan without its index fails.

Knobs: BENCH_EXCHANGE_MOVEMENTS (1000000 stored), BENCH_EXCHANGE_READ (100000),
BENCH_EXCHANGE_PAGE (1000), BENCH_EXCHANGE_IMPORT_ROWS (100000), BENCH_PROFILE=1 (cProfile of
the import: the 25 costliest calls by cumulative time).
"""

import contextlib
import cProfile
import csv
import hashlib
import http.client
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from bench.database import database_url as bench_database_url
from bench.database import ensure_database
from bench.loadclient import CpuMeter, database_backends, describe_cpu
from bench.servers import (
    BASE_DIR,
    RESULTS,
    free_port,
    gunicorn_command,
    production_environment,
    start,
    stop,
    wait_for,
)

DATABASE = "exchange"  # counterops_bench_exchange by default (bench/database.py)
READ_P95_TARGET_MS = 200
IMPORT_TARGET_S = 60
IMPORT_MEMORY_TARGET_MB = 300
ACCOUNTS = 100_000  # the stored movements' accounts, E0000000...
PERIODS = 5  # bills per stored account
CHUNK = 10_000  # stored movements written per transaction
HALL_CODE = "benchexchange"
CLIENT_NAME = "bench-exchange"
# Only its SHA-256 is stored (as api_client_create stores it); known, so the bench can use it.
TOKEN = "bench-exchange-token-not-secret"
FIRST_DAY = date(2026, 1, 1)


def database_name(url):
    return url.rsplit("/", 1)[1].split("?")[0]


def _env_int(name, default):
    return int(os.environ.get(name, default))


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


# --- Memory (Linux): the process's peak RSS, reset before a measured phase --------------------


def _status_kb(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def reset_peak_rss() -> int:
    """Reset VmHWM (writing 5 to clear_refs, Linux ≥ 4.0) and return the RSS now, in kB.

    Memory freed by the earlier phases (the seeding's half a million bills) is given back to
    the system first: left in the process, the import would reuse it and seem to grow less.
    """
    import ctypes
    import gc

    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        pass
    return _status_kb("VmRSS")


def peak_growth_mb(rss_before_kb) -> float:
    return (_status_kb("VmHWM") - rss_before_kb) / 1024


# --- The stored movements ---------------------------------------------------------------------


def _people():
    from django.contrib.auth import get_user_model

    from billing.models import InvoiceRange
    from staff.models import Employee, Hall

    hall, _new = Hall.objects.get_or_create(code=HALL_CODE, defaults={"name": "压测交换厅"})
    user, _new = get_user_model().objects.get_or_create(username="bench_exchange_cashier")
    Employee.objects.get_or_create(
        user=user, defaults={"name": "压测收费员", "employee_no": "BX001", "hall": hall}
    )
    invoice_range = InvoiceRange.objects.filter(invoice_code="BX0001").first()
    if invoice_range is None:
        invoice_range = InvoiceRange.objects.create(
            cashier=user,
            hall=hall,
            invoice_code="BX0001",
            first_no=1,
            last_no=99_999_999,
            next_no=1,
            status="closed",
            returned_from=1,
            issued_by=user,
        )
    return hall, user, invoice_range


def _seed_accounts():
    """ACCOUNTS accounts E0000000... with PERIODS bills each; returns the bills' ids by index."""
    from django.db import transaction

    from billing.models import Account, Bill, BillStatus

    periods = [f"2025-{month:02d}" for month in range(1, PERIODS + 1)]
    have = Account.objects.filter(account_no__startswith="E").count()
    for first in range(have, ACCOUNTS, 5_000):
        with transaction.atomic():
            accounts = Account.objects.bulk_create(
                [
                    Account(
                        account_no=f"E{n:07d}",
                        name=f"交换用户{n}",
                        address=f"荆门市白庙路{n}号",
                        created_at=None,
                    )
                    for n in range(first, min(first + 5_000, ACCOUNTS))
                ]
            )
            Bill.objects.bulk_create(
                [
                    Bill(
                        account=account,
                        period=period,
                        volume_m3=Decimal("10.00"),
                        amount_due=Decimal("29.50"),
                        status=BillStatus.UNPAID,
                    )
                    for account in accounts
                    for period in periods
                ]
            )
    bills = {}
    for account_no, period, bill_id in Bill.objects.filter(
        account__account_no__startswith="E"
    ).values_list("account__account_no", "period", "pk"):
        bills[(int(account_no[1:]), periods.index(period))] = bill_id
    accounts = {
        int(no[1:]): pk
        for no, pk in Account.objects.filter(account_no__startswith="E").values_list(
            "account_no", "pk"
        )
    }
    return accounts, bills


def _seed_chunk(start, end, first_seq, accounts, bills, hall, cashier, invoice_range):
    """Movements start..end-1 (numbers from first_seq): every 10th a counter payment with its
    invoice, every 100th (+1) the reversal of the one before, the rest channel payments."""
    from django.utils import timezone

    from billing.models import (
        ChannelPayment,
        InvoiceNumber,
        Movement,
        MovementKind,
        MovementLine,
        Payment,
    )

    channels = ["wechat", "alipay", "bank_debit", "bank_collection", "official_account"]
    drafts = []  # (index, kind, amount, source object, account index, period index)
    invoices, payments, reversals, channel_payments = [], {}, {}, []
    for i in range(start, end):
        a, p = i % ACCOUNTS, (i // ACCOUNTS) % PERIODS
        day = FIRST_DAY + timedelta(days=i // 3_000)
        at = timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(
            seconds=8 * 3600 + (i % 3_000) * 10
        )
        amount = Decimal(20 + i % 180) + Decimal("0.50")
        if i % 10 == 0:
            invoice = InvoiceNumber(
                range=invoice_range,
                invoice_code=invoice_range.invoice_code,
                number=i + 1,
                status="issued",
                recorded_by=cashier,
                recorded_at=at,
            )
            invoices.append(invoice)
            payments[i] = Payment(
                kind="payment",
                account_id=accounts[a],
                hall=hall,
                cashier=cashier,
                business_date=day,
                method="wechat",
                amount=amount,
                reference=f"T{i}",
                invoice=invoice,
                created_at=at,
            )
            drafts.append((i, MovementKind.PAYMENT, amount, a, p, day, at))
        elif i % 100 == 1 and (i - 1) in payments:
            original = payments[i - 1]
            reversals[i] = Payment(
                kind="reversal",
                account_id=original.account_id,
                hall=hall,
                cashier=cashier,
                business_date=original.business_date,
                method=original.method,
                amount=-original.amount,
                reference=original.reference,
                reverses=original,
                created_at=at,
            )
            drafts.append(
                (
                    i,
                    MovementKind.REVERSAL,
                    -original.amount,
                    (i - 1) % ACCOUNTS,
                    ((i - 1) // ACCOUNTS) % PERIODS,
                    original.business_date,
                    at,
                )
            )
        else:
            channel_payments.append(
                ChannelPayment(
                    channel=channels[i % len(channels)],
                    reference=f"S{i:09d}",
                    account_id=accounts[a],
                    amount=amount,
                    paid_at=at - timedelta(minutes=3),
                    received_at=at,
                    business_date=day,
                )
            )
            drafts.append((i, MovementKind.CHANNEL_PAYMENT, amount, a, p, day, at))
    InvoiceNumber.objects.bulk_create(invoices)
    Payment.objects.bulk_create(list(payments.values()))
    Payment.objects.bulk_create(list(reversals.values()))
    ChannelPayment.objects.bulk_create(channel_payments)
    by_reference = {payment.reference: payment for payment in channel_payments}

    def movement(index, kind, amount, a, _p, day, at, reverses=None):
        source = {}
        if kind == MovementKind.PAYMENT:
            payment = payments[index]
            source = {
                "payment_id": payment.pk,
                "invoice_code": invoice_range.invoice_code,
                "invoice_number": f"{index + 1:08d}",
                "cashier_employee_no": "BX001",
                "hall": hall,
                "method": payment.method,
                "reference": payment.reference,
            }
        elif kind == MovementKind.REVERSAL:
            payment = reversals[index]
            source = {
                "payment_id": payment.pk,
                "cashier_employee_no": "BX001",
                "hall": hall,
                "method": payment.method,
                "reference": payment.reference,
                "reverses": reverses,
            }
        else:
            channel_payment = by_reference[f"S{index:09d}"]
            source = {
                "channel_payment_id": channel_payment.pk,
                "method": channel_payment.channel,
                "reference": channel_payment.reference,
            }
        return Movement(
            seq=first_seq + index - start,
            kind=kind,
            account_id=accounts[a],
            amount=amount,
            business_date=day,
            occurred_at=at,
            **source,
        )

    plain = [movement(*draft) for draft in drafts if draft[1] != MovementKind.REVERSAL]
    Movement.objects.bulk_create(plain)
    originals = {m.seq - first_seq + start: m for m in plain if m.kind == MovementKind.PAYMENT}
    reversed_ = [
        movement(*draft, reverses=originals[draft[0] - 1])
        for draft in drafts
        if draft[1] == MovementKind.REVERSAL
    ]
    Movement.objects.bulk_create(reversed_)
    lines = []
    for m in plain + reversed_:
        index = m.seq - first_seq + start
        if m.kind == MovementKind.REVERSAL:
            index -= 1
        a, p = index % ACCOUNTS, (index // ACCOUNTS) % PERIODS
        lines.append(
            MovementLine(
                movement=m, bill_id=bills[(a, p)], period=f"2025-{p + 1:02d}", amount=m.amount
            )
        )
    MovementLine.objects.bulk_create(lines)


def seed_movements(total):
    """Store movements until there are `total` (reused between runs)."""
    from django.db import transaction
    from django.db.models import F

    from billing.models import Movement, MovementSequence

    have = Movement.objects.count()
    if have >= total:
        return have
    started = time.monotonic()
    print(f"storing {total - have:,} movements (once; kept for the next run) ...", flush=True)
    hall, cashier, invoice_range = _people()
    accounts, bills = _seed_accounts()
    # The seeded payments' rows have indices `have`... (references S<index>, invoice numbers
    # index + 1): never used before, since every earlier row counted in `have`.
    for first in range(have, total, CHUNK):
        end = min(first + CHUNK, total)
        with transaction.atomic():
            sequence, _new = MovementSequence.objects.select_for_update().get_or_create(pk=1)
            first_seq = sequence.last + 1
            _seed_chunk(first, end, first_seq, accounts, bills, hall, cashier, invoice_range)
            MovementSequence.objects.filter(pk=1).update(last=F("last") + (end - first))
        if (end // CHUNK) % 10 == 0:
            rate = (end - have) / (time.monotonic() - started)
            print(f"  {end:,} movements stored ({rate:,.0f}/s)", flush=True)
    analyze()
    print(f"stored in {time.monotonic() - started:.0f} s", flush=True)
    return Movement.objects.count()


def analyze():
    """Fresh planner statistics after a bulk load (PostgreSQL only; the ORM cannot say it)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- Reading the feed -------------------------------------------------------------------------


def orm_page(after, limit):
    """The page the API sends, read with the ORM: the movements with their account, hall, what
    they reverse, their channel payment or correction, and their lines, as JSON."""
    from billing.models import Movement

    rows = list(
        Movement.objects.filter(seq__gt=after)
        .order_by("seq")
        .select_related("account", "hall", "reverses", "channel_payment", "correction")
        .prefetch_related("lines")[: limit + 1]
    )
    page, has_more = rows[:limit], len(rows) > limit
    body = {
        "movements": [
            {
                "id": str(m.public_id),
                "seq": m.seq,
                "kind": m.kind,
                "account_no": m.account.account_no,
                "amount": str(m.amount),
                "method": m.method,
                "reference": m.reference,
                "prepaid_change": str(m.prepaid_change),
                "invoice_code": m.invoice_code,
                "invoice_number": m.invoice_number,
                "hall": m.hall.code if m.hall_id else None,
                "cashier_employee_no": m.cashier_employee_no,
                "business_date": m.business_date.isoformat(),
                "occurred_at": m.occurred_at.isoformat(),
                "reverses": str(m.reverses.public_id) if m.reverses_id else None,
                "paid_at": m.channel_payment.paid_at.isoformat() if m.channel_payment_id else None,
                "lines": [
                    {"period": line.period, "amount": str(line.amount)} for line in m.lines.all()
                ],
            }
            for m in page
        ],
        "next": page[-1].seq if page else after,
        "has_more": has_more,
    }
    return json.dumps(body), body


FEED_FIELDS = {
    "id": "public_id",
    "seq": "seq",
    "kind": "kind",
    "account_no": "account__account_no",
    "amount": "amount",
    "method": "method",
    "reference": "reference",
    "prepaid_change": "prepaid_change",
    "invoice_code": "invoice_code",
    "invoice_number": "invoice_number",
    "hall": "hall__code",
    "cashier_employee_no": "cashier_employee_no",
    "business_date": "business_date",
    "occurred_at": "occurred_at",
    "reverses": "reverses__public_id",
    "paid_at": "channel_payment__paid_at",
}


def orm_page_values(after, limit):
    """The same page read as values: one query for the movements (their joins in it), one for
    their lines, no model instances (what the profile of `orm_page` says costs most)."""
    from billing.models import Movement, MovementLine

    rows = list(
        Movement.objects.filter(seq__gt=after)
        .order_by("seq")
        .values("pk", *FEED_FIELDS.values())[: limit + 1]
    )
    page, has_more = rows[:limit], len(rows) > limit
    lines = {}
    for movement_id, period, amount in (
        MovementLine.objects.filter(movement_id__in=[row["pk"] for row in page])
        .order_by("movement_id", "period")
        .values_list("movement_id", "period", "amount")
    ):
        lines.setdefault(movement_id, []).append({"period": period, "amount": str(amount)})

    def text(value):
        if value is None or isinstance(value, (int, str)):
            return value
        return value.isoformat() if hasattr(value, "isoformat") else str(value)

    body = {
        "movements": [
            {
                **{name: text(row[field]) for name, field in FEED_FIELDS.items()},
                "lines": lines.get(row["pk"], []),
            }
            for row in page
        ],
        "next": page[-1]["seq"] if page else after,
        "has_more": has_more,
    }
    return json.dumps(body), body


def read_orm(after, rows, page_size, page=orm_page):
    """`rows` movements after `after` with `page`: each page's time and query count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, cpu, queries, read, cursor = [], [], set(), 0, after
    page(cursor, page_size)  # warm
    while read < rows:
        with CaptureQueriesContext(connection) as captured:
            began, began_cpu = time.perf_counter(), time.process_time()
            _text, body = page(cursor, page_size)
            timings.append((time.perf_counter() - began) * 1000)
            cpu.append((time.process_time() - began_cpu) * 1000)
        queries.add(len(captured))
        read += len(body["movements"])
        cursor = body["next"]
        if not body["has_more"]:
            break
    return timings, cpu, read, queries


def api_available() -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve("/api/v1/movements/")
    except Resolver404:
        return False
    return True


def ensure_client():
    from django.utils import timezone

    from billing.models import ApiClient

    token_hash = hashlib.sha256(TOKEN.encode()).hexdigest()
    ApiClient.objects.update_or_create(
        name=CLIENT_NAME,
        defaults={
            "token_hash": token_hash,
            "token_prefix": TOKEN[:8],
            "scopes": ["read", "channel"],
            "created_at": timezone.now(),
            "revoked_at": None,
        },
    )


def read_api(port, after, rows, page_size):
    """GET the pages one after the other on one kept-alive connection, as a client would."""
    headers = {"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def get(cursor):
        began = time.perf_counter()
        conn.request("GET", f"/api/v1/movements/?after={cursor}&limit={page_size}", headers=headers)
        response = conn.getresponse()
        payload = response.read()
        elapsed = (time.perf_counter() - began) * 1000
        if response.status != 200:
            raise RuntimeError(f"GET after={cursor}: {response.status} {payload[:300]!r}")
        return elapsed, json.loads(payload)

    get(after)  # warm the worker
    timings, read, cursor, errors = [], 0, after, 0
    seqs = []
    while read < rows:
        elapsed, body = get(cursor)
        timings.append(elapsed)
        got = [m["seq"] for m in body["movements"]]
        if got and (got != sorted(got) or got[0] <= cursor or body["next"] != got[-1]):
            errors += 1
        seqs.extend(got)
        read += len(got)
        cursor = body["next"]
        if not body["has_more"]:
            break
    # The billing system retries a cursor: the same rows again.
    _elapsed, again = get(after)
    same = [m["seq"] for m in again["movements"]] == seqs[: len(again["movements"])]
    conn.close()
    return timings, read, errors, same


# --- Channel payments in ----------------------------------------------------------------------


def import_accounts(run, count):
    """`count` fresh accounts with two open bills (30.00, 40.00; every 50th only the first)."""
    from django.db import transaction
    from django.utils import timezone

    from billing.models import Account, Bill

    created_at = timezone.now() - timedelta(days=30)
    numbers = []
    for first in range(0, count, 5_000):
        with transaction.atomic():
            accounts = Account.objects.bulk_create(
                [
                    Account(
                        account_no=f"X{run}{n:06d}",
                        name=f"渠道用户{n}",
                        address=f"荆门市象山大道{n}号",
                        created_at=created_at,
                    )
                    for n in range(first, min(first + 5_000, count))
                ]
            )
            Bill.objects.bulk_create(
                [
                    Bill(account=account, period=period, volume_m3=Decimal("10"), amount_due=due)
                    for index, account in enumerate(accounts, start=first)
                    for period, due in (
                        (("2026-01", Decimal("30.00")),)
                        if index % 50 == 0
                        else (("2026-01", Decimal("30.00")), ("2026-02", Decimal("40.00")))
                    )
                ]
            )
            numbers.extend(account.account_no for account in accounts)
    return numbers


def import_rows(run, account_numbers, rows):
    """Two payments per account (50.00 then 30.00), ten minutes ago, the channels in turn."""
    from django.utils import timezone

    channels = ["wechat", "alipay", "bank_debit", "bank_collection", "official_account"]
    paid_at = timezone.now() - timedelta(minutes=10)
    for n in range(rows):
        yield (
            channels[n % len(channels)],
            f"R{run}-{n:07d}",
            account_numbers[(n // 2) % len(account_numbers)],
            "50.00" if n % 2 == 0 else "30.00",
            paid_at,
        )


def import_mode() -> str:
    mode = os.environ.get("BENCH_EXCHANGE_IMPORT", "auto")
    if mode == "auto":
        from django.core.management import get_commands

        # SWITCH: the CSV command of branch h13-channels, once it is in the tree.
        return "command" if "import_channel_payments" in get_commands() else "service"
    return mode


def run_import(mode, run, account_numbers, rows, folder):
    """The measured import: the command on a CSV file, or the service on the inputs."""
    from django.core.management import call_command

    from billing.services.channels import ChannelPaymentInput, channel_payments_record

    if mode == "command":
        path = Path(folder) / f"channel-{run}.csv"
        with open(path, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["channel", "reference", "account_no", "amount", "paid_at"])
            for channel, reference, account_no, amount, paid_at in import_rows(
                run, account_numbers, rows
            ):
                writer.writerow([channel, reference, account_no, amount, paid_at.isoformat()])
        return lambda: call_command("import_channel_payments", str(path), verbosity=0)

    def service():
        items = [
            ChannelPaymentInput(
                channel=channel,
                reference=reference,
                account_no=account_no,
                amount=Decimal(amount),
                paid_at=paid_at,
                line=line,
            )
            for line, (channel, reference, account_no, amount, paid_at) in enumerate(
                import_rows(run, account_numbers, rows), start=2
            )
        ]
        return channel_payments_record(items, source_file=f"bench-{run}.csv")

    return service


# --- Plans ------------------------------------------------------------------------------------


def plans(after):
    """EXPLAIN the cursor read and an account's history; True when each uses its index."""
    from django.db import connection

    from billing.models import Account, Movement

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Movement._meta.db_table)
    seq_indexes = [
        name
        for name, info in constraints.items()
        if info["columns"] == ["seq"] and (info["index"] or info["unique"])
    ]
    cursor_plan = (
        Movement.objects.filter(seq__gt=after).order_by("seq").select_related("account")[:1000]
    ).explain()
    account = Account.objects.filter(account_no="E0000042").first()
    history_plan = (Movement.objects.filter(account=account).order_by("-seq")[:50]).explain()
    cursor_ok = any(name in cursor_plan for name in seq_indexes)
    history_ok = "movement_account_seq" in history_plan
    print(f"plan of the cursor read (index {', '.join(seq_indexes)}): {verdict(cursor_ok)}")
    print("  " + cursor_plan.replace("\n", "\n  "))
    print(f"plan of an account's history (index movement_account_seq): {verdict(history_ok)}")
    print("  " + history_plan.replace("\n", "\n  "))
    if not history_ok and "account_id" in history_plan:
        # Seen on the stored data: the foreign key's own index on account_id (Django adds one)
        # and a sort of the account's few rows, which the planner finds as cheap. That index is
        # redundant with movement_account_seq, whose first column it is.
        print(
            "  the planner took the foreign key's own index on account_id: redundant with "
            "movement_account_seq (Movement.account with db_index=False would drop it)"
        )
    return cursor_ok and history_ok


# --- Main -------------------------------------------------------------------------------------


def main() -> int:
    total = _env_int("BENCH_EXCHANGE_MOVEMENTS", 1_000_000)
    read_rows = _env_int("BENCH_EXCHANGE_READ", 100_000)
    page_size = _env_int("BENCH_EXCHANGE_PAGE", 1_000)
    import_count = _env_int("BENCH_EXCHANGE_IMPORT_ROWS", 100_000)
    url = bench_database_url(DATABASE)
    ensure_database(url)
    port = free_port()
    env = production_environment(url, port)
    # The server's shape for one reading client: two workers (one would do).
    env.setdefault("WEB_CONCURRENCY", "2")
    os.environ.update({k: v for k, v in env.items() if k != "GUNICORN_BIND"})
    sys.path.insert(0, str(BASE_DIR))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from billing.models import ChannelPayment, Movement

    stored = seed_movements(total)
    last = Movement.objects.order_by("-seq").values_list("seq", flat=True).first()
    after = max(0, last // 2 - read_rows // 2)
    print(
        f"{stored:,} movements stored (last seq {last:,}); reading {read_rows:,} after {after:,}"
        f" in pages of {page_size:,}",
        flush=True,
    )
    ok = True

    # 1. The read: the ORM's share (model instances as a serializer reads them, and plain
    # values), then the API behind gunicorn.
    for label, page in (("models", orm_page), ("values", orm_page_values)):
        timings, cpu, read, queries = read_orm(after, read_rows, page_size, page)
        orm_p95 = pct(timings, 0.95)
        print(
            f"ORM read ({label}): {read:,} movements in {len(timings)} pages, per page p50 "
            f"{pct(timings, 0.5):.1f} ms, p95 {orm_p95:.1f} ms, max {max(timings):.1f} ms "
            f"(this process's CPU p50 {pct(cpu, 0.5):.1f} ms), queries per page "
            f"{sorted(queries)}: {verdict(orm_p95 < READ_P95_TARGET_MS)}",
            flush=True,
        )
    # The target applies to the API; the ORM figures say how much of it is the database's.
    if api_available():
        ensure_client()
        RESULTS.mkdir(parents=True, exist_ok=True)
        with open(RESULTS / "exchange-gunicorn.log", "w") as log:
            server = start(gunicorn_command("config.wsgi:application"), env, output=log)
            try:
                wait_for(port, server)
                # CPU per page, not only its time: on the shared machine the time follows the
                # load, the CPU much less.
                meter = CpuMeter(server.pid, database_backends(database_name(url)))
                meter.start()
                timings, read, errors, same = read_api(port, after, read_rows, page_size)
                used = meter.stop()
            finally:
                stop(server)
        api_p95 = pct(timings, 0.95)
        api_ok = api_p95 < READ_P95_TARGET_MS and not errors and same and read >= read_rows
        print(
            f"API read (gunicorn, production settings): {read:,} movements in {len(timings)} "
            f"pages, per page p50 {pct(timings, 0.5):.1f} ms, p95 {api_p95:.1f} ms, max "
            f"{max(timings):.1f} ms, {statistics.mean(timings):.1f} ms mean; pages out of order "
            f"{errors}; same rows on a re-read {same}: {verdict(api_ok)}",
            flush=True,
        )
        print("  " + describe_cpu(used, len(timings) + 2, "page", meter.load_after))
        ok &= api_ok
    else:
        print("API read: /api/v1/movements/ is not in this tree (branch h13-api): not measured")

    # 2. The import.
    mode = import_mode()
    run = datetime.now(tz=UTC).strftime("%y%m%d%H%M%S")
    account_numbers = import_accounts(run, import_count // 2)
    folder = tempfile.mkdtemp(prefix="bench-exchange-")
    measured = run_import(mode, run, account_numbers, import_count, folder)
    profile = cProfile.Profile() if os.environ.get("BENCH_PROFILE") else None
    # This process is the client and the server: its CPU and the database's.
    meter = CpuMeter(os.getpid(), database_backends(database_name(url)))
    rss_before = reset_peak_rss()
    meter.start()
    started = time.monotonic()
    if profile:
        profile.enable()
    measured()
    if profile:
        profile.disable()
    elapsed = time.monotonic() - started
    used = meter.stop()
    grown = peak_growth_mb(rss_before)
    recorded = ChannelPayment.objects.filter(reference__startswith=f"R{run}-")
    count = recorded.count()
    doubles = recorded.filter(possible_double=True).count()
    movements = Movement.objects.filter(channel_payment__reference__startswith=f"R{run}-").count()
    import_ok = (
        count == import_count == movements
        and elapsed < IMPORT_TARGET_S
        and grown < IMPORT_MEMORY_TARGET_MB
    )
    print(
        f"import ({mode}): {count:,} channel payments ({doubles:,} possible doubles), "
        f"{movements:,} movements in {elapsed:.1f} s = {import_count / elapsed:,.0f}/s; peak "
        f"memory growth {grown:.0f} MB (from {rss_before / 1024:.0f} MB): {verdict(import_ok)}",
        flush=True,
    )
    print(
        f"  CPU: this process {used['client']:.1f} s, PostgreSQL {used['database']:.1f} s; "
        f"machine busy {used['machine'] / used['wall']:.2f} of {os.cpu_count()} cores; "
        f"load average {meter.load_after}"
    )
    ok &= import_ok
    if profile:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)

    # 3. The plans.
    ok &= plans(after)
    print(f"load average {'/'.join(f'{v:.2f}' for v in os.getloadavg())}")
    print("all targets met" if ok else "targets missed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
