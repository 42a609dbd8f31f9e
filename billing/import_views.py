"""The upload page of the bill import (office and director)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from staff.access import Role, require_roles

from .forms import BillImportForm
from .imports import BillImportError, bills_import
from .models import BillImport

# The page lists this many errors; the rest are counted.
SHOWN_ERRORS = 500


@require_roles(Role.DIRECTOR, Role.OFFICE)
def bill_import(request):
    form = BillImportForm(request.POST or None, request.FILES or None)
    errors = []
    total_errors = 0
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = bills_import(actor=request.user, source=upload.file, filename=upload.name)
        except BillImportError as error:
            total_errors = len(error.errors)
            errors = error.errors[:SHOWN_ERRORS]
        else:
            messages.success(
                request,
                _(
                    "%(bills)s bills imported; %(created)s new accounts, "
                    "%(updated)s accounts updated."
                )
                % {
                    "bills": batch.bills_created,
                    "created": batch.accounts_created,
                    "updated": batch.accounts_updated,
                },
            )
            return redirect("billing:bill_import")
    return render(
        request,
        "billing/bill_import.html",
        {
            "form": form,
            "errors": errors,
            "total_errors": total_errors,
            "hidden_errors": max(total_errors - len(errors), 0),
            "recent": BillImport.objects.select_related("imported_by__employee")[:10],
        },
        status=400 if total_errors else 200,
    )
