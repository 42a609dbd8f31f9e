"""Files uploaded through the web page, imported as background jobs: bills files, and files of
channel payments (`BillImportJob.kind`; the flow and the pages are the same).

A 50 MB file takes minutes to check and write: far longer than a web request may last (gunicorn
restarts a worker after 30 s, and the upload was lost with it). So the page only stores the
file and shows its first rows as decoded; once the office confirms, a job is queued, the worker
(`manage.py db_worker`) runs `run_bill_import_job`, and the page follows its progress.

upload (UPLOADED) → confirm (QUEUED) → worker: CHECKING → WRITING → IMPORTED, or REJECTED with
the first errors, or FAILED; or discard (DISCARDED). The file is deleted when the job ends.

`manage.py import_bills FILE` and `import_channel_payments FILE` run the same two passes in
their own process (`bills_import`, `channel_payments_import`). A job of kind CORRECTIONS runs
the same way, through billing.services.corrections instead of `bills_write`.
"""

import logging
from dataclasses import asdict, dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from staff.core.audit import audit_record

from ..bills_file import (
    CHUNK,
    BillImportError,
    CheckedFile,
    Progress,
    Row,
    _parse,
    _rows,
    bills_check,
    corrections_read,
    sniff_encoding,
)
from ..channels_file import CheckedChannelFile, channel_inputs, channels_check
from ..models import Account, Bill, BillImport, BillImportJob, BillStatus, ImportKind
from ..models import BillImportJobStatus as Status
from ..money import yuan
from .channels import ChannelPaymentsRefused, channel_payments_record

logger = logging.getLogger(__name__)


# An upload nobody confirmed is deleted after this long.
UNCONFIRMED_KEPT = timedelta(days=1)


def upload_max_bytes() -> int:
    return settings.UPLOAD_MAX_MB * 1024 * 1024


def too_large_message() -> str:
    return _("The file is larger than %(limit)s MB and was not uploaded.") % {
        "limit": settings.UPLOAD_MAX_MB
    }


def _count_lines(binary) -> int:
    """Lines after the header (blank ones included): the total the progress bar counts to."""
    binary.seek(0)
    lines, last = 0, b"\n"
    while block := binary.read(1024 * 1024):
        lines += block.count(b"\n")
        last = block[-1:]
    if last != b"\n":
        lines += 1
    return max(lines - 1, 0)


def _discard_unconfirmed(now):
    """Files uploaded and never confirmed do not stay on the disk."""
    for job in BillImportJob.objects.filter(
        status=Status.UPLOADED, uploaded_at__lt=now - UNCONFIRMED_KEPT
    ).only("id", "file"):
        # Only if nobody confirmed it in the meantime.
        if BillImportJob.objects.filter(pk=job.pk, status=Status.UPLOADED).update(
            status=Status.DISCARDED, finished_at=now
        ):
            _delete_file(job)


def _delete_file(job):
    if job.file:
        job.file.delete(save=False)
        BillImportJob.objects.filter(pk=job.pk).update(file="")


# The audit trail's action names of each kind of job: "billing.bills.upload", ...
ACTION_PREFIX = {
    ImportKind.BILLS: "billing.bills",
    ImportKind.CORRECTIONS: "billing.corrections",
    ImportKind.CHANNEL_PAYMENTS: "billing.channels",
}
# How the audit trail names the uploaded file of each kind of job.
FILE_LABEL = {
    ImportKind.BILLS: _lazy("Bills file"),
    ImportKind.CORRECTIONS: _lazy("Corrections file"),
    ImportKind.CHANNEL_PAYMENTS: _lazy("Channel payments file"),
}


def _action(job, verb) -> str:
    return f"{ACTION_PREFIX[job.kind]}.{verb}"


def bill_import_upload(*, actor, upload, kind=ImportKind.BILLS) -> BillImportJob:
    """Store an uploaded file (bills, corrections or channel payments) for the office to look at and
    confirm. Refuses a file that is too large or neither UTF-8 nor GBK (ValidationError on
    "file"); the rows are checked by the job."""
    if kind not in ImportKind.values:
        raise ValidationError({"kind": _("Choose new bills or corrections.")})
    if upload.size > upload_max_bytes():
        raise ValidationError({"file": too_large_message()})
    if upload.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    try:
        encoding = sniff_encoding(upload)
    except BillImportError as error:
        raise ValidationError({"file": error.errors[0]}) from None
    now = timezone.now()
    _discard_unconfirmed(now)
    job = BillImportJob(
        kind=kind,
        filename=upload.name[:200],
        size=upload.size,
        encoding=encoding,
        lines=_count_lines(upload),
        uploaded_by=actor,
        uploaded_at=now,
    )
    upload.seek(0)
    job.file.save(f"{kind}.csv", upload, save=False)
    what = FILE_LABEL[kind]
    try:
        with transaction.atomic():
            job.save()
            audit_record(
                actor=actor,
                action=_action(job, "upload"),
                obj=job,
                summary=_("%(what)s %(file)s uploaded (%(encoding)s, %(lines)s lines)")
                % {"what": what, "file": job.filename, "encoding": encoding, "lines": job.lines},
            )
    except BaseException:
        job.file.delete(save=False)
        raise
    return job


def _locked(job_id) -> BillImportJob:
    return BillImportJob.objects.select_for_update().get(pk=job_id)


def bill_import_confirm(*, actor, job_id) -> BillImportJob:
    """Queue the import of an uploaded file. The task row is written in this transaction
    (database backend), so the job and its task are committed together: no queued job
    without a task, no task that finds its job not yet queued."""
    from ..tasks import run_bill_import_job

    with transaction.atomic():
        job = _locked(job_id)
        if job.status != Status.UPLOADED:
            raise ValidationError(_("This file is no longer waiting for confirmation."))
        job.status = Status.QUEUED
        job.queued_at = timezone.now()
        job.save(update_fields=["status", "queued_at"])
        audit_record(
            actor=actor,
            action=_action(job, "import_queued"),
            obj=job,
            summary=_("Import of %(file)s confirmed") % {"file": job.filename},
        )
        run_bill_import_job.enqueue(job.pk)
    return job


def bill_import_discard(*, actor, job_id) -> BillImportJob:
    """Drop an uploaded file that the office does not want to import."""
    with transaction.atomic():
        job = _locked(job_id)
        if job.status != Status.UPLOADED:
            raise ValidationError(_("This file is no longer waiting for confirmation."))
        job.status = Status.DISCARDED
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "finished_at"])
        audit_record(
            actor=actor,
            action=_action(job, "import_discarded"),
            obj=job,
            summary=_("Upload of %(file)s discarded") % {"file": job.filename},
        )
        transaction.on_commit(lambda: _delete_file(job))
    return job


def _finish(job_id, *, status, verb, summary, **fields) -> BillImportJob:
    with transaction.atomic():
        job = _locked(job_id)
        action = _action(job, verb)
        job.status = status
        job.finished_at = timezone.now()
        for name, value in fields.items():
            setattr(job, name, value)
        job.save(update_fields=["status", "finished_at", *fields])
        audit_record(actor=None, action=action, obj=job, summary=summary)
    return job


def bill_import_job_run(*, job_id) -> BillImportJob:
    """The worker's part, for either kind of file: check every line, then write all of it or
    nothing. A job that is not queued (run twice, discarded) is left alone."""
    with transaction.atomic():
        job = _locked(job_id)
        if job.status != Status.QUEUED:
            return job
        job.status = Status.CHECKING
        job.started_at = timezone.now()
        job.rows_done = 0
        job.save(update_fields=["status", "started_at", "rows_done"])

    def checked_so_far(rows):
        # Outside any transaction: the page polling the job sees it at once.
        BillImportJob.objects.filter(pk=job_id).update(rows_done=rows)

    run = {
        ImportKind.BILLS: _run_bills,
        ImportKind.CORRECTIONS: _run_corrections,
        ImportKind.CHANNEL_PAYMENTS: _run_channel_payments,
    }[job.kind]
    try:
        with job.file.open("rb") as source:
            job = run(job, source, checked_so_far)
    except BillImportError as error:
        job = _finish(
            job_id,
            status=Status.REJECTED,
            verb="import_rejected",
            summary=_("%(file)s rejected: %(count)s errors")
            % {"file": job.filename, "count": error.total},
            errors=error.errors,
            error_count=error.total,
        )
    except Exception:
        logger.exception("bill import job %s stopped", job_id)
        _finish(
            job_id,
            status=Status.FAILED,
            verb="import_failed",
            summary=_("The import of %(file)s stopped with an error") % {"file": job.filename},
            errors=[_("The import stopped with an error; nothing was imported.")],
            error_count=1,
        )
        raise  # the task result keeps the traceback for the administrator
    finally:
        _delete_file(job)
    return job


def _run_bills(job, source, progress) -> BillImportJob:
    checked = bills_check(source, encoding=job.encoding, progress=progress)
    BillImportJob.objects.filter(pk=job.pk).update(status=Status.WRITING, rows_done=checked.rows)
    with transaction.atomic():
        batch = bills_write(
            actor=job.uploaded_by,
            source=source,
            checked=checked,
            filename=job.filename,
        )
        return _finish(
            job.pk,
            status=Status.IMPORTED,
            verb="import_job_done",
            summary=_("%(bills)s bills imported from %(file)s")
            % {"bills": batch.bills_created, "file": job.filename},
            batch=batch,
        )


def _run_corrections(job, source, progress) -> BillImportJob:
    """A corrections file: read and check every row, then correct all the bills or none."""
    from .corrections import bill_corrections_apply

    rows = corrections_read(source, encoding=job.encoding, progress=progress)
    BillImportJob.objects.filter(pk=job.pk).update(status=Status.WRITING, rows_done=len(rows))
    with transaction.atomic():
        applied = bill_corrections_apply(actor=job.uploaded_by, rows=rows, source_file=job.filename)
        return _finish(
            job.pk,
            status=Status.IMPORTED,
            verb="import_job_done",
            summary=_("%(bills)s bills corrected from %(file)s, %(unchanged)s unchanged")
            % {
                "bills": len(applied.corrections),
                "file": job.filename,
                "unchanged": applied.unchanged,
            },
            bills_corrected=len(applied.corrections),
            rows_unchanged=applied.unchanged,
            notes=applied.notes,
        )


def _run_channel_payments(job, source, progress) -> BillImportJob:
    checked = channels_check(source, encoding=job.encoding, progress=progress)
    BillImportJob.objects.filter(pk=job.pk).update(status=Status.WRITING, rows_done=checked.rows)
    with transaction.atomic():
        result = channel_payments_write(
            actor=job.uploaded_by, source=source, checked=checked, filename=job.filename
        )
        return _finish(
            job.pk,
            status=Status.IMPORTED,
            verb="import_job_done",
            summary=result.describe(job.filename),
            result=result.as_json(),
        )


# --- Writing a checked file ----------------------------------------------------------------


def _write_chunk(rows: list[Row], figures: dict):
    latest = {row.account_no: row for row in rows}
    accounts = {
        account.account_no: account
        for account in Account.objects.filter(account_no__in=latest).only(
            "id", "account_no", "name", "address", "phone"
        )
    }
    changed = []
    for no, row in latest.items():
        account = accounts.get(no)
        if account is None:
            continue
        if (account.name, account.address, account.phone) != (row.name, row.address, row.phone):
            account.name, account.address, account.phone = row.name, row.address, row.phone
            changed.append(account)
    new = [
        Account(account_no=no, name=row.name, address=row.address, phone=row.phone)
        for no, row in latest.items()
        if no not in accounts
    ]
    if new:
        Account.objects.bulk_create(new)
        # bulk_create sets primary keys on PostgreSQL and SQLite; fetch them where it does not.
        if any(account.pk is None for account in new):
            new = list(Account.objects.filter(account_no__in=[a.account_no for a in new]))
        accounts.update({account.account_no: account for account in new})
    if changed:
        Account.objects.bulk_update(changed, ["name", "address", "phone"])
    Bill.objects.bulk_create(
        [
            Bill(
                account_id=accounts[row.account_no].pk,
                period=row.period,
                volume_m3=row.volume_m3,
                amount_due=row.amount,
                # Nothing to pay (e.g. no consumption): the bill is settled from the start.
                status=BillStatus.PAID if row.amount == 0 else BillStatus.UNPAID,
            )
            for row in rows
        ]
    )
    figures["accounts_created"] += len(new)
    figures["accounts_updated"] += len(changed)
    figures["bills_created"] += len(rows)


def bills_write(
    *, actor, source, checked: CheckedFile, filename: str = "", progress: Progress | None = None
) -> BillImport:
    """Second pass: write a file that `bills_check` passed, all of it in one transaction (a
    savepoint when the caller holds one). BillImportError, writing nothing, when another
    import added the same bills in between."""
    figures = {"accounts_created": 0, "accounts_updated": 0, "bills_created": 0}
    try:
        with transaction.atomic():
            chunk: list[Row] = []
            for line, cells, order in _rows(source, checked.encoding):
                row, _problems = _parse(line, cells, order)
                chunk.append(row)
                if len(chunk) >= CHUNK:
                    _write_chunk(chunk, figures)
                    chunk = []
                    if progress is not None:
                        progress(figures["bills_created"])
            if chunk:
                _write_chunk(chunk, figures)
            batch = BillImport.objects.create(
                filename=filename[:200],
                encoding=checked.encoding,
                rows=checked.rows,
                imported_by=actor,
                **figures,
            )
            audit_record(
                actor=actor,
                action="billing.bills.import",
                obj=batch,
                summary=_("%(bills)s bills imported from %(file)s")
                % {"bills": figures["bills_created"], "file": filename or "-"},
                changes=figures,
            )
    except IntegrityError as error:
        # Another import added the same bills between the check and the write.
        raise BillImportError(
            [_("The bills changed while importing; nothing was imported. Try again.")]
        ) from error
    return batch


def bills_import(*, actor, source, filename: str = "") -> BillImport:
    """Import a CSV file of bills (binary, seekable) at once: `import_bills FILE`, tests.
    Raises BillImportError, writing nothing."""
    checked = bills_check(source)
    return bills_write(actor=actor, source=source, checked=checked, filename=filename)


# --- Channel payments files ----------------------------------------------------------------


@dataclass(frozen=True)
class ChannelImportResult:
    """What an import of channel payments did."""

    encoding: str
    rows: int  # lines of payments in the file
    new: int  # payments recorded now
    already: int  # lines of payments reported before (or twice in the file): nothing new
    doubles: int  # new payments that found nothing to settle: possible double payments
    new_total: Decimal  # yuan of the new payments
    file_total: Decimal  # yuan of the file's payments (each reported payment once)

    def as_json(self) -> dict:
        return {
            **asdict(self),
            "new_total": str(self.new_total),
            "file_total": str(self.file_total),
        }

    def describe(self, filename: str) -> str:
        return _(
            "%(new)s channel payments of %(total)s yuan imported from %(file)s; %(already)s "
            "already reported; %(doubles)s possible double payments"
        ) % {
            "new": self.new,
            "total": yuan(self.new_total),
            "file": filename or "-",
            "already": self.already,
            "doubles": self.doubles,
        }


# Inputs handed to `channel_payments_record` at once: its memory grows with the batch (the
# payments, their allocations and movements), so a large file is recorded a batch at a time,
# all batches in one transaction (all or nothing still). 100,000 lines at once peaked at
# about 400 MB above the process's start; a batch at a time keeps it flat.
RECORD_BATCH = 5000


def channel_payments_write(
    *, actor, source, checked: CheckedChannelFile, filename: str = ""
) -> ChannelImportResult:
    """Second pass: record a file that `channels_check` passed, all of it or nothing, through
    `channel_payments_record` (which checks it again under its locks). BillImportError,
    writing nothing, when something changed in between (another import of the same
    references, an account removed)."""
    figures = {"new": 0, "already": 0, "doubles": 0, "new_total": Decimal("0.00")}

    def record(items):
        for entry in channel_payments_record(items, recorded_by=actor, source_file=filename):
            if entry.created:
                figures["new"] += 1
                figures["doubles"] += entry.payment.possible_double
                figures["new_total"] += entry.payment.amount
            else:
                figures["already"] += 1

    try:
        with transaction.atomic():
            batch = []
            for item in channel_inputs(source, checked.encoding):
                batch.append(item)
                if len(batch) >= RECORD_BATCH:
                    record(batch)
                    batch = []
            if batch:
                record(batch)
    except ChannelPaymentsRefused as refused:
        raise BillImportError(
            [
                _("Line %(line)s: %(problem)s") % {"line": error.line, "problem": error.message}
                for error in refused.errors
            ],
            refused.total,
        ) from None
    return ChannelImportResult(
        encoding=checked.encoding, rows=checked.rows, file_total=checked.total, **figures
    )


def channel_payments_import(*, actor, source, filename: str = "") -> ChannelImportResult:
    """Import a CSV file of channel payments (binary, seekable) at once:
    `import_channel_payments FILE`, tests. Raises BillImportError, writing nothing."""
    checked = channels_check(source)
    return channel_payments_write(actor=actor, source=source, checked=checked, filename=filename)
