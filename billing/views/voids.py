"""Voids (作废): the cashier asks from the receipt, the hall's shift lead decides on the list."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from staff.core.access import Role, require_roles
from staff.core.refusals import refuse

from .. import rules
from ..forms import VoidDecisionForm, VoidRequestForm
from ..models import VoidStatus
from ..selectors import voids as selectors
from ..selectors.payments import get_payment_for
from ..services import voids as services


@require_roles(*rules.COUNTER_ROLES)
@require_POST
def void_request(request, pk):
    payment = get_payment_for(request.user, pk)
    form = VoidRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the void."))
    else:
        try:
            services.void_request(
                actor=request.user, payment=payment, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            refuse(request, error)
        else:
            messages.success(request, _("Void requested: your shift lead will decide it."))
    return redirect("billing:payment_detail", pk=payment.pk)


@require_roles(*rules.PAYMENT_ROLES)
def void_list(request):
    """Pending voids first (the shift lead decides them here), then the recent decisions."""
    voids = selectors.void_requests_for(request.user)
    return render(
        request,
        "billing/voids/list.html",
        {
            "pending": list(voids.filter(status=VoidStatus.PENDING).order_by("requested_at")),
            "decided": list(voids.exclude(status=VoidStatus.PENDING).order_by("-decided_at")[:50]),
            "may_decide": rules.may_decide_voids(request.user),
            "decision_form": VoidDecisionForm(),
        },
    )


def _decide(request, pk, approve):
    void = selectors.get_void_for(request.user, pk)
    form = VoidDecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        if approve:
            services.void_approve(lead=request.user, void=void, note=note)
            messages.success(request, _("Void approved: the reversal entry is posted."))
        else:
            services.void_reject(lead=request.user, void=void, note=note)
            messages.success(request, _("Void rejected."))
    except ValidationError as error:
        refuse(request, error)
    return redirect("billing:void_list")


@require_roles(Role.SHIFT_LEAD)
@require_POST
def void_approve(request, pk):
    return _decide(request, pk, approve=True)


@require_roles(Role.SHIFT_LEAD)
@require_POST
def void_reject(request, pk):
    return _decide(request, pk, approve=False)
