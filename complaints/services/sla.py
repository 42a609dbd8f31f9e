"""The SLA clocks kept: the overdue check behind `manage.py check_sla` (cron, e.g. every 10
minutes), and the due dates moved when the working calendar changes.
Safe to run repeatedly: a clock is marked overdue once (its `*_overdue_at` is set), each
reminder exists once per ticket, kind and clock (a unique constraint), and each is mailed once.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.core.audit import audit_record
from staff.core.calendar import WorkCalendar

from ..models import (
    OPEN_STATES,
    FirstContactTicket,
    ReminderKind,
    SlaReminder,
    SlaStep,
    StepKind,
    TicketState,
    TicketStep,
)
from .tickets import leadership_emails, mail_now


@dataclass
class CheckResult:
    response_overdue: int = 0
    result_overdue: int = 0
    reminders: int = 0
    mailed: int = 0


def _mark(queryset, *, field, step, step_kind, now, result: CheckResult) -> int:
    marked = 0
    for ticket in queryset.select_for_update(skip_locked=True).select_related("owner"):
        setattr(ticket, field, now)
        ticket.save(update_fields=[field])
        TicketStep.objects.create(ticket=ticket, kind=step_kind, by=None, at=now)
        created = SlaReminder.objects.bulk_create(
            [
                SlaReminder(ticket=ticket, kind=ReminderKind.CHASE, step=step, created_at=now),
                SlaReminder(ticket=ticket, kind=ReminderKind.ESCALATION, step=step, created_at=now),
            ],
            ignore_conflicts=True,
        )
        result.reminders += len(created)
        audit_record(
            actor=None,
            action="complaints.ticket.overdue",
            obj=ticket,
            summary=str(StepKind(step_kind).label),
            changes={"clock": step},
        )
        marked += 1
    return marked


def sla_check(now=None) -> CheckResult:
    now = now or timezone.now()
    result = CheckResult()
    with transaction.atomic():
        result.response_overdue = _mark(
            FirstContactTicket.objects.filter(
                state__in=OPEN_STATES,
                responded_at__isnull=True,
                response_due_at__lt=now,
                response_overdue_at__isnull=True,
            ),
            field="response_overdue_at",
            step=SlaStep.RESPONSE,
            step_kind=StepKind.RESPONSE_OVERDUE,
            now=now,
            result=result,
        )
        result.result_overdue = _mark(
            FirstContactTicket.objects.filter(
                state=TicketState.FORWARDED,
                result_due_at__lt=now,
                result_overdue_at__isnull=True,
            ),
            field="result_overdue_at",
            step=SlaStep.RESULT,
            step_kind=StepKind.RESULT_OVERDUE,
            now=now,
            result=result,
        )
    result.mailed = _mail_pending()
    return result


def _mail_pending() -> int:
    """Mail each open reminder once; does nothing unless settings.EMAIL_ENABLED."""
    from django.conf import settings

    if not settings.EMAIL_ENABLED:
        return 0
    leaders = leadership_emails()
    mailed = 0
    pending = SlaReminder.objects.filter(emailed_at__isnull=True, done_at__isnull=True)
    for reminder in pending.select_related("ticket__owner__user"):
        ticket = reminder.ticket
        if reminder.kind == ReminderKind.CHASE:
            recipients = [ticket.owner.user.email] if ticket.owner.user.email else []
            subject = _("Overdue: chase the department on ticket %(number)s")
        else:
            recipients = leaders
            subject = _("Escalation: ticket %(number)s is overdue")
        subject = subject % {"number": ticket.number}
        if mail_now(ticket, subject, recipients, str(reminder.get_step_display())):
            SlaReminder.objects.filter(pk=reminder.pk).update(emailed_at=timezone.now())
            mailed += 1
    return mailed


# --- A change of the working calendar (the staff core calls `work_calendar_changed` on this
# app's config inside the transaction of every change): the result due dates move.


def recompute_due_dates(*, around: list[date]) -> int:
    """Recompute the result due date of every ticket whose 5 working days can touch `around`.

    Receipts up to 60 days before the first changed day are included, the longest stretch
    a due date can span; tickets whose calendar was missing are always included.
    """
    first = min(around) - timedelta(days=60)
    last = max(around)
    start = timezone.make_aware(datetime.combine(first, time.min))
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
    calendar = WorkCalendar.load()
    changed = []
    tickets = FirstContactTicket.objects.filter(
        received_at__gte=start, received_at__lt=end
    ) | FirstContactTicket.objects.filter(result_due_at__isnull=True)
    for ticket in tickets.only("id", "received_at", "result_due_at").iterator(chunk_size=2000):
        due = calendar.result_due_at(ticket.received_at)
        if due != ticket.result_due_at:
            ticket.result_due_at = due
            changed.append(ticket)
    FirstContactTicket.objects.bulk_update(changed, ["result_due_at"], batch_size=1000)
    return len(changed)
