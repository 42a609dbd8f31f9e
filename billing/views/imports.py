"""The bills import pages (office and director): upload, look at the first rows and confirm,
then follow the background job to its result (billing.services.imports)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from staff.core.access import require_roles
from staff.core.refusals import refuse, refuse_on_form
from staff.core.uploads import upload_limit

from .. import rules
from ..forms import BillImportForm
from ..models import BillImport, BillImportJob, BillImportKind
from ..models import BillImportJobStatus as Status
from ..selectors import imports as selectors
from ..services import imports as services


@upload_limit(services.upload_max_bytes)
@require_roles(*rules.IMPORT_ROLES)
def bill_import(request):
    if request.method == "POST":
        refused = getattr(request, "upload_refused", False)
        form = BillImportForm(request.POST, request.FILES, refused=refused)
    else:
        form = BillImportForm()
    if form.is_bound and form.is_valid():
        try:
            job = services.bill_import_upload(
                actor=request.user,
                upload=form.cleaned_data["file"],
                kind=BillImportKind.CORRECTIONS
                if form.cleaned_data["corrections"]
                else BillImportKind.BILLS,
            )
        except ValidationError as error:
            refuse_on_form(form, error)
        else:
            return redirect("billing:bill_import_job", pk=job.pk)
    return render(
        request,
        "billing/imports/upload.html",
        {
            "form": form,
            "max_bytes": services.upload_max_bytes(),
            "max_mb": settings.UPLOAD_MAX_MB,
            "too_large": services.too_large_message(),
            "jobs": BillImportJob.objects.select_related("uploaded_by__employee")[:10],
            "recent": BillImport.objects.select_related("imported_by__employee")[:10],
        },
        status=400 if form.errors else 200,
    )


def _job_context(job):
    return {
        "job": job,
        "late": selectors.worker_seems_late(job),
        "hidden_errors": max(job.error_count - len(job.errors), 0),
    }


@require_roles(*rules.IMPORT_ROLES)
def bill_import_job(request, pk):
    """One upload: its first rows to confirm, then the job's progress and result."""
    job = get_object_or_404(BillImportJob.objects.select_related("batch"), pk=pk)
    preview = selectors.job_preview(job) if job.status == Status.UPLOADED else None
    return render(request, "billing/imports/job.html", {**_job_context(job), "preview": preview})


@require_roles(*rules.IMPORT_ROLES)
def bill_import_job_status(request, pk):
    """The progress part of the job page, polled by static/billing/imports.js."""
    job = get_object_or_404(BillImportJob.objects.select_related("batch"), pk=pk)
    return render(request, "billing/imports/_job_status.html", _job_context(job))


@require_roles(*rules.IMPORT_ROLES)
@require_POST
def bill_import_confirm(request, pk):
    job = get_object_or_404(BillImportJob, pk=pk)
    try:
        services.bill_import_confirm(actor=request.user, job_id=job.pk)
    except ValidationError as error:
        refuse(request, error)
    return redirect("billing:bill_import_job", pk=job.pk)


@require_roles(*rules.IMPORT_ROLES)
@require_POST
def bill_import_discard(request, pk):
    job = get_object_or_404(BillImportJob, pk=pk)
    try:
        services.bill_import_discard(actor=request.user, job_id=job.pk)
    except ValidationError as error:
        refuse(request, error)
        return redirect("billing:bill_import_job", pk=job.pk)
    messages.success(request, _("The file was discarded; nothing was imported."))
    return redirect("billing:bill_import")
