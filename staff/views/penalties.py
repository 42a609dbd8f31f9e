"""The penalty register (扣款) per person and year, with the annual-bonus status."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ..core.access import get_for_user
from ..core.refusals import refuse_on_form
from ..exports import penalties_export
from ..filters import PenaltyFilterSet
from ..forms import PenaltyForm
from ..models import Penalty
from ..rules import may_record_penalty, may_see_penalties
from ..selectors.core import employees_visible_to
from ..selectors.penalties import bonus_statuses
from ..services.penalties import penalty_record


def _people(request):
    if not may_see_penalties(request.user):
        raise PermissionDenied
    return employees_visible_to(request.user).order_by("hall__sort_order", "employee_no")


@login_required
def register(request):
    year = PenaltyFilterSet(request.GET).chosen_year
    people = list(_people(request))
    statuses = bonus_statuses(people, year)
    rows = [(employee, statuses[employee.pk]) for employee in people]
    return render(
        request,
        "staff/penalties/register.html",
        {"rows": rows, "year": year, "years": range(year - 2, year + 2)},
    )


@login_required
def person(request, employee_id):
    employee = get_for_user(_people(request), pk=employee_id)
    filters = PenaltyFilterSet(
        request.GET,
        queryset=Penalty.objects.filter(employee=employee).select_related("recorded_by__employee"),
    )
    year = filters.chosen_year
    form = PenaltyForm(initial={"date": timezone.localdate()})
    if request.method == "POST":
        if not may_record_penalty(request.user):
            raise PermissionDenied
        form = PenaltyForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                penalty = penalty_record(
                    actor=request.user,
                    employee=employee,
                    kind=data["kind"],
                    on=data["date"],
                    reason=data["reason"],
                    source=data["source"],
                    amount=data["amount"],
                )
                messages.success(request, _("Penalty recorded."))
                return redirect(f"{request.path}?year={penalty.date.year}")
            except ValidationError as error:
                refuse_on_form(form, error)
    return render(
        request,
        "staff/penalties/person.html",
        {
            "employee": employee,
            "year": year,
            "penalties": filters.qs,
            "status": bonus_statuses([employee], year)[employee.pk],
            "form": form if may_record_penalty(request.user) else None,
        },
    )


@login_required
def export(request, fmt):
    if fmt not in ("xlsx", "csv"):
        raise Http404
    people = list(_people(request))
    filters = PenaltyFilterSet(
        request.GET,
        queryset=Penalty.objects.filter(employee__in=people)
        .select_related("employee__hall")
        .order_by("employee__employee_no", "date", "id"),
    )
    year = filters.chosen_year
    return penalties_export(fmt, filters.qs, bonus_statuses(people, year), year)
