"""Closing checks: the month's hall × day grid and recording tonight's check."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.core.access import halls_for, require_roles
from staff.core.params import int_param
from staff.core.refusals import refuse_on_form

from .. import rules, services
from ..forms import ClosingCheckForm
from ..selectors import closing as selectors
from ..selectors import handled_halls


@require_roles(*rules.ROUNDS_VIEW_ROLES)
def closing_month(request):
    """Hall × day grid of the month's closing checks, with who checked and when."""
    today = timezone.localdate()
    year = int_param(request.GET, "year", today.year, low=2000, high=2100)
    month = int_param(request.GET, "month", today.month, low=1, high=12)
    rows = selectors.closing_month(halls_for(request.user), year, month, today)
    first = date(year, month, 1)
    return render(
        request,
        "safety/closing/month.html",
        {
            "year": year,
            "month": month,
            "rows": rows,
            "days": [day for day, _check, _over in rows[0].days] if rows else [],
            "recorded": selectors.recorded_checks(rows),
            "previous": selectors.shift_month(first, -1),
            "next": selectors.shift_month(first, 1),
            "can_record": rules.may_record_rounds(request.user),
        },
    )


@require_roles(*rules.ROUNDS_HANDLE_ROLES)
def closing_record(request):
    form = ClosingCheckForm(request.POST or None, halls=handled_halls(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.closing_check_record(
                actor=request.user,
                hall=data["hall"],
                on=data["date"],
                items=form.items(),
                note=data["note"],
            )
        except ValidationError as exc:
            refuse_on_form(form, exc)
        else:
            messages.success(request, _("The closing check is recorded."))
            return redirect("safety:closing_month")
    return render(request, "safety/closing/form.html", {"form": form})
