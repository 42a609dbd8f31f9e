"""Alarm drills and closing checks: the safety officer's monthly and daily rounds."""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from staff.access import Role, require_roles
from staff.audit import history_for
from staff.params import int_param

from .. import selectors, services
from ..forms import ActionForm, ClosingCheckForm, DrillForm
from ..rules import handles_hall
from .incidents import add_errors, flash_errors, flash_form_errors

VIEW_ROLES = (Role.DIRECTOR, Role.OFFICE, Role.SHIFT_LEAD, Role.LOBBY_MANAGER)
HANDLE_ROLES = (Role.DIRECTOR, Role.SHIFT_LEAD, Role.LOBBY_MANAGER)


def drill_settings():
    return {
        "window_days": settings.SAFETY_DRILL_WINDOW_DAYS,
        "grace_days": settings.SAFETY_DRILL_GRACE_DAYS,
    }


@require_roles(*VIEW_ROLES)
def drill_year(request):
    """The yearly hall × month table: done, late, missed (rules explained on the page)."""
    today = timezone.localdate()
    year = int_param(request.GET, "year", today.year, low=2000, high=2100)
    halls = selectors.halls_for(request.user)
    return render(
        request,
        "safety/drills/year.html",
        {
            "year": year,
            "rows": selectors.drill_table(halls, year, today),
            "months": range(1, 13),
            "can_record": selectors.handled_halls(request.user).exists(),
            **drill_settings(),
        },
    )


@require_roles(*HANDLE_ROLES)
def drill_record(request):
    halls = selectors.handled_halls(request.user)
    year, month = selectors.default_drill_month(halls, timezone.localdate())
    form = DrillForm(request.POST or None, halls=halls, initial={"year": year, "month": month})
    if request.method == "POST" and form.is_valid():
        try:
            drill = services.drill_record(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The alarm drill is recorded."))
            return redirect("safety:drill_detail", pk=drill.pk)
    return render(request, "safety/drills/form.html", {"form": form, **drill_settings()})


@require_roles(*VIEW_ROLES)
def drill_detail(request, pk):
    drill = selectors.get_drill_for(request.user, pk)
    can_handle = handles_hall(request.user, drill.hall_id)
    problem = int_param(request.GET, "problem", None, low=0, high=len(drill.problem_lines) - 1)
    initial = {}
    if problem is not None:
        initial["description"] = drill.problem_lines[problem]
    return render(
        request,
        "safety/drills/detail.html",
        {
            "drill": drill,
            "actions": list(drill.actions.select_related("owner", "done_by__employee")),
            "history": list(history_for(drill)),
            "can_handle": can_handle,
            "action_form": ActionForm(
                owners=selectors.hall_employees(drill.hall_id), prefix="action", initial=initial
            ),
        },
    )


@require_POST
@require_roles(*HANDLE_ROLES)
def drill_action(request, pk):
    """A problem found in the drill becomes a corrective action with an owner and due date."""
    drill = selectors.get_drill_for(request.user, pk)
    form = ActionForm(request.POST, owners=selectors.hall_employees(drill.hall_id), prefix="action")
    if form.is_valid():
        try:
            services.action_add(actor=request.user, drill=drill, **form.cleaned_data)
        except ValidationError as exc:
            flash_errors(request, exc)
    else:
        flash_form_errors(request, form)
    return redirect("safety:drill_detail", pk=drill.pk)


@require_roles(*VIEW_ROLES)
def closing_month(request):
    """Hall × day grid of the month's closing checks, with who checked and when."""
    today = timezone.localdate()
    year = int_param(request.GET, "year", today.year, low=2000, high=2100)
    month = int_param(request.GET, "month", today.month, low=1, high=12)
    halls = selectors.halls_for(request.user)
    rows = selectors.closing_month(halls, year, month, today)
    first = date(year, month, 1)
    return render(
        request,
        "safety/closing/month.html",
        {
            "year": year,
            "month": month,
            "rows": rows,
            "days": [day for day, _check, _over in rows[0].days] if rows else [],
            "recorded": sorted(
                ((check, row.hall) for row in rows for _day, check, _over in row.days if check),
                key=lambda pair: (pair[0].date, -pair[1].sort_order),
                reverse=True,
            ),
            "previous": selectors.shift_month(first, -1),
            "next": selectors.shift_month(first, 1),
            "can_record": selectors.handled_halls(request.user).exists(),
        },
    )


@require_roles(*HANDLE_ROLES)
def closing_record(request):
    halls = selectors.handled_halls(request.user)
    form = ClosingCheckForm(request.POST or None, halls=halls)
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
            add_errors(form, exc)
        else:
            messages.success(request, _("The closing check is recorded."))
            return redirect("safety:closing_month")
    return render(request, "safety/closing/form.html", {"form": form})
