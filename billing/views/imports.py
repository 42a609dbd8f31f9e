"""The import pages (office and director): upload, look at the first rows and confirm, then
follow the background job to its result (billing.services.imports). Bills files here; files
of channel payments (billing.views.channels) go through the same helpers with their own URLs."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from staff.core.access import require_roles
from staff.core.refusals import refuse, refuse_on_form
from staff.core.uploads import upload_limit

from .. import rules
from ..forms import BillImportForm
from ..models import BillImport, BillImportJob, ImportKind
from ..models import BillImportJobStatus as Status
from ..selectors import imports as selectors
from ..services import imports as services

# The URL names of each kind's pages: "<prefix>", "<prefix>_job", "<prefix>_job_status", ...
# Corrections are uploaded on the bills page (a box on its form) and follow its URLs.
URL_PREFIX = {
    ImportKind.BILLS: "billing:bill_import",
    ImportKind.CORRECTIONS: "billing:bill_import",
    ImportKind.CHANNEL_PAYMENTS: "billing:channel_import",
}
# The kinds of job each page shows.
PAGE_KINDS = {
    ImportKind.BILLS: (ImportKind.BILLS, ImportKind.CORRECTIONS),
    ImportKind.CHANNEL_PAYMENTS: (ImportKind.CHANNEL_PAYMENTS,),
}


def upload_page(request, *, kind, form_class, template, context):
    """The upload form of `kind`: a stored file goes on to its job page."""
    if request.method == "POST":
        refused = getattr(request, "upload_refused", False)
        form = form_class(request.POST, request.FILES, refused=refused)
    else:
        form = form_class()
    if form.is_bound and form.is_valid():
        file_kind = ImportKind.CORRECTIONS if form.cleaned_data.get("corrections") else kind
        try:
            job = services.bill_import_upload(
                actor=request.user, upload=form.cleaned_data["file"], kind=file_kind
            )
        except ValidationError as error:
            refuse_on_form(form, error)
        else:
            return redirect(f"{URL_PREFIX[file_kind]}_job", pk=job.pk)
    return render(
        request,
        template,
        {
            "form": form,
            "max_bytes": services.upload_max_bytes(),
            "max_mb": settings.UPLOAD_MAX_MB,
            "too_large": services.too_large_message(),
            "jobs": BillImportJob.objects.filter(kind__in=PAGE_KINDS[kind]).select_related(
                "uploaded_by__employee"
            )[:10],
            **context,
        },
        status=400 if form.errors else 200,
    )


def _job(kind, pk):
    return get_object_or_404(
        BillImportJob.objects.select_related("batch"), pk=pk, kind__in=PAGE_KINDS[kind]
    )


def _job_context(job):
    prefix = URL_PREFIX[job.kind]
    return {
        "job": job,
        "late": selectors.worker_seems_late(job),
        "hidden_errors": max(job.error_count - len(job.errors), 0),
        "urls": {
            "upload": reverse(prefix),
            **{
                name: reverse(f"{prefix}{suffix}", kwargs={"pk": job.pk})
                for name, suffix in (
                    ("job", "_job"),
                    ("status", "_job_status"),
                    ("confirm", "_confirm"),
                    ("discard", "_discard"),
                )
            },
        },
    }


def job_page(request, *, kind, pk):
    """One upload: its first rows to confirm, then the job's progress and result."""
    job = _job(kind, pk)
    preview = selectors.job_preview(job) if job.status == Status.UPLOADED else None
    return render(request, "billing/imports/job.html", {**_job_context(job), "preview": preview})


def job_status(request, *, kind, pk):
    """The progress part of the job page, polled by static/billing/imports.js."""
    return render(request, "billing/imports/_job_status.html", _job_context(_job(kind, pk)))


def job_confirm(request, *, kind, pk):
    job = _job(kind, pk)
    try:
        services.bill_import_confirm(actor=request.user, job_id=job.pk)
    except ValidationError as error:
        refuse(request, error)
    return redirect(f"{URL_PREFIX[kind]}_job", pk=job.pk)


def job_discard(request, *, kind, pk):
    job = _job(kind, pk)
    try:
        services.bill_import_discard(actor=request.user, job_id=job.pk)
    except ValidationError as error:
        refuse(request, error)
        return redirect(f"{URL_PREFIX[kind]}_job", pk=job.pk)
    messages.success(request, _("The file was discarded; nothing was imported."))
    return redirect(URL_PREFIX[kind])


@upload_limit(services.upload_max_bytes)
@require_roles(*rules.IMPORT_ROLES)
def bill_import(request):
    return upload_page(
        request,
        kind=ImportKind.BILLS,
        form_class=BillImportForm,
        template="billing/imports/upload.html",
        context={"recent": BillImport.objects.select_related("imported_by__employee")[:10]},
    )


@require_roles(*rules.IMPORT_ROLES)
def bill_import_job(request, pk):
    return job_page(request, kind=ImportKind.BILLS, pk=pk)


@require_roles(*rules.IMPORT_ROLES)
def bill_import_job_status(request, pk):
    return job_status(request, kind=ImportKind.BILLS, pk=pk)


@require_roles(*rules.IMPORT_ROLES)
@require_POST
def bill_import_confirm(request, pk):
    return job_confirm(request, kind=ImportKind.BILLS, pk=pk)


@require_roles(*rules.IMPORT_ROLES)
@require_POST
def bill_import_discard(request, pk):
    return job_discard(request, kind=ImportKind.BILLS, pk=pk)
