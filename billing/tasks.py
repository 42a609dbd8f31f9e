"""Background jobs of billing, run by the worker (`manage.py db_worker`)."""

from django_tasks import task

from . import import_jobs


@task()
def run_bill_import_job(job_id: int) -> str:
    """Import an uploaded bills file (import_jobs.bill_import_job_run); returns the job's
    final status."""
    return import_jobs.bill_import_job_run(job_id=job_id).status
