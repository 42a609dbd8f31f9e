"""The home page: what the staff app asks people to look at (a few queries at most)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..core.access import Role, employee_of, hall_ids_for, has_role
from ..core.calendar import calendar_years_missing, month_start
from ..core.extensions import AttentionItem
from ..models import AttendanceReport, Hall, LeaveRequest, LeaveStatus
from .duty import missed_duties


def attention_items(user) -> list:
    items = []
    director = user.is_superuser or has_role(user, Role.DIRECTOR)
    me = employee_of(user)
    pending = LeaveRequest.objects.filter(status=LeaveStatus.PENDING)
    if director:
        # Directors decide the leave of shift leads and lobby managers (and may decide any).
        pending = pending.filter(
            employee__user__groups__name__in=[Role.SHIFT_LEAD, Role.LOBBY_MANAGER]
        ).distinct()
    elif has_role(user, Role.SHIFT_LEAD) and me is not None and me.hall_id:
        pending = pending.filter(employee__hall_id=me.hall_id).exclude(
            employee__user__groups__name__in=[Role.SHIFT_LEAD, Role.LOBBY_MANAGER]
        )
    else:
        pending = None
    if pending is not None:
        count = pending.count()
        if count:
            items.append(
                AttentionItem(
                    _("Leave requests waiting for your decision"),
                    reverse("staff:leave_list"),
                    "warning",
                    count,
                )
            )
    if has_role(user, Role.LOBBY_MANAGER) or director:
        since = timezone.localdate() - timedelta(days=31)
        missed = missed_duties(hall_ids_for(user)).filter(date__gte=since).count()
        if missed:
            items.append(
                AttentionItem(
                    _("Duties missed in the last month"), reverse("staff:duty"), "danger", missed
                )
            )
    if user.is_superuser or has_role(user, Role.OFFICE):
        last = month_start(month_start(timezone.localdate()) - timedelta(days=1))
        halls = Hall.objects.filter(is_active=True).count()
        # A closed hall's old report must not stand in for an open hall's missing one.
        reported = AttendanceReport.objects.filter(month=last, hall__is_active=True).count()
        if reported < halls:
            items.append(
                AttentionItem(
                    _("Attendance of %(month)s not yet reported") % {"month": f"{last:%Y-%m}"},
                    f"{reverse('staff:attendance_month')}?month={last:%Y-%m}",
                    "warning",
                    halls - reported,
                )
            )
    if user.is_superuser or has_role(user, Role.DIRECTOR, Role.OFFICE):
        missing = calendar_years_missing(timezone.localdate())
        if missing:
            items.append(
                AttentionItem(
                    _("Working calendar missing for %(years)s: enter the holidays and make-up days")
                    % {"years": "、".join(str(y) for y in missing)},
                    # The calendar's page keeps its URL under complaints (staff.views.calendar).
                    reverse("complaints:calendar"),
                    "danger",
                )
            )
    return items
