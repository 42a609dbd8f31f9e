"""Channel payments: the office's list and the import of their files (the same upload →
preview → confirm → background job flow as the bills, billing.views.imports), and the
possible double payments a hall lead follows up."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from staff.core.access import require_roles
from staff.core.refusals import refuse
from staff.core.uploads import upload_limit

from .. import rules
from ..filters import ChannelPaymentFilterSet
from ..forms import ChannelImportForm, FollowUpForm
from ..models import ImportKind
from ..selectors import channels as selectors
from ..services import imports as import_services
from ..services.channels import channel_payment_follow_up
from . import imports

# Rows a list shows at most (the filters narrow it).
LIST_LIMIT = 200
DOUBLES_LIMIT = 200
KIND = ImportKind.CHANNEL_PAYMENTS


@require_roles(*rules.CHANNEL_ROLES)
def channel_payment_list(request):
    filterset = ChannelPaymentFilterSet(
        request.GET, queryset=selectors.channel_payments_for(request.user)
    )
    payments = filterset.qs
    return render(
        request,
        "billing/channels/list.html",
        {
            "filter": filterset,
            "payments": list(payments[:LIST_LIMIT]),
            "count": payments.count(),
            "limit": LIST_LIMIT,
        },
    )


@require_roles(*rules.DOUBLES_ROLES)
def channel_doubles(request):
    """Possible double payments: those to follow up first, then those done."""
    rows = selectors.double_rows(selectors.doubles_for(request.user), limit=DOUBLES_LIMIT)
    for row in rows:
        row.refusal = rules.why_not_follow_up(request.user, row.payment)
    return render(
        request,
        "billing/channels/doubles.html",
        {"rows": rows, "form": FollowUpForm(), "limit": DOUBLES_LIMIT},
    )


@require_roles(*rules.DOUBLES_ROLES)
@require_POST
def channel_follow_up(request, pk):
    payment = selectors.get_double_for(request.user, pk)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("billing:channel_doubles")
    try:
        channel_payment_follow_up(
            actor=request.user, payment=payment, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        refuse(request, error)
    else:
        messages.success(request, _("The follow-up was recorded."))
    return redirect("billing:channel_doubles")


@upload_limit(import_services.upload_max_bytes)
@require_roles(*rules.CHANNEL_ROLES)
def channel_import(request):
    return imports.upload_page(
        request,
        kind=KIND,
        form_class=ChannelImportForm,
        template="billing/channels/import.html",
        context={},
    )


@require_roles(*rules.CHANNEL_ROLES)
def channel_import_job(request, pk):
    return imports.job_page(request, kind=KIND, pk=pk)


@require_roles(*rules.CHANNEL_ROLES)
def channel_import_job_status(request, pk):
    return imports.job_status(request, kind=KIND, pk=pk)


@require_roles(*rules.CHANNEL_ROLES)
@require_POST
def channel_import_confirm(request, pk):
    return imports.job_confirm(request, kind=KIND, pk=pk)


@require_roles(*rules.CHANNEL_ROLES)
@require_POST
def channel_import_discard(request, pk):
    return imports.job_discard(request, kind=KIND, pk=pk)
