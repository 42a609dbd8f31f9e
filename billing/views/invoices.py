"""Invoice stock (发票领用): ranges issued to cashiers, spoiled numbers, closing."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from staff.core.access import hall_ids_for, is_center_wide, require_roles
from staff.core.audit import history_for
from staff.core.refusals import refuse, refuse_on_form

from .. import rules
from ..forms import InvoiceRangeForm, SpoilForm
from ..selectors import invoices as selectors
from ..services import invoices as services


@require_roles(*rules.PAYMENT_ROLES)
def invoice_range_list(request):
    ranges = list(selectors.invoice_ranges_for(request.user).order_by("status", "-issued_at")[:200])
    own = selectors.active_range_of(request.user)
    return render(
        request,
        "billing/invoices/list.html",
        {
            "ranges": ranges,
            "own_range": own,
            "spoil_form": SpoilForm() if own is not None else None,
            "may_manage": rules.may_manage_invoice_ranges(request.user),
        },
    )


@require_roles(*rules.RANGE_MANAGER_ROLES)
def invoice_range_create(request):
    hall_ids = None if is_center_wide(request.user) else hall_ids_for(request.user)
    form = InvoiceRangeForm(request.POST or None, cashiers=selectors.cashier_users(hall_ids))
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.invoice_range_issue(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            refuse_on_form(form, error)
        else:
            messages.success(request, _("Invoice range %(range)s issued.") % {"range": issued})
            return redirect("billing:invoice_range_detail", pk=issued.pk)
    return render(request, "billing/invoices/form.html", {"form": form})


@require_roles(*rules.PAYMENT_ROLES)
def invoice_range_detail(request, pk):
    """Every number of the range: issued, voided (with reason) or returned."""
    invoice_range = selectors.get_invoice_range_for(request.user, pk)
    return render(
        request,
        "billing/invoices/detail.html",
        {
            "summary": selectors.invoice_range_summary(invoice_range),
            "may_manage": rules.may_manage_invoice_ranges(request.user),
            "history": history_for(invoice_range)[:20],
        },
    )


@require_roles(*rules.RANGE_MANAGER_ROLES)
@require_POST
def invoice_range_close(request, pk):
    invoice_range = selectors.get_invoice_range_for(request.user, pk)
    try:
        services.invoice_range_close(actor=request.user, invoice_range=invoice_range)
    except ValidationError as error:
        refuse(request, error)
    else:
        messages.success(request, _("Range closed; the unused numbers are returned."))
    return redirect("billing:invoice_range_detail", pk=invoice_range.pk)


@require_roles(*rules.COUNTER_ROLES)
@require_POST
def invoice_spoil(request):
    form = SpoilForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason why the invoice is spoiled."))
    else:
        try:
            spoiled = services.invoice_spoil(
                cashier=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            refuse(request, error)
        else:
            messages.success(
                request, _("Invoice %(invoice)s recorded as spoiled.") % {"invoice": spoiled}
            )
    return redirect("billing:invoice_range_list")
