"""Roster pages: the grid of a hall (people × days) with coverage, shift types, my roster."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ..core.access import employee_of, require_roles
from ..core.calendar import month_end, month_start, week_start
from ..core.refusals import refuse
from ..core.uploads import upload_limit
from ..forms import MinimumStaffingForm, RepeatPatternForm, RosterReasonForm, ShiftTypeForm
from ..models import MinimumStaffing, ShiftType
from ..models.rosters import LEAVE_CODES, REST_CODE
from ..rules import HALL_MANAGERS, may_edit_roster
from ..selectors.core import hall_choices, hall_for_request
from ..selectors.rosters import published_plan, roster_edits, roster_grid
from ..services.rosters import (
    IMPORT_MAX_BYTES,
    minimum_set,
    roster_copy_week,
    roster_import_csv,
    roster_publish,
    roster_repeat_pattern,
    roster_republish,
    roster_set_cells,
    shift_type_deactivate,
    shift_type_save,
)


def _parse_day(text, default):
    try:
        return date.fromisoformat(text) if text else default
    except ValueError:
        return default


def _range(request):
    """The range the grid shows: a week from Monday (default) or a calendar month."""
    span = request.GET.get("span", "week")
    day = _parse_day(request.GET.get("start"), timezone.localdate())
    if span == "month":
        start = month_start(day)
        return "month", start, month_end(start)
    start = week_start(day)
    return "week", start, start + timedelta(days=6)


def _grid_url(hall, span, start):
    return f"{reverse('staff:roster')}?hall={hall.pk}&span={span}&start={start.isoformat()}"


def _reason(post) -> str:
    form = RosterReasonForm(post)
    if not form.is_valid():
        raise ValidationError([f"{_('Reason')}：{e}" for e in form.errors["reason"]])
    return form.cleaned_data["reason"]


def _cells_from_post(post, grid):
    cells = {}
    for employee in grid.employees:
        for day in grid.days:
            name = f"c-{employee.pk}-{day:%Y%m%d}"
            if name in post:
                cells[employee.pk, day] = post[name]
    return cells


@upload_limit(IMPORT_MAX_BYTES)
@require_roles(*HALL_MANAGERS)
def roster(request):
    """The hall's roster grid. The shift lead edits cells, copies, repeats and publishes."""
    hall = hall_for_request(request.user, request.GET.get("hall"))
    if hall is None:
        return render(request, "staff/rosters/grid.html", {"grid": None})
    span, start, end = _range(request)
    editable = may_edit_roster(request.user, hall.pk)
    repeat_form = RepeatPatternForm(
        initial={"pattern_start": start, "pattern_end": end, "until": end + timedelta(days=28)}
    )
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        action = request.POST.get("action", "save")
        typed = {}
        try:
            if action == "save":
                typed = _cells_from_post(request.POST, roster_grid(hall, start, end))
                n = roster_set_cells(
                    actor=request.user, hall=hall, cells=typed, reason=_reason(request.POST)
                )
                messages.success(request, _("%(n)s cells saved.") % {"n": n})
            elif action == "copy":
                n = roster_copy_week(actor=request.user, hall=hall, week_start=week_start(start))
                messages.success(request, _("Previous week copied: %(n)s cells.") % {"n": n})
            elif action == "repeat":
                repeat_form = RepeatPatternForm(request.POST)
                if not repeat_form.is_valid():
                    raise ValidationError(_("Enter the pattern's days and the last day to fill."))
                n = roster_repeat_pattern(actor=request.user, hall=hall, **repeat_form.cleaned_data)
                messages.success(request, _("Pattern repeated: %(n)s cells.") % {"n": n})
            elif action == "import":
                upload = request.FILES.get("file")
                if getattr(request, "upload_refused", False):
                    raise ValidationError(_("The file is too large (at most 1 MB)."))
                if upload is None:
                    raise ValidationError(_("Choose a CSV file to import."))
                n = roster_import_csv(actor=request.user, hall=hall, upload=upload)
                messages.success(request, _("Imported: %(n)s cells changed.") % {"n": n})
            elif action == "publish":
                n = roster_publish(actor=request.user, hall=hall, start=start, end=end)
                messages.success(request, _("Published: %(n)s new days.") % {"n": n})
            elif action == "republish":
                n = roster_republish(actor=request.user, hall=hall, start=start, end=end)
                messages.success(request, _("Re-published: %(n)s changed days.") % {"n": n})
            return redirect(_grid_url(hall, span, start))
        except ValidationError as error:
            refuse(request, error)
    else:
        typed = {}
    grid = roster_grid(hall, start, end)
    previous = start - (timedelta(days=7) if span == "week" else timedelta(days=1))
    following = end + timedelta(days=1)
    edits = roster_edits(grid)
    rows = _grid_rows(grid, editable, typed, {(e.employee.pk, e.day): e for e in edits})
    coverage_rows = [
        (shift, [(day, grid.coverage[shift.pk, day]) for day in grid.days])
        for shift in grid.shift_types
        if shift.minimums.all()
    ]
    return render(
        request,
        "staff/rosters/grid.html",
        {
            "grid": grid,
            "hall": hall,
            "span": span,
            "start": start,
            "end": end,
            "rows": rows,
            "coverage_rows": coverage_rows,
            "editable": editable,
            "repeat_form": repeat_form,
            "previous_url": _grid_url(
                hall, span, week_start(previous) if span == "week" else month_start(previous)
            ),
            "next_url": _grid_url(hall, span, following),
            "week_url": _grid_url(hall, "week", start),
            "month_url": _grid_url(hall, "month", start),
            "halls": hall_choices(request.user),
            "codes": [s.code for s in grid.shift_types] + [REST_CODE, *LEAVE_CODES.values()],
            "unpublished": [d for d in grid.days if d not in grid.published],
            "edits": edits,
        },
    )


def _grid_rows(grid, editable, typed, edits):
    """(employee, cells html) per person. A month grid has about a thousand cells: they are
    formatted here in one pass, each value escaped once, rather than through template tags.
    After a refused save the cells keep what was typed, so nothing needs retyping. A day of an
    approved leave is not an input but a link to the leave (withdraw it there to change the
    day); a published cell changed since is marked with what was published."""
    days = [(d, f"{d:%Y%m%d}", d.isoformat(), f"{d.month}-{d.day}") for d in grid.days]
    leave_urls = {
        leave.pk: reverse("staff:leave_detail", kwargs={"pk": leave.pk})
        for leave in grid.leave_cells.values()
    }
    leave_title = escape(_("Approved leave: withdraw it on its page to change this day"))
    rows = []
    for employee in grid.employees:
        name, number = escape(employee.name), escape(employee.employee_no)
        cells = []
        for day, key, iso, label in days:
            code = escape(typed.get((employee.pk, day), grid.code(employee.pk, day)))
            edit = edits.get((employee.pk, day))
            mark = (
                ' title="{}"'.format(
                    escape(_("Published: %(code)s") % {"code": edit.published or "—"})
                )
                if edit
                else ""
            )
            leave = grid.leave_cells.get((employee.pk, day)) if editable else None
            edited = " edited" if edit else ""
            edited_class = ' class="edited"' if edit else ""
            if leave is not None:
                cells.append(
                    f'<td class="leave-locked{edited}"{mark}>'
                    f'<a href="{leave_urls[leave.pk]}" title="{leave_title}" '
                    f'data-testid="cell-{number}-{iso}">{code}</a></td>'
                )
            elif editable:
                cells.append(
                    f"<td{edited_class}{mark}>"
                    f'<input class="cell" name="c-{employee.pk}-{key}" value="{code}" '
                    f'list="roster-codes" aria-label="{name} {label}" '
                    f'data-testid="cell-{number}-{iso}"></td>'
                )
            else:
                rest = "code-rest" if code == REST_CODE else ""
                classes = f"{rest}{edited}".strip()
                cls = f' class="{classes}"' if classes else ""
                cells.append(f"<td{cls}{mark}>{code}</td>")
        rows.append((employee, mark_safe("".join(cells))))  # every value escaped above
    return rows


@require_roles(*HALL_MANAGERS)
def shift_types(request):
    """A hall's shift types and minimum staffing; the shift lead or a director changes them."""
    hall = hall_for_request(request.user, request.GET.get("hall"))
    if hall is None:
        return render(request, "staff/rosters/shift_types.html", {"hall": None})
    editable = may_edit_roster(request.user, hall.pk)
    shift_form = ShiftTypeForm(prefix="shift")
    minimum_form = MinimumStaffingForm(prefix="min", hall=hall)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "shift":
                shift_form = ShiftTypeForm(request.POST, prefix="shift")
                if shift_form.is_valid():
                    shift_type_save(actor=request.user, hall=hall, data=shift_form.cleaned_data)
                    messages.success(request, _("Shift type saved."))
                    return redirect(f"{reverse('staff:shift_types')}?hall={hall.pk}")
            elif action == "minimum":
                minimum_form = MinimumStaffingForm(request.POST, prefix="min", hall=hall)
                if minimum_form.is_valid():
                    minimum_set(actor=request.user, **minimum_form.cleaned_data)
                    messages.success(request, _("Minimum staffing saved."))
                    return redirect(f"{reverse('staff:shift_types')}?hall={hall.pk}")
            elif action == "deactivate":
                shift_type_deactivate(
                    actor=request.user, hall=hall, shift_type_id=request.POST.get("shift_type")
                )
                messages.success(request, _("Shift type retired."))
                return redirect(f"{reverse('staff:shift_types')}?hall={hall.pk}")
        except ValidationError as error:
            refuse(request, error)
    types = ShiftType.objects.filter(hall=hall, is_active=True)
    minimums = MinimumStaffing.objects.filter(shift_type__hall=hall, shift_type__is_active=True)
    return render(
        request,
        "staff/rosters/shift_types.html",
        {
            "hall": hall,
            "halls": hall_choices(request.user),
            "types": types,
            "minimums": minimums.select_related("shift_type"),
            "editable": editable,
            "shift_form": shift_form,
            "minimum_form": minimum_form,
        },
    )


@login_required
def my_roster(request):
    """My roster for the coming weeks as published; days changed since are marked."""
    me = employee_of(request.user)
    today = timezone.localdate()
    plan = (
        published_plan(me, today, today + timedelta(days=34))
        if me is not None and me.hall_id
        else []
    )
    return render(request, "staff/rosters/mine.html", {"plan": plan, "employee": me})
