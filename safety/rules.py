"""Small rules shared by services, selectors and views: checklists, handlers, drill dates."""

import calendar
from datetime import date, timedelta

from django.conf import settings

from staff.core.access import Role, hall_ids_for, has_role

from .models import IncidentKind, ResponseStep

# 应急预案 五、响应程序: raise the alarm, report to leadership first, medical help for the
# injured, protect the scene, keep order, inform the company, clear up and restore service.
# A dispute needs no alarm or scene protection; medical help only where someone may be hurt.
_STEPS_BY_KIND = {
    IncidentKind.MAJOR_DISPUTE: [
        ResponseStep.LEADERSHIP_INFORMED,
        ResponseStep.ORDER_KEPT,
        ResponseStep.COMPANY_INFORMED,
        ResponseStep.SERVICE_RESTORED,
    ],
    IncidentKind.VIOLENT_ROBBERY: [
        ResponseStep.ALARM_RAISED,
        ResponseStep.LEADERSHIP_INFORMED,
        ResponseStep.SCENE_PROTECTED,
        ResponseStep.ORDER_KEPT,
        ResponseStep.COMPANY_INFORMED,
        ResponseStep.SERVICE_RESTORED,
    ],
    IncidentKind.PERSONAL_INJURY: [
        ResponseStep.ALARM_RAISED,
        ResponseStep.LEADERSHIP_INFORMED,
        ResponseStep.MEDICAL_HELP,
        ResponseStep.SCENE_PROTECTED,
        ResponseStep.ORDER_KEPT,
        ResponseStep.COMPANY_INFORMED,
        ResponseStep.SERVICE_RESTORED,
    ],
    IncidentKind.FIRE: [
        ResponseStep.ALARM_RAISED,
        ResponseStep.LEADERSHIP_INFORMED,
        ResponseStep.SCENE_PROTECTED,
        ResponseStep.ORDER_KEPT,
        ResponseStep.COMPANY_INFORMED,
        ResponseStep.SERVICE_RESTORED,
    ],
    IncidentKind.OTHER: [
        ResponseStep.ALARM_RAISED,
        ResponseStep.LEADERSHIP_INFORMED,
        ResponseStep.ORDER_KEPT,
        ResponseStep.COMPANY_INFORMED,
        ResponseStep.SERVICE_RESTORED,
    ],
}


def checklist_for(kind: str, injured_count: int = 0) -> list[str]:
    """The response steps an incident of `kind` must tick, in the order of the plan."""
    steps = list(_STEPS_BY_KIND[kind])
    if injured_count and ResponseStep.MEDICAL_HELP not in steps:
        steps.insert(steps.index(ResponseStep.LEADERSHIP_INFORMED) + 1, ResponseStep.MEDICAL_HELP)
    return [str(step) for step in steps]


HANDLER_ROLES = (Role.SHIFT_LEAD, Role.LOBBY_MANAGER)


def is_director(user) -> bool:
    return user.is_superuser or has_role(user, Role.DIRECTOR)


def handles_hall(user, hall_id: int) -> bool:
    """Director: every hall. Shift lead and lobby manager: their own hall."""
    if is_director(user):
        return True
    if not has_role(user, *HANDLER_ROLES):
        return False
    ids = hall_ids_for(user)
    return ids is None or hall_id in ids


def leadership_delay_limit_minutes() -> int:
    return settings.SAFETY_LEADERSHIP_DELAY_MINUTES


def month_last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def drill_window_start(year: int, month: int) -> date:
    """First day of the month's drill window: the last SAFETY_DRILL_WINDOW_DAYS days."""
    return month_last_day(year, month) - timedelta(days=settings.SAFETY_DRILL_WINDOW_DAYS - 1)


def drill_grace_end(year: int, month: int) -> date:
    """Last day a drill may still be recorded for the month (as late)."""
    return month_last_day(year, month) + timedelta(days=settings.SAFETY_DRILL_GRACE_DAYS)


def previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


# Status of a hall's drill for a month, as the yearly table and the overview show it.
DONE, LATE, MISSED, DUE, OVERDUE, UPCOMING = "done", "late", "missed", "due", "overdue", "upcoming"


def drill_status(year: int, month: int, held_on: date | None, today: date) -> str:
    """done: held in the month; late: held in the grace days after it; missed: none by then.

    Without a drill yet: "due" inside the month's window, "overdue" during the grace days,
    "upcoming" before the window.
    """
    last = month_last_day(year, month)
    if held_on is not None:
        return DONE if held_on <= last else LATE
    if today > drill_grace_end(year, month):
        return MISSED
    if today > last:
        return OVERDUE
    if today >= drill_window_start(year, month):
        return DUE
    return UPCOMING
