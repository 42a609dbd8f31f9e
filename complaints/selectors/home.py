"""What complaints asks people to look at on their home page (the staff core's `attention_items`):
reminders, escalations, urgent tickets (the core itself warns of a missing working calendar).

At most four queries per user, whatever the number of tickets.
"""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from staff.core.access import Role, employee_of, has_role
from staff.core.extensions import AttentionItem

from ..models import (
    OPEN_STATES,
    FirstContactTicket,
    ReminderKind,
    SlaReminder,
    TicketState,
)


def attention_items(user) -> list[AttentionItem]:
    employee = employee_of(user)
    leadership = user.is_superuser or has_role(user, Role.DIRECTOR)
    items = []
    tickets_url = reverse("complaints:ticket_list")
    if employee is not None:
        mine = SlaReminder.objects.filter(
            kind=ReminderKind.CHASE, done_at__isnull=True, ticket__owner=employee
        ).aggregate(n=Count("ticket", distinct=True))["n"]
        if mine:
            items.append(
                AttentionItem(
                    _("Your first-contact tickets are overdue: chase the department"),
                    tickets_url,
                    "danger",
                    mine,
                )
            )
    if leadership or has_role(user, Role.LOBBY_MANAGER):
        # 紧急情况及时向领导汇报: urgent open tickets show at once.
        scope = FirstContactTicket.objects.filter(state__in=OPEN_STATES)
        if not leadership:
            scope = scope.filter(hall_id=getattr(employee, "hall_id", None))
        figures = scope.aggregate(
            urgent=Count("id", filter=Q(urgent=True)),
            escalated=Count("id", filter=Q(escalated_at__isnull=False)),
        )
        if figures["urgent"]:
            items.append(
                AttentionItem(_("Urgent open tickets"), tickets_url, "danger", figures["urgent"])
            )
        if leadership:
            overdue = SlaReminder.objects.filter(
                kind=ReminderKind.ESCALATION, done_at__isnull=True
            ).aggregate(n=Count("ticket", distinct=True))["n"]
            if overdue:
                items.append(
                    AttentionItem(
                        _("Overdue tickets escalated to leadership"),
                        reverse("complaints:sla"),
                        "danger",
                        overdue,
                    )
                )
            if figures["escalated"]:
                items.append(
                    AttentionItem(
                        _("Open tickets escalated to leadership"),
                        tickets_url,
                        "warning",
                        figures["escalated"],
                    )
                )
    if has_role(user, Role.DEPARTMENT_LIAISON) and employee and employee.department_id:
        waiting = FirstContactTicket.objects.filter(
            state=TicketState.FORWARDED, department_id=employee.department_id
        ).count()
        if waiting:
            items.append(
                AttentionItem(
                    _("Tickets waiting for your department's result"),
                    tickets_url,
                    "warning",
                    waiting,
                )
            )
    return items
