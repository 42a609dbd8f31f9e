"""The bill import: 100,000 CSV rows (GBK) into PostgreSQL, time and peak memory.

`make bench BENCH_ARGS=billing_import`. Uses the same database as the counter benchmark
(BENCH_DATABASE_URL, created when missing); the imported accounts (numbers starting with "I")
and their bills are deleted afterwards. Two runs, as the background worker runs them
(billing.services.imports.bill_import_job_run on an uploaded file):
- a file of bad lines only: rejected with the first 200 errors and their count; target: the
  memory does not grow with the errors (< 50 MB);
- a good file: target well under a minute (< 30 s) and a peak memory growth far below the
  file's size times the row objects (< 150 MB).
Knob: BENCH_IMPORT_ROWS (100000).
"""

import os
import resource
import shutil
import sys
import tempfile
import time

from bench.bench_billing import DATABASE
from bench.database import database_url as bench_database_url
from bench.database import ensure_database
from bench.servers import free_port, production_environment

TARGET_SECONDS = 30
TARGET_MEMORY_MB = 150
TARGET_BAD_MEMORY_MB = 50


def _write_csv(path, rows, *, bad=False):
    """Two bills per account; `bad`: every line has a wrong period (2026-13)."""
    with open(path, "w", encoding="gbk", newline="") as out:
        out.write("户号,户名,地址,电话,账期,水量,金额\n")
        for n in range(rows):
            account = n // 2
            month = 13 if bad else n % 2 + 1
            out.write(
                f"I{account:07d},导入用户{account},荆门市象山大道{account}号,139{account:08d},"
                f"2026-{month:02d},{10 + n % 7},{(10 + n % 7) * 2.95:.2f}\n"
            )


def _peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run_job(path, user):
    """Upload the file as the page does, confirm it, and run the job as the worker does."""
    from django.core.files import File

    from billing.models import BillImportJob
    from billing.services import imports as import_jobs

    with open(path, "rb") as source:
        job = import_jobs.bill_import_upload(actor=user, upload=_Upload(File(source), path))
    # Queued by hand: the worker is this process, not `manage.py db_worker`.
    BillImportJob.objects.filter(pk=job.pk).update(status="queued")
    before = _peak_mb()
    started = time.monotonic()
    job = import_jobs.bill_import_job_run(job_id=job.pk)
    return job, time.monotonic() - started, _peak_mb() - before


class _Upload:
    """The parts of an UploadedFile the upload service reads."""

    def __init__(self, file, path):
        self.file, self.name, self.size = file, "bench.csv", os.path.getsize(path)

    def __getattr__(self, name):
        return getattr(self.file, name)


def main() -> int:
    rows = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
    database_url = bench_database_url(DATABASE)
    ensure_database(database_url)
    os.environ.update(production_environment(database_url, free_port()))
    folder = tempfile.mkdtemp(prefix="bench-import-")
    os.environ["MEDIA_ROOT"] = os.path.join(folder, "media")  # the uploaded files
    try:
        return _main(rows, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _main(rows, folder) -> int:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.contrib.auth.models import User

    from billing.models import Account, Bill, BillImport, BillImportJob

    Bill.objects.filter(account__account_no__startswith="I").delete()
    Account.objects.filter(account_no__startswith="I").delete()
    user, _created = User.objects.get_or_create(username="bench-import")
    bad_path = os.path.join(folder, "bad.csv")
    _write_csv(bad_path, rows, bad=True)
    bad, bad_elapsed, bad_grown = _run_job(bad_path, user)
    path = os.path.join(folder, "bills.csv")
    _write_csv(path, rows)
    size_mb = os.path.getsize(path) / 2**20
    job, elapsed, grown = _run_job(path, user)
    batch = job.batch
    print(
        f"bad file: rejected ({bad.status}) with {len(bad.errors)} of {bad.error_count} errors "
        f"kept in {bad_elapsed:.1f} s; peak memory growth {bad_grown:.0f} MB"
    )
    print(
        f"imported {batch.bills_created} bills, {batch.accounts_created} accounts "
        f"({size_mb:.1f} MB {batch.encoding}) in {elapsed:.1f} s = {rows / elapsed:,.0f} rows/s; "
        f"peak memory growth {grown:.0f} MB"
    )
    Bill.objects.filter(account__account_no__startswith="I").delete()
    Account.objects.filter(account_no__startswith="I").delete()
    BillImportJob.objects.filter(uploaded_by=user).delete()
    BillImport.objects.filter(filename="bench.csv").delete()
    ok = (
        batch.bills_created == rows
        and elapsed < TARGET_SECONDS
        and grown < TARGET_MEMORY_MB
        and bad.status == "rejected"
        and bad.error_count == rows
        and bad_grown < TARGET_BAD_MEMORY_MB
    )
    print("all targets met" if ok else "targets missed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
