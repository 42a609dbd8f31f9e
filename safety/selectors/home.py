"""Home-page warnings of the safety app (staff.core.extensions plug-in); a fixed handful of queries
per page view. Who gets which warning is decided here; the reads are the features' selectors."""

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.core.access import employee_of, has_role
from staff.core.extensions import AttentionItem
from staff.models import Hall

from ..models import (
    CorrectiveAction,
    Incident,
    IncidentStatus,
    IncidentStep,
    ResponseStep,
    drill_grace_end,
    drill_window_start,
    leadership_delay_limit_minutes,
    previous_month,
)
from ..rules import HANDLER_ROLES, is_director
from .closing import missing_closing_halls
from .drills import missing_drill_halls
from .group import officer_hall_ids


def attention_items(user) -> list[AttentionItem]:
    items = []
    today = timezone.localdate()
    items += _drill_items(user, today)
    items += _closing_items(user, today)
    items += _incident_items(user)
    items += _action_items(user, today)
    return items


def _drill_items(user, today) -> list[AttentionItem]:
    """The month's drill is due (last days) or overdue (grace days): officer and director."""
    checks = []
    if today >= drill_window_start(today.year, today.month):
        checks.append((today.year, today.month, "warning"))
    year, month = previous_month(today.year, today.month)
    if today <= drill_grace_end(year, month):
        checks.append((year, month, "danger"))
    if not checks:
        return []
    if is_director(user):
        hall_ids = list(Hall.objects.filter(is_active=True).values_list("pk", flat=True))
    elif has_role(user, *HANDLER_ROLES):
        hall_ids = officer_hall_ids(user)
    else:
        return []
    if not hall_ids:
        return []
    missing_by_month = missing_drill_halls(hall_ids, [(y, m) for y, m, _level in checks])
    items = []
    url = reverse("safety:drill_record")
    for year, month, level in checks:
        missing = missing_by_month[(year, month)]
        if missing:
            text = _("No alarm drill recorded for %(year)s-%(month)02d: %(halls)s") % {
                "year": year,
                "month": month,
                "halls": "、".join(hall.name for hall in missing),
            }
            items.append(AttentionItem(text=text, url=url, level=level, count=len(missing)))
    return items


def _closing_items(user, today) -> list[AttentionItem]:
    """Yesterday's closing check is missing: the hall's shift lead and lobby manager."""
    if not has_role(user, *HANDLER_ROLES):
        return []
    employee = employee_of(user)
    if employee is None or employee.hall_id is None:
        return []
    yesterday = today - timedelta(days=1)
    missing = missing_closing_halls([employee.hall_id], yesterday)
    if not missing:
        return []
    text = _("No closing check recorded for %(day)s: %(halls)s") % {
        "day": yesterday,
        "halls": "、".join(h.name for h in missing),
    }
    return [AttentionItem(text=text, url=reverse("safety:closing_record"), level="danger")]


def _incident_items(user) -> list[AttentionItem]:
    """Incidents nobody has taken up yet: the director and the hall's handlers."""
    if is_director(user):
        incidents = Incident.objects.all()
    elif has_role(user, *HANDLER_ROLES):
        employee = employee_of(user)
        if employee is None or employee.hall_id is None:
            return []
        incidents = Incident.objects.filter(hall_id=employee.hall_id)
    else:
        return []
    # 不得拖延报告时间: an open incident whose leadership is still not informed past the limit.
    late_since = timezone.now() - timedelta(minutes=leadership_delay_limit_minutes())
    counts = incidents.exclude(status=IncidentStatus.CLOSED).aggregate(
        reported=Count("pk", filter=Q(status=IncidentStatus.REPORTED)),
        uninformed=Count(
            "pk",
            filter=Q(occurred_at__lt=late_since)
            & ~Q(
                pk__in=IncidentStep.objects.filter(step=ResponseStep.LEADERSHIP_INFORMED).values(
                    "incident_id"
                )
            ),
        ),
    )
    items = []
    url = reverse("safety:incident_list")
    if counts["reported"]:
        items.append(
            AttentionItem(
                text=_("Incidents reported and not yet handled"),
                url=url + "?status=reported",
                level="danger",
                count=counts["reported"],
            )
        )
    if counts["uninformed"]:
        items.append(
            AttentionItem(
                text=_("Open incidents whose leadership is still not informed"),
                url=url,
                level="danger",
                count=counts["uninformed"],
            )
        )
    return items


def _action_items(user, today) -> list[AttentionItem]:
    """Corrective actions the user owns that are past their due date."""
    employee = employee_of(user)
    if employee is None:
        return []
    overdue = CorrectiveAction.objects.filter(
        owner=employee, done_at__isnull=True, due_date__lt=today
    ).count()
    if not overdue:
        return []
    return [
        AttentionItem(
            text=_("Your corrective actions past their due date"),
            url=reverse("safety:action_list"),
            level="warning",
            count=overdue,
        )
    ]
