"""The hall's daily duty for a week: the lobby manager assigns or rotates, people tick off."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..core.access import employee_of, get_for_user
from ..core.calendar import days_between, week_start
from ..core.refusals import refuse
from ..forms import DateRangeForm, DutyAssignForm
from ..models import DutyAssignment, DutyKind, Employee
from ..rules import may_assign_duty
from ..selectors.core import hall_choices, hall_for_request
from ..selectors.duty import missed_duties
from ..services.duty import duty_assign, duty_complete, duty_rotate


@login_required
def duty(request):
    hall = hall_for_request(request.user, request.GET.get("hall"))
    if hall is None:
        raise PermissionDenied
    try:
        start = week_start(date.fromisoformat(request.GET.get("start", "")))
    except ValueError:
        start = week_start(timezone.localdate())
    end = start + timedelta(days=6)
    here = f"{reverse('staff:duty')}?hall={hall.pk}&start={start.isoformat()}"
    people = Employee.objects.filter(hall=hall, is_active=True).order_by("employee_no")
    assigner = may_assign_duty(request.user, hall.pk)
    assign_form = DutyAssignForm(people=people, initial={"day": timezone.localdate()})
    rotate_form = DateRangeForm(initial={"start": start, "end": end}, prefix="rotate")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "done":
                duties = DutyAssignment.objects.filter(hall=hall)
                duty_complete(
                    actor=request.user, duty=get_for_user(duties, pk=request.POST.get("duty"))
                )
                messages.success(request, _("Duty ticked off."))
                return redirect(here)
            if not assigner:
                raise PermissionDenied
            if action == "assign":
                assign_form = DutyAssignForm(request.POST, people=people)
                if assign_form.is_valid():
                    data = assign_form.cleaned_data
                    duty_assign(
                        actor=request.user,
                        hall=hall,
                        day=data["day"],
                        kind=data["kind"],
                        employee=data["employee"],
                    )
                    messages.success(request, _("Duty assigned."))
                    return redirect(here)
            elif action == "rotate":
                rotate_form = DateRangeForm(request.POST, prefix="rotate")
                if rotate_form.is_valid():
                    n = duty_rotate(actor=request.user, hall=hall, **rotate_form.cleaned_data)
                    messages.success(request, _("%(n)s duties assigned in turn.") % {"n": n})
                    return redirect(here)
        except ValidationError as error:
            refuse(request, error)
    duties = {
        (d.date, d.kind): d
        for d in DutyAssignment.objects.filter(hall=hall, date__range=(start, end)).select_related(
            "employee"
        )
    }
    today = timezone.localdate()
    rows = [
        (day, [(kind, label, duties.get((day, kind))) for kind, label in DutyKind.choices])
        for day in days_between(start, end)
    ]
    return render(
        request,
        "staff/duty/week.html",
        {
            "hall": hall,
            "halls": hall_choices(request.user),
            "rows": rows,
            "today": today,
            "me": employee_of(request.user),
            "assigner": assigner,
            "assign_form": assign_form,
            "rotate_form": rotate_form,
            "missed": missed_duties([hall.pk]).select_related("employee").order_by("-date")[:30],
            "previous": (start - timedelta(days=7)).isoformat(),
            "following": (end + timedelta(days=1)).isoformat(),
        },
    )
