"""Background jobs of billing, run by the worker (`manage.py db_worker`)."""

from django_tasks import task

from .services import imports


@task()
def run_bill_import_job(job_id: int) -> str:
    """Import an uploaded file, bills or channel payments (imports.bill_import_job_run);
    returns the job's final status."""
    return imports.bill_import_job_run(job_id=job_id).status
