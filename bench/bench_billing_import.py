"""The bill import: 100,000 CSV rows (GBK) into PostgreSQL, time and peak memory.

`make bench BENCH_ARGS=billing_import`. Uses the same database as the counter benchmark
(BENCH_DATABASE_URL, created when missing); the imported accounts (numbers starting with "I")
and their bills are deleted afterwards. Target: well under a minute (< 30 s) and a peak
memory growth far below the file's size times the row objects (< 150 MB).
Knob: BENCH_IMPORT_ROWS (100000).
"""

import os
import resource
import sys
import tempfile
import time

from bench.bench_billing import DEFAULT_URL, _environment, _free_port
from bench.database import ensure_database

TARGET_SECONDS = 30
TARGET_MEMORY_MB = 150


def _write_csv(path, rows):
    with open(path, "w", encoding="gbk", newline="") as out:
        out.write("户号,户名,地址,电话,账期,水量,金额\n")
        for n in range(rows):
            account = n // 2
            out.write(
                f"I{account:07d},导入用户{account},荆门市象山大道{account}号,139{account:08d},"
                f"2026-{n % 2 + 1:02d},{10 + n % 7},{(10 + n % 7) * 2.95:.2f}\n"
            )


def main() -> int:
    rows = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    ensure_database(database_url)
    os.environ.update(_environment(database_url, _free_port()))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from billing.imports import bills_import
    from billing.models import Account, Bill, BillImport

    Bill.objects.filter(account__account_no__startswith="I").delete()
    Account.objects.filter(account_no__startswith="I").delete()
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "bills.csv")
        _write_csv(path, rows)
        size_mb = os.path.getsize(path) / 2**20
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.monotonic()
        with open(path, "rb") as source:
            batch = bills_import(actor=None, source=source, filename="bench.csv")
        elapsed = time.monotonic() - started
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before
    print(
        f"imported {batch.bills_created} bills, {batch.accounts_created} accounts "
        f"({size_mb:.1f} MB {batch.encoding}) in {elapsed:.1f} s = {rows / elapsed:,.0f} rows/s; "
        f"peak memory growth {grown:.0f} MB"
    )
    Bill.objects.filter(account__account_no__startswith="I").delete()
    Account.objects.filter(account_no__startswith="I").delete()
    BillImport.objects.filter(filename="bench.csv").delete()
    ok = batch.bills_created == rows and elapsed < TARGET_SECONDS and grown < TARGET_MEMORY_MB
    print("all targets met" if ok else "targets missed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
