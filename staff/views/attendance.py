"""Attendance pages: clocking from the home page, a day's record with corrections, the month."""

from datetime import date, datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..core.access import employee_of, get_for_user, halls_for, is_center_wide
from ..core.audit import history_for
from ..core.calendar import is_public_holiday, month_start
from ..core.refusals import refuse, refuse_on_form
from ..exports import attendance_csv, attendance_xlsx
from ..forms import CorrectionForm
from ..models import AttendanceRecord, LeaveType, RosterEntry
from ..rules import (
    may_correct_attendance,
    may_export_attendance,
    may_report_attendance,
    may_see_attendance,
    may_see_hall_people,
)
from ..selectors.attendance import (
    LEGEND,
    NOT_EARLY_MARK,
    TOTAL_FIELDS,
    day_status,
    employees_for_month,
    month_summary,
)
from ..selectors.core import employees_visible_to, hall_for_request
from ..services.attendance import attendance_clock, attendance_correct, attendance_report_halls


def _month(request) -> date:
    try:
        year, month = request.GET.get("month", "").split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        return month_start(timezone.localdate())


def _scope(request):
    """(halls shown, hall or None for all, people) for the month page and its exports."""
    user = request.user
    if not may_see_attendance(user):
        raise PermissionDenied
    month = _month(request)
    if not may_see_hall_people(user):
        me = employee_of(user)
        if me is None or me.hall_id is None:
            return month, [], None, []
        return month, [me.hall_id], me.hall, employees_for_month(None, month, only=me)
    wanted = request.GET.get("hall")
    if wanted == "all" or (not wanted and is_center_wide(user)):
        halls = list(halls_for(user))
        hall = halls[0] if len(halls) == 1 else None
    else:
        hall = hall_for_request(user, wanted)
        halls = [hall] if hall else []
    ids = [h.pk for h in halls]
    return month, ids, hall, employees_for_month(ids, month)


@login_required
def month(request):
    """The month's attendance grid with codes, legend and totals; the office reports it."""
    month, hall_ids, hall, people = _scope(request)
    if request.method == "POST":
        if not may_report_attendance(request.user):
            raise PermissionDenied
        halls = [h for h in halls_for(request.user) if h.pk in hall_ids]
        try:
            attendance_report_halls(actor=request.user, halls=halls, month=month)
            messages.success(request, _("The month is reported and locked."))
        except ValidationError as error:
            refuse(request, error)
        query = request.META.get("QUERY_STRING", "")
        return redirect(f"{reverse('staff:attendance_month')}?{query}")
    summary = month_summary(people, month, hall_ids)
    previous = month_start(month.replace(day=1) - timedelta(days=1))
    following = month_start(month.replace(day=28) + timedelta(days=4))
    rows = [
        (
            row,
            _day_cells(row, summary.days),
            [row.totals[key] for key, _label in TOTAL_FIELDS],
            [row.leave.get(value, 0) for value in LeaveType.values],
        )
        for row in summary.rows
    ]
    query = request.GET.copy()
    return render(
        request,
        "staff/attendance/month.html",
        {
            "summary": summary,
            "rows": rows,
            "hall": hall,
            "halls": list(halls_for(request.user)) if may_see_hall_people(request.user) else [],
            "allow_all": is_center_wide(request.user),
            "keep": [("month", f"{month:%Y-%m}")],
            "month": month,
            "previous": f"{previous:%Y-%m}",
            "following": f"{following:%Y-%m}",
            "hall_param": query.get("hall", ""),
            "legend": LEGEND,
            "not_early_mark": NOT_EARLY_MARK,
            "total_labels": [label for _key, label in TOTAL_FIELDS],
            "leave_labels": LeaveType.labels,
            "can_report": may_report_attendance(request.user),
            "can_export": may_see_hall_people(request.user),
            "holidays": summary.holidays,
        },
    )


def _day_cells(row, days):
    """One person's day cells as HTML. The all-halls month has ~10,000 cells: building them
    here in one pass (one URL reversed per person) keeps the page fast."""
    base = reverse(
        "staff:attendance_day", kwargs={"employee_id": row.employee.pk, "day": days[0]}
    ).rsplit(days[0].isoformat(), 1)[0]
    as_reported, corrected = _("As reported"), _("Corrected")
    not_early = format_html(
        '<small class="not-early" title="{}">{}</small>', _("Not in early"), NOT_EARLY_MARK
    )
    pending = format_html(' title="{}"', _("Not judged yet: the shift is not over"))
    cells = []
    for i, (day, status) in enumerate(zip(days, row.statuses, strict=True)):
        was = row.changed.get(i)
        classes = ("code-changed " if was is not None else "") + (
            "code-corrected" if status.corrected else ""
        )
        cells.append(
            format_html(
                '<td class="{}"{}>{}<a href="{}{}/">{}</a>{}</td>',
                classes.strip(),
                format_html(' title="{}"', corrected)
                if status.corrected
                else (pending if status.pending else ""),
                format_html('<del title="{}">{}</del>', as_reported, was or "–")
                if was is not None
                else "",
                base,
                day.isoformat(),
                status.code or "·",
                format_html("<small>{}</small>", status.late_minutes)
                if status.late_minutes
                else (not_early if status.not_early else ""),
            )
        )
    return mark_safe("".join(cells))  # every part went through format_html


@login_required
def export(request, fmt):
    if fmt not in ("xlsx", "csv"):
        raise Http404
    if not may_export_attendance(request.user):
        raise PermissionDenied
    month, hall_ids, hall, people = _scope(request)
    summary = month_summary(people, month, hall_ids)
    writer = attendance_xlsx if fmt == "xlsx" else attendance_csv
    return writer(summary, hall=hall, compiler=request.user)


@login_required
@require_POST
def clock(request):
    """Clock in or out now; the server's time and the workstation's address are recorded."""
    try:
        record = attendance_clock(actor=request.user, address=request.META.get("REMOTE_ADDR"))
        moment = record.clock_out or record.clock_in
        text = _("Clocked out at %(t)s.") if record.clock_out else _("Clocked in at %(t)s.")
        messages.success(request, text % {"t": timezone.localtime(moment).strftime("%H:%M:%S")})
    except ValidationError as error:
        refuse(request, error)
    return redirect("staff:home")


def _at(day, moment):
    if moment is None:
        return None
    return timezone.make_aware(datetime.combine(day, moment))


@login_required
def day(request, employee_id, day):
    """One person's day: roster, clock times, derived status, corrections and their history."""
    employee = get_for_user(employees_visible_to(request.user), pk=employee_id)
    record = AttendanceRecord.objects.filter(employee=employee, date=day).first()
    correctable = may_correct_attendance(request.user, employee)
    initial = {}
    if record is not None:
        initial = {
            "clock_in": record.clock_in and timezone.localtime(record.clock_in).time(),
            "clock_out": record.clock_out and timezone.localtime(record.clock_out).time(),
        }
    form = CorrectionForm(initial=initial)
    if request.method == "POST":
        if not correctable:
            raise PermissionDenied
        form = CorrectionForm(request.POST)
        if form.is_valid():
            try:
                attendance_correct(
                    actor=request.user,
                    employee=employee,
                    day=day,
                    clock_in=_at(day, form.cleaned_data["clock_in"]),
                    clock_out=_at(day, form.cleaned_data["clock_out"]),
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, _("Attendance corrected."))
                return redirect("staff:attendance_day", employee_id=employee.pk, day=day)
            except ValidationError as error:
                refuse_on_form(form, error)
    entries = list(
        RosterEntry.objects.filter(employee=employee, date=day).select_related("shift_type")
    )
    status = day_status(day, entries, record, timezone.now(), is_public_holiday(day))
    return render(
        request,
        "staff/attendance/day.html",
        {
            "employee": employee,
            "day": day,
            "record": record,
            "entries": entries,
            "status": status,
            "form": form if correctable else None,
            "history": list(history_for(record)) if record is not None else [],
            "legend": dict(LEGEND),
        },
    )
