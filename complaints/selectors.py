"""Reads: which tickets a user may see, and where their SLA clocks stand."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.core.access import Role, employee_of, get_for_user, has_role, is_center_wide
from staff.models import Employee

from .models import OPEN_STATES, FirstContactTicket, TicketState


def tickets_for(user) -> QuerySet[FirstContactTicket]:
    """Own and opened tickets for everyone; the department's for a liaison; the hall's for a
    lobby manager; all for office and director."""
    tickets = FirstContactTicket.objects.select_related("owner", "hall", "department")
    if is_center_wide(user):
        return tickets
    employee = employee_of(user)
    if employee is None or not employee.is_active:
        return tickets.none()
    scope = Q(owner=employee) | Q(opened_by=employee)
    if has_role(user, Role.DEPARTMENT_LIAISON) and employee.department_id:
        scope |= Q(department_id=employee.department_id)
    if has_role(user, Role.LOBBY_MANAGER) and employee.hall_id:
        scope |= Q(hall_id=employee.hall_id)
    return tickets.filter(scope)


def ticket_search(user, *, state: str = "open", query: str = "") -> QuerySet[FirstContactTicket]:
    """The list page: "open" (the default), one state, or anything else for every state; a
    query matches number, customer name, phone, or the exact account number; newest first."""
    tickets = tickets_for(user).order_by("-received_at", "-id")
    if state == "open":
        tickets = tickets.filter(state__in=OPEN_STATES)
    elif state in TicketState.values:
        tickets = tickets.filter(state=state)
    if query:
        tickets = tickets.filter(
            Q(number__icontains=query)
            | Q(customer_name__icontains=query)
            | Q(customer_phone__icontains=query)
            | Q(account__account_no=query)
        )
    return tickets


def get_ticket_for(user, pk) -> FirstContactTicket:
    return get_for_user(tickets_for(user), pk=pk)


def owner_candidates(user, ticket: FirstContactTicket) -> QuerySet[Employee]:
    """Whom `user` may make the ticket's owner: a director anyone active; a lobby manager the
    active staff of the ticket's hall (their scope), never another hall's or a department's."""
    people = Employee.objects.filter(is_active=True).order_by("employee_no")
    if user.is_superuser or has_role(user, Role.DIRECTOR):
        return people
    return people.filter(hall_id=ticket.hall_id) if ticket.hall_id else people.none()


@dataclass(frozen=True)
class Clock:
    """Where one SLA clock of a ticket stands, for display."""

    status: str  # on_time, late, running, due_soon, overdue, missing, not_applicable
    due_at: datetime | None
    done_at: datetime | None
    left: timedelta | None

    @property
    def label(self) -> str:
        return {
            "on_time": _("Done on time"),
            "late": _("Done late"),
            "running": _("Running"),
            "due_soon": _("Due soon"),
            "overdue": _("Overdue"),
            "missing": _("Calendar missing"),
            "not_applicable": _("Not applicable"),
        }[self.status]

    @property
    def css(self) -> str:
        return {
            "on_time": "status-ok",
            "late": "status-danger",
            "due_soon": "status-warn",
            "overdue": "status-danger",
            "missing": "status-warn",
        }.get(self.status, "")

    @property
    def left_text(self) -> str:
        if self.left is None:
            return ""
        seconds = int(abs(self.left).total_seconds())
        days, rest = divmod(seconds, 86400)
        hours, rest = divmod(rest, 3600)
        minutes = rest // 60
        text = (
            _("%(d)sd %(h)sh") % {"d": days, "h": hours}
            if days
            else _("%(h)sh %(m)smin") % {"h": hours, "m": minutes}
        )
        return text if self.left >= timedelta(0) else _("%(t)s overdue") % {"t": text}

    @property
    def text(self) -> str:
        """Status and time left as shown: "overdue" is said once (已超时49天8小时), not as a
        label and again in the time (已超时 · 已超时49天8小时)."""
        if not self.left_text:
            return self.label
        if self.left < timedelta(0):
            return self.left_text
        return f"{self.label} · {self.left_text}"


def _clock(due_at, done_at, now, soon: timedelta) -> Clock:
    if done_at is not None:
        status = "on_time" if due_at is not None and done_at <= due_at else "late"
        if due_at is None:
            status = "missing"
        return Clock(status, due_at, done_at, None)
    if due_at is None:
        return Clock("missing", None, None, None)
    left = due_at - now
    if left < timedelta(0):
        status = "overdue"
    elif left <= soon:
        status = "due_soon"
    else:
        status = "running"
    return Clock(status, due_at, None, left)


def response_clock(ticket: FirstContactTicket, now=None) -> Clock:
    now = now or timezone.now()
    soon = timedelta(minutes=settings.COMPLAINTS_RESPONSE_DUE_SOON_MINUTES)
    return _clock(ticket.response_due_at, ticket.responded_at, now, soon)


def result_clock(ticket: FirstContactTicket, now=None) -> Clock:
    """The department's result; due soon on the last working day (the due time is its end)."""
    now = now or timezone.now()
    if ticket.resolved_on_spot or (ticket.forwarded_at is None and ticket.state != TicketState.NEW):
        return Clock("not_applicable", ticket.result_due_at, None, None)
    if ticket.result_at is None and ticket.state == TicketState.CLOSED:
        return Clock("not_applicable", ticket.result_due_at, None, None)
    # Due soon on the last working day: its end is the due time (no DST in Shanghai).
    return _clock(ticket.result_due_at, ticket.result_at, now, timedelta(days=1))
