"""The working-calendar pages, moved out of the ticket views unchanged (the calendar moves to
the staff core with these views)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from staff.access import get_for_user, require_roles
from staff.params import int_param

from . import forms
from .calendar_services import (
    CALENDAR_ROLES,
    calendar_day_delete,
    calendar_days_enter,
    calendar_year_confirm,
)
from .models import WorkCalendarDay, WorkCalendarYear
from .selectors.sla import calendar_years_missing


def _render_calendar(request, year, entry_form=None, status=200):
    return render(
        request,
        "complaints/calendar.html",
        {
            "year": year,
            "days": WorkCalendarDay.objects.filter(date__year=year),
            "confirmed": WorkCalendarYear.objects.filter(year=year).first(),
            "years": WorkCalendarYear.objects.order_by("-year"),
            "missing": calendar_years_missing(timezone.localdate()),
            "entry_form": entry_form or forms.CalendarEntryForm(),
            "year_form": forms.CalendarYearForm(initial={"year": year}),
        },
        status=status,
    )


@require_roles(*CALENDAR_ROLES)
def calendar_overview(request):
    year = int_param(request.GET, "year", timezone.localdate().year, low=2000, high=2200)
    return _render_calendar(request, year)


def _back_to_calendar(year):
    return redirect(f"{reverse('complaints:calendar')}?year={year}")


@require_POST
@require_roles(*CALENDAR_ROLES)
def calendar_enter(request):
    """All lines or none; on a mistake the page comes back with the lines and every error."""
    form = forms.CalendarEntryForm(request.POST)
    if form.is_valid():
        try:
            saved = calendar_days_enter(
                actor=request.user, text=form.cleaned_data["lines"], note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            form.add_error("lines", exc)
        else:
            messages.success(request, _("%(n)s days saved.") % {"n": len(saved)})
            return _back_to_calendar(saved[0].date.year)
    messages.error(request, _("Nothing was changed: correct the form below."))
    return _render_calendar(request, timezone.localdate().year, form, status=400)


@require_POST
@require_roles(*CALENDAR_ROLES)
def calendar_day_remove(request, pk):
    day = get_for_user(WorkCalendarDay.objects.all(), pk=pk)
    calendar_day_delete(actor=request.user, day=day)
    messages.success(request, _("%(day)s deleted.") % {"day": day})
    return _back_to_calendar(day.date.year)


@require_POST
@require_roles(*CALENDAR_ROLES)
def calendar_confirm(request):
    form = forms.CalendarYearForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a year between 2000 and 2200."))
        return redirect("complaints:calendar")
    try:
        calendar_year_confirm(actor=request.user, year=form.cleaned_data["year"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Calendar confirmed."))
    return _back_to_calendar(form.cleaned_data["year"])
