"""Every state change of a first-contact ticket (validated, locked, timestamped, audited), and
the e-mail it sends to leadership."""

import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import Account
from staff.core.access import Role, employee_of
from staff.core.audit import audit_record
from staff.core.calendar import WorkCalendar, calendar_for, response_due_at
from staff.models import Department, Employee, PenaltyKind
from staff.services.penalties import penalty_record

from .. import rules
from ..models import (
    FIRST_CONTACT_CATEGORIES,
    Category,
    Channel,
    FirstContactTicket,
    FollowUpOutcome,
    Responsibility,
    SlaReminder,
    SlaStep,
    StepKind,
    TicketSequence,
    TicketState,
    TicketStep,
)
from ..selectors.tickets import owner_candidates

# A mobile number (11 digits starting with 1), or a landline with or without its area code.
PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|\d{7,8})$")


def _employee(actor) -> Employee:
    employee = employee_of(actor)
    if employee is None or not employee.is_active:
        raise ValidationError(_("Your login has no active employee record; ask the office."))
    return employee


def _lock(ticket: FirstContactTicket) -> FirstContactTicket:
    return FirstContactTicket.objects.select_for_update().get(pk=ticket.pk)


def _require(allowed: bool):
    if not allowed:
        raise ValidationError(_("You may not take this step on this ticket."))


def _require_state(ticket, *states):
    if ticket.state == TicketState.CLOSED and TicketState.CLOSED not in states:
        raise ValidationError(
            _("Ticket %(number)s is closed; nothing more can be recorded on it.")
            % {"number": ticket.number}
        )
    if ticket.state not in states:
        raise ValidationError(
            _("This step is not possible while the ticket is “%(state)s”.")
            % {"state": ticket.get_state_display()}
        )


def _note(note: str, message) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationError(message)
    return note


def _step(ticket, kind, by, at, **fields) -> TicketStep:
    return TicketStep.objects.create(ticket=ticket, kind=kind, by=by, at=at, **fields)


def _audit(actor, ticket, action, summary, **changes):
    audit_record(
        actor=actor,
        action=f"complaints.ticket.{action}",
        obj=ticket,
        summary=summary,
        changes=changes,
    )


def _done_reminders(ticket, step, at):
    SlaReminder.objects.filter(ticket=ticket, step=step, done_at__isnull=True).update(done_at=at)


def _next_number(year: int) -> str:
    # The row is locked until the ticket is saved, so two counters never get the same number.
    TicketSequence.objects.bulk_create([TicketSequence(year=year)], ignore_conflicts=True)
    sequence = TicketSequence.objects.select_for_update().get(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{year}-{sequence.last:06d}"


def validate_phone(phone: str) -> str:
    phone = re.sub(r"[\s]", "", phone or "")
    if not PHONE_RE.match(phone):
        raise ValidationError(
            _(
                "“%(phone)s” is not a valid phone number: enter an 11-digit mobile number or a landline."  # noqa: E501
            )
            % {"phone": phone}
        )
    return phone


def ticket_open(
    *,
    actor,
    channel: str,
    category: str,
    customer_name: str,
    customer_phone: str,
    content: str,
    street: str = "",
    house_number: str = "",
    landmark: str = "",
    account_no: str = "",
    urgent: bool = False,
    received_at=None,
    calendar: WorkCalendar | None = None,
) -> FirstContactTicket:
    """Register a complaint or enquiry; whoever receives it owns it (首问负责人)."""
    employee = _employee(actor)
    now = timezone.now()
    received_at = received_at or now
    errors = {}
    if not (content or "").strip():
        errors["content"] = _("Write down what the customer said: the content is empty.")
    if not (customer_name or "").strip():
        errors["customer_name"] = _("Enter the customer's name.")
    try:
        customer_phone = validate_phone(customer_phone)
    except ValidationError as exc:
        errors["customer_phone"] = exc.messages[0]
    if channel not in Channel.values:
        errors["channel"] = _("Choose how the customer got in touch.")
    if category not in Category.values:
        errors["category"] = _("Choose a category.")
    if received_at > now:
        errors["received_at"] = _("The time of receipt cannot be in the future.")
    account = None
    if (account_no or "").strip():
        account = Account.objects.filter(account_no=account_no.strip()).first()
        if account is None:
            errors["account_no"] = _("There is no account %(no)s.") % {"no": account_no.strip()}
    if errors:
        raise ValidationError(errors)
    calendar = calendar or calendar_for(received_at)
    with transaction.atomic():
        ticket = FirstContactTicket.objects.create(
            number=_next_number(timezone.localtime(received_at).year),
            received_at=received_at,
            channel=channel,
            category=category,
            urgent=urgent,
            hall_id=employee.hall_id,
            owner=employee,
            opened_by=employee,
            customer_name=customer_name.strip(),
            customer_phone=customer_phone,
            street=street.strip(),
            house_number=house_number.strip(),
            landmark=landmark.strip(),
            account=account,
            content=content.strip(),
            response_due_at=response_due_at(received_at),
            result_due_at=calendar.result_due_at(received_at),
        )
        _step(ticket, StepKind.OPENED, employee, now, note=ticket.content)
        _audit(actor, ticket, "open", _("Ticket registered"), category=category, urgent=urgent)
        if urgent:
            # 紧急情况及时向领导汇报.
            notify_leadership(ticket, _("Urgent ticket %(number)s") % {"number": ticket.number})
    return ticket


@transaction.atomic
def ticket_resolve(*, actor, ticket, note: str) -> FirstContactTicket:
    """Answered on the spot: responded and replied at once; the follow-up call remains."""
    employee = _employee(actor)
    ticket = _lock(ticket)
    _require(rules.may_handle(actor, ticket))
    _require_state(ticket, TicketState.NEW)
    note = _note(note, _("Write down the answer given to the customer."))
    now = timezone.now()
    ticket.state = TicketState.REPLIED
    ticket.resolved_on_spot = True
    ticket.responded_at = ticket.replied_at = now
    ticket.save(update_fields=["state", "resolved_on_spot", "responded_at", "replied_at"])
    _step(ticket, StepKind.RESOLVED, employee, now, note=note)
    _done_reminders(ticket, SlaStep.RESPONSE, now)
    _audit(actor, ticket, "resolve", _("Resolved on the spot"))
    return ticket


@transaction.atomic
def ticket_forward(*, actor, ticket, department: Department, note: str = "") -> FirstContactTicket:
    """Hand the ticket to the responsible department, or re-forward it to another one."""
    employee = _employee(actor)
    ticket = _lock(ticket)
    _require(rules.may_handle(actor, ticket))
    _require_state(ticket, TicketState.NEW, TicketState.FORWARDED, TicketState.RESULT_IN)
    if ticket.category not in FIRST_CONTACT_CATEGORIES:
        raise ValidationError(
            _(
                "“%(category)s” is outside the first-contact scope (metering, billing, repairs, "
                "water quality, water pressure, new connections) and cannot be forwarded as a "
                "first-contact ticket; answer it on the spot or change its category."
            )
            % {"category": ticket.get_category_display()}
        )
    if department is None or not department.is_active:
        raise ValidationError(_("Choose an active department."))
    if ticket.state != TicketState.NEW and ticket.department_id == department.pk:
        raise ValidationError(_("The ticket is already with %(dept)s.") % {"dept": department})
    now = timezone.now()
    kind = StepKind.FORWARDED if ticket.state == TicketState.NEW else StepKind.REFORWARDED
    previous = ticket.department
    ticket.state = TicketState.FORWARDED
    ticket.department = department
    ticket.responded_at = ticket.responded_at or now
    ticket.forwarded_at = ticket.forwarded_at or now
    # A re-forward means the result is still to come from the new department.
    ticket.result_at = None
    ticket.save(update_fields=["state", "department", "responded_at", "forwarded_at", "result_at"])
    _step(ticket, kind, employee, now, department=department, note=(note or "").strip())
    _done_reminders(ticket, SlaStep.RESPONSE, now)
    _audit(
        actor,
        ticket,
        "forward",
        _("Forwarded to %(dept)s") % {"dept": department},
        department=department.name,
        previous=previous.name if previous else "",
    )
    return ticket


@transaction.atomic
def ticket_record_result(*, actor, ticket, note: str, source: str = "") -> FirstContactTicket:
    """The department's result, by its liaison, or by the office on its behalf with a source."""
    employee = _employee(actor)
    ticket = _lock(ticket)
    _require(rules.may_record_result(actor, ticket))
    _require_state(ticket, TicketState.FORWARDED)
    note = _note(note, _("Write down the department's result."))
    source = (source or "").strip()
    if not rules.is_department_liaison(actor, ticket) and not source:
        raise ValidationError(
            _("You record this on the department's behalf: note where the result comes from.")
        )
    now = timezone.now()
    ticket.state = TicketState.RESULT_IN
    ticket.result_at = now
    ticket.save(update_fields=["state", "result_at"])
    _step(
        ticket,
        StepKind.RESULT,
        employee,
        now,
        department=ticket.department,
        note=note,
        source=source,
    )
    _done_reminders(ticket, SlaStep.RESULT, now)
    _audit(actor, ticket, "result", _("Department result recorded"), source=source)
    return ticket


@transaction.atomic
def ticket_reply(*, actor, ticket, note: str) -> FirstContactTicket:
    employee = _employee(actor)
    ticket = _lock(ticket)
    _require(rules.may_handle(actor, ticket))
    _require_state(ticket, TicketState.RESULT_IN)
    note = _note(note, _("Write down what the customer was told."))
    now = timezone.now()
    ticket.state = TicketState.REPLIED
    ticket.replied_at = now
    ticket.save(update_fields=["state", "replied_at"])
    _step(ticket, StepKind.REPLY, employee, now, note=note)
    _audit(actor, ticket, "reply", _("Customer replied"))
    return ticket


def follow_up_attempt_limit() -> int:
    return settings.COMPLAINTS_FOLLOW_UP_ATTEMPTS


@transaction.atomic
def ticket_follow_up(*, actor, ticket, outcome: str, note: str = "") -> FirstContactTicket:
    """Record a follow-up call. It closes the cycle unless the customer could not be reached
    and attempts remain; a dissatisfied customer gets a new linked cycle."""
    employee = _employee(actor)
    ticket = _lock(ticket)
    _require_state(ticket, TicketState.REPLIED)
    _require(rules.may_handle(actor, ticket))
    if outcome not in FollowUpOutcome.values:
        raise ValidationError(_("Choose the outcome of the follow-up call."))
    now = timezone.now()
    ticket.follow_up_attempts += 1
    ticket.follow_up_outcome = outcome
    fields = ["follow_up_attempts", "follow_up_outcome"]
    _step(ticket, StepKind.FOLLOW_UP, employee, now, outcome=outcome, note=(note or "").strip())
    closes = outcome != FollowUpOutcome.UNREACHABLE or (
        ticket.follow_up_attempts >= follow_up_attempt_limit()
    )
    if closes:
        ticket.follow_up_at = now
        ticket.state = TicketState.CLOSED
        ticket.closed_at = now
        fields += ["follow_up_at", "state", "closed_at"]
    ticket.save(update_fields=fields)
    _audit(
        actor,
        ticket,
        "follow_up",
        _("Follow-up call: %(outcome)s") % {"outcome": ticket.get_follow_up_outcome_display()},
        attempt=ticket.follow_up_attempts,
    )
    if closes:
        _step(ticket, StepKind.CLOSED, employee, now)
    if outcome == FollowUpOutcome.DISSATISFIED:
        _reopen(actor, employee, ticket, now, note)
    return ticket


def _reopen(actor, employee, ticket, now, note):
    new = FirstContactTicket.objects.create(
        number=f"{ticket.number.split('/')[0]}/{ticket.cycle + 1}",
        cycle=ticket.cycle + 1,
        previous_cycle=ticket,
        received_at=now,
        channel=ticket.channel,
        category=ticket.category,
        urgent=ticket.urgent,
        hall_id=ticket.hall_id,
        owner_id=ticket.owner_id,
        opened_by=employee,
        customer_name=ticket.customer_name,
        customer_phone=ticket.customer_phone,
        street=ticket.street,
        house_number=ticket.house_number,
        landmark=ticket.landmark,
        account_id=ticket.account_id,
        content=ticket.content,
        response_due_at=response_due_at(now),
        result_due_at=calendar_for(now).result_due_at(now),
    )
    reason = _("Customer dissatisfied with cycle %(n)s.") % {"n": ticket.cycle}
    _step(new, StepKind.REOPENED, employee, now, note=f"{reason} {note}".strip())
    _audit(actor, new, "reopen", reason, previous=ticket.number)
    return new


@transaction.atomic
def ticket_chase(*, actor, ticket, note: str) -> TicketStep:
    """The owner chased the department (催办)."""
    employee = _employee(actor)
    ticket = _lock(ticket)
    _require(rules.may_handle(actor, ticket))
    _require_state(ticket, *[s for s in TicketState.values if s != TicketState.CLOSED])
    note = _note(note, _("Write down whom you chased and what they said."))
    step = _step(
        ticket, StepKind.CHASE, employee, timezone.now(), department=ticket.department, note=note
    )
    _audit(actor, ticket, "chase", _("Chase note"))
    return step


@transaction.atomic
def ticket_escalate(*, actor, ticket, note: str) -> FirstContactTicket:
    """A complex case goes to leadership (复杂问题报领导)."""
    employee = _employee(actor)
    ticket = _lock(ticket)
    _require(rules.may_escalate(actor, ticket))
    _require_state(ticket, *[s for s in TicketState.values if s != TicketState.CLOSED])
    note = _note(note, _("Explain why leadership is needed."))
    now = timezone.now()
    if ticket.escalated_at is None:
        ticket.escalated_at = now
        ticket.save(update_fields=["escalated_at"])
    _step(ticket, StepKind.ESCALATION, employee, now, note=note)
    _audit(actor, ticket, "escalate", _("Escalated to leadership"))
    notify_leadership(ticket, _("Ticket %(number)s escalated") % {"number": ticket.number}, note)
    return ticket


@transaction.atomic
def ticket_change_owner(*, actor, ticket, new_owner: Employee, reason: str) -> FirstContactTicket:
    employee = _employee(actor)
    ticket = _lock(ticket)
    _require(rules.may_change_owner(actor, ticket))
    _require_state(ticket, *[s for s in TicketState.values if s != TicketState.CLOSED])
    reason = _note(reason, _("Give the reason for changing the owner."))
    if new_owner is None or not new_owner.is_active:
        raise ValidationError(_("Choose an active employee as the new owner."))
    if new_owner.pk == ticket.owner_id:
        raise ValidationError(_("This employee already owns the ticket."))
    if not owner_candidates(actor, ticket).filter(pk=new_owner.pk).exists():
        raise ValidationError(
            _("Choose an employee of the ticket's hall: only a director hands it elsewhere.")
        )
    previous = ticket.owner
    ticket.owner = new_owner
    ticket.save(update_fields=["owner"])
    _step(
        ticket,
        StepKind.OWNER_CHANGED,
        employee,
        timezone.now(),
        note=_("%(old)s → %(new)s: %(reason)s")
        % {"old": previous, "new": new_owner, "reason": reason},
    )
    _audit(actor, ticket, "owner", reason, previous=previous.name, owner=new_owner.name)
    return ticket


@transaction.atomic
def ticket_find_responsible(*, actor, ticket, employees, reason: str) -> list[Responsibility]:
    """有责投诉: each employee found responsible gets the 200-yuan penalty (工作标准 9)."""
    employee = _employee(actor)
    ticket = _lock(ticket)
    _require(rules.may_find_responsible(actor, ticket))
    if ticket.state != TicketState.CLOSED:
        raise ValidationError(_("Responsibility is found when the ticket is closed."))
    reason = _note(reason, _("Give the reason for the finding."))
    employees = list(employees)
    if not employees:
        raise ValidationError(_("Choose at least one employee."))
    already = set(
        Responsibility.objects.filter(ticket=ticket, employee__in=employees).values_list(
            "employee__name", flat=True
        )
    )
    if already:
        raise ValidationError(
            _("Already found responsible on this ticket: %(names)s.")
            % {"names": "、".join(sorted(already))}
        )
    now = timezone.now()
    findings = []
    for person in employees:
        penalty = penalty_record(
            actor=actor,
            employee=person,
            kind=PenaltyKind.RESPONSIBLE_COMPLAINT,
            on=timezone.localdate(now),
            reason=reason,
            source=_("First-contact ticket %(number)s") % {"number": ticket.number},
        )
        findings.append(
            Responsibility.objects.create(
                ticket=ticket,
                employee=person,
                penalty=penalty,
                found_by=employee,
                found_at=now,
                reason=reason,
            )
        )
    ticket.responsible = True
    ticket.save(update_fields=["responsible"])
    names = "、".join(p.name for p in employees)
    _step(ticket, StepKind.RESPONSIBILITY, employee, now, note=f"{names}: {reason}")
    _audit(actor, ticket, "responsible", reason, employees=[p.name for p in employees])
    return findings


# --- e-mail to owners and leadership --------------------------------------------------------
# Sent after the commit and only when e-mail is configured. On-screen the same news reaches
# people through the home page (selectors.home.attention_items), so a missing e-mail address
# loses nothing.


def leadership_emails() -> list[str]:
    users = get_user_model().objects.filter(groups__name=Role.DIRECTOR, is_active=True)
    return sorted({email for email in users.values_list("email", flat=True) if email})


def _send(subject: str, body: str, recipients: list[str]) -> bool:
    if not settings.EMAIL_ENABLED or not recipients:
        return False
    send_mail(str(subject), body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)
    return True


def _body(ticket, text: str = "") -> str:
    link = reverse("complaints:ticket_detail", kwargs={"pk": ticket.pk})
    return f"{ticket.number} {ticket.get_category_display()} {ticket.customer_name}\n{text}\n{link}"


def notify_leadership(ticket, subject, text: str = "") -> None:
    if settings.EMAIL_ENABLED:
        body = _body(ticket, text)
        transaction.on_commit(lambda: _send(subject, body, leadership_emails()))


def mail_now(ticket, subject, recipients: list[str], text: str = "") -> bool:
    """Send at once (check_sla calls it after its own commit); True when a mail went out."""
    return _send(subject, _body(ticket, text), recipients)
