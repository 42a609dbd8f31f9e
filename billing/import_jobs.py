"""Bills files uploaded through the web page, imported as background jobs.

A 50 MB file takes minutes to check and write: far longer than a web request may last (gunicorn
restarts a worker after 30 s, and the upload was lost with it). So the page only stores the
file and shows its first rows as decoded; once the office confirms, a job is queued, the worker
(`manage.py db_worker`) runs `run_bill_import_job`, and the page follows its progress.

upload (UPLOADED) → confirm (QUEUED) → worker: CHECKING → WRITING → IMPORTED, or REJECTED with
the first errors, or FAILED; or discard (DISCARDED). The file is deleted when the job ends.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.core.audit import audit_record

from .imports import (
    BillImportError,
    Preview,
    bills_check,
    bills_preview,
    bills_write,
    sniff_encoding,
)
from .models import BillImportJob
from .models import BillImportJobStatus as Status

logger = logging.getLogger(__name__)

# An upload nobody confirmed is deleted after this long.
UNCONFIRMED_KEPT = timedelta(days=1)
# The page says the worker seems to be down when a job waited this long without starting.
WORKER_LATE = timedelta(minutes=2)


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


def bill_import_upload(*, actor, upload) -> BillImportJob:
    """Store an uploaded bills file for the office to look at and confirm. Refuses a file that
    is too large or neither UTF-8 nor GBK (ValidationError); the rows are checked by the job."""
    if upload.size > upload_max_bytes():
        raise ValidationError(too_large_message())
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    try:
        encoding = sniff_encoding(upload)
    except BillImportError as error:
        raise ValidationError(error.errors[0]) from None
    now = timezone.now()
    _discard_unconfirmed(now)
    job = BillImportJob(
        filename=upload.name[:200],
        size=upload.size,
        encoding=encoding,
        lines=_count_lines(upload),
        uploaded_by=actor,
        uploaded_at=now,
    )
    upload.seek(0)
    job.file.save("bills.csv", upload, save=False)
    try:
        with transaction.atomic():
            job.save()
            audit_record(
                actor=actor,
                action="billing.bills.upload",
                obj=job,
                summary=_("Bills file %(file)s uploaded (%(encoding)s, %(lines)s lines)")
                % {"file": job.filename, "encoding": encoding, "lines": job.lines},
            )
    except BaseException:
        job.file.delete(save=False)
        raise
    return job


def job_preview(job: BillImportJob, *, limit: int = 10) -> Preview:
    with job.file.open("rb") as source:
        return bills_preview(source, job.encoding, limit=limit)


def _locked(job_id) -> BillImportJob:
    return BillImportJob.objects.select_for_update().get(pk=job_id)


def bill_import_confirm(*, actor, job_id) -> BillImportJob:
    """Queue the import of an uploaded file. The task row is written in this transaction
    (database backend), so the job and its task are committed together: no queued job
    without a task, no task that finds its job not yet queued."""
    from .tasks import run_bill_import_job

    with transaction.atomic():
        job = _locked(job_id)
        if job.status != Status.UPLOADED:
            raise ValidationError(_("This file is no longer waiting for confirmation."))
        job.status = Status.QUEUED
        job.queued_at = timezone.now()
        job.save(update_fields=["status", "queued_at"])
        audit_record(
            actor=actor,
            action="billing.bills.import_queued",
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
            action="billing.bills.import_discarded",
            obj=job,
            summary=_("Upload of %(file)s discarded") % {"file": job.filename},
        )
        transaction.on_commit(lambda: _delete_file(job))
    return job


def _finish(job_id, *, status, action, summary, **fields) -> BillImportJob:
    with transaction.atomic():
        job = _locked(job_id)
        job.status = status
        job.finished_at = timezone.now()
        for name, value in fields.items():
            setattr(job, name, value)
        job.save(update_fields=["status", "finished_at", *fields])
        audit_record(actor=None, action=action, obj=job, summary=summary)
    return job


def bill_import_job_run(*, job_id) -> BillImportJob:
    """The worker's part: check every line, then write all of it or nothing. A job that is
    not queued (run twice, discarded) is left alone."""
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

    try:
        with job.file.open("rb") as source:
            checked = bills_check(source, encoding=job.encoding, progress=checked_so_far)
            BillImportJob.objects.filter(pk=job_id).update(
                status=Status.WRITING, rows_done=checked.rows
            )
            with transaction.atomic():
                batch = bills_write(
                    actor=job.uploaded_by,
                    source=source,
                    checked=checked,
                    filename=job.filename,
                )
                job = _finish(
                    job_id,
                    status=Status.IMPORTED,
                    action="billing.bills.import_job_done",
                    summary=_("%(bills)s bills imported from %(file)s")
                    % {"bills": batch.bills_created, "file": job.filename},
                    batch=batch,
                )
    except BillImportError as error:
        job = _finish(
            job_id,
            status=Status.REJECTED,
            action="billing.bills.import_rejected",
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
            action="billing.bills.import_failed",
            summary=_("The import of %(file)s stopped with an error") % {"file": job.filename},
            errors=[_("The import stopped with an error; nothing was imported.")],
            error_count=1,
        )
        raise  # the task result keeps the traceback for the administrator
    finally:
        _delete_file(job)
    return job


def worker_seems_late(job: BillImportJob) -> bool:
    return (
        job.status == Status.QUEUED
        and job.queued_at is not None
        and timezone.now() - job.queued_at > WORKER_LATE
    )
