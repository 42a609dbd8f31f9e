"""Alarm drills: the yearly table, recording the month's drill, its problems as actions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from staff.core.access import halls_for, require_roles
from staff.core.audit import history_for
from staff.core.params import int_param
from staff.core.refusals import refuse, refuse_on_form

from .. import rules, services
from ..forms import ActionForm, DrillForm
from ..selectors import drills as selectors
from ..selectors import hall_employees, handled_halls


@require_roles(*rules.ROUNDS_VIEW_ROLES)
def drill_year(request):
    """The yearly hall × month table: done, late, missed (rules explained on the page)."""
    today = timezone.localdate()
    year = int_param(request.GET, "year", today.year, low=2000, high=2100)
    return render(
        request,
        "safety/drills/year.html",
        {
            "year": year,
            "rows": selectors.drill_table(halls_for(request.user), year, today),
            "months": range(1, 13),
            "can_record": rules.may_record_rounds(request.user),
            **selectors.drill_rules(),
        },
    )


@require_roles(*rules.ROUNDS_HANDLE_ROLES)
def drill_record(request):
    halls = handled_halls(request.user)
    year, month = selectors.default_drill_month(halls, timezone.localdate())
    form = DrillForm(request.POST or None, halls=halls, initial={"year": year, "month": month})
    if request.method == "POST" and form.is_valid():
        try:
            drill = services.drill_record(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            refuse_on_form(form, exc)
        else:
            messages.success(request, _("The alarm drill is recorded."))
            return redirect("safety:drill_detail", pk=drill.pk)
    return render(request, "safety/drills/form.html", {"form": form, **selectors.drill_rules()})


@require_roles(*rules.ROUNDS_VIEW_ROLES)
def drill_detail(request, pk):
    drill = selectors.get_drill_for(request.user, pk)
    problem = int_param(request.GET, "problem", None, low=0, high=len(drill.problem_lines) - 1)
    initial = {}
    if problem is not None:
        initial["description"] = drill.problem_lines[problem]
    return render(
        request,
        "safety/drills/detail.html",
        {
            "drill": drill,
            "actions": selectors.drill_actions(drill),
            "history": list(history_for(drill)),
            "can_handle": rules.may_handle_drill(request.user, drill),
            "action_form": ActionForm(
                owners=hall_employees(drill.hall_id), prefix="action", initial=initial
            ),
        },
    )


@require_POST
@require_roles(*rules.ROUNDS_HANDLE_ROLES)
def drill_action(request, pk):
    """A problem found in the drill becomes a corrective action with an owner and due date."""
    drill = selectors.get_drill_for(request.user, pk)
    form = ActionForm(request.POST, owners=hall_employees(drill.hall_id), prefix="action")
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        services.action_add(actor=request.user, drill=drill, **form.cleaned_data)
    except ValidationError as exc:
        refuse(request, exc)
    return redirect("safety:drill_detail", pk=drill.pk)
