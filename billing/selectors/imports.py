"""Reads of the bills import: an upload's first rows, whether the worker seems late."""

from datetime import timedelta

from django.utils import timezone

from ..bills_file import Preview, bills_preview
from ..channels_file import channels_preview
from ..models import BillImportJob, ImportKind
from ..models import BillImportJobStatus as Status

# The page says the worker seems to be down when a job waited this long without starting.
WORKER_LATE = timedelta(minutes=2)


def job_preview(job: BillImportJob, *, limit: int = 10) -> Preview:
    with job.file.open("rb") as source:
        if job.kind == ImportKind.CHANNEL_PAYMENTS:
            return channels_preview(source, job.encoding, limit=limit)
        return bills_preview(source, job.encoding, limit=limit, corrections=job.is_corrections)


def worker_seems_late(job: BillImportJob) -> bool:
    return (
        job.status == Status.QUEUED
        and job.queued_at is not None
        and timezone.now() - job.queued_at > WORKER_LATE
    )
