"""First-contact tickets (首问负责), their steps and reminders.

The working calendar their due dates are counted in is the staff core's
(`staff.models.core.WorkCalendarDay`, `staff.core.calendar`)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from staff.models import Department, Employee, Hall


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    VISIT = "visit", _("Visit")
    LETTER = "letter", _("Letter")
    HOTLINE = "hotline", _("Hotline")


class Category(models.TextChoices):
    METERING = "metering", _("Metering")
    BILLING = "billing", _("Billing")
    REPAIRS = "repairs", _("Repairs")
    WATER_QUALITY = "water_quality", _("Water quality")
    WATER_PRESSURE = "water_pressure", _("Water pressure")
    NEW_CONNECTION = "new_connection", _("New connection")
    OTHER = "other", _("Other (outside first-contact scope)")


# 首问负责制: "计量、收费、维修、水质、水压、报装" — the scope a ticket may be forwarded under.
FIRST_CONTACT_CATEGORIES = frozenset(Category.values) - {Category.OTHER}


class TicketState(models.TextChoices):
    NEW = "new", _("Registered")
    FORWARDED = "forwarded", _("Forwarded to department")
    RESULT_IN = "result_in", _("Department result in")
    REPLIED = "replied", _("Customer replied")
    CLOSED = "closed", pgettext_lazy("ticket state", "Closed")


OPEN_STATES = [TicketState.NEW, TicketState.FORWARDED, TicketState.RESULT_IN, TicketState.REPLIED]


class FollowUpOutcome(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    FAIRLY_SATISFIED = "fairly_satisfied", _("Fairly satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")
    UNREACHABLE = "unreachable", _("Could not be reached")


class FirstContactTicket(models.Model):
    """One cycle of a customer's complaint or enquiry, owned by whoever first received it.

    The timestamps of the steps (responded_at, result_at, ...) are copies of the step rows kept
    on the ticket so that the SLA rates are plain database aggregates; they are set only by
    the services, never typed in. A dissatisfied follow-up closes this cycle and opens a new
    one linked through `previous_cycle`.
    """

    number = models.CharField(_("number"), max_length=20, unique=True)
    cycle = models.PositiveSmallIntegerField(_("cycle"), default=1)
    previous_cycle = models.OneToOneField(
        "self",
        verbose_name=_("previous cycle"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_cycle",
    )
    received_at = models.DateTimeField(_("received at"))
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    urgent = models.BooleanField(_("urgent"), default=False)
    hall = models.ForeignKey(
        Hall,
        verbose_name=_("hall"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
    )
    owner = models.ForeignKey(
        Employee,
        verbose_name=pgettext_lazy("ticket", "owner"),
        on_delete=models.PROTECT,
        related_name="owned_tickets",
    )
    opened_by = models.ForeignKey(
        Employee, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    customer_name = models.CharField(_("customer name"), max_length=64)
    customer_phone = models.CharField(_("customer phone"), max_length=20)
    street = models.CharField(_("street"), max_length=100, blank=True)
    house_number = models.CharField(_("house number"), max_length=50, blank=True)
    landmark = models.CharField(_("nearby landmark"), max_length=100, blank=True)
    account = models.ForeignKey(
        "billing.Account",
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    content = models.TextField(_("content"))
    state = models.CharField(
        _("state"), max_length=16, choices=TicketState.choices, default=TicketState.NEW
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
    )
    # SLA clocks, computed by staff.core.calendar when the ticket is received.
    response_due_at = models.DateTimeField(_("response due"))
    result_due_at = models.DateTimeField(
        _("result due"), null=True, blank=True, help_text=_("Empty while the calendar is missing.")
    )
    # Copies of the step times (see the docstring).
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    resolved_on_spot = models.BooleanField(_("resolved on the spot"), default=False)
    forwarded_at = models.DateTimeField(_("forwarded at"), null=True, blank=True)
    result_at = models.DateTimeField(_("result at"), null=True, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    follow_up_at = models.DateTimeField(_("follow-up at"), null=True, blank=True)
    follow_up_outcome = models.CharField(
        _("follow-up outcome"), max_length=16, choices=FollowUpOutcome.choices, blank=True
    )
    follow_up_attempts = models.PositiveSmallIntegerField(_("follow-up attempts"), default=0)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    # Set by `check_sla` when a clock ran out (a step done later still counts as late).
    response_overdue_at = models.DateTimeField(_("response marked overdue"), null=True, blank=True)
    result_overdue_at = models.DateTimeField(_("result marked overdue"), null=True, blank=True)
    responsible = models.BooleanField(_("found responsible"), default=False)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["state", "received_at"]),
            models.Index(fields=["received_at"]),
            models.Index(fields=["owner", "state"]),
            models.Index(fields=["department", "state"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=TicketState.values), name="ticket_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(category__in=Category.values), name="ticket_category_valid"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="ticket_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(cycle=1, previous_cycle__isnull=True)
                | Q(cycle__gt=1, previous_cycle__isnull=False),
                name="ticket_cycle_links_previous",
            ),
            models.CheckConstraint(
                condition=Q(state=TicketState.CLOSED, closed_at__isnull=False)
                | (~Q(state=TicketState.CLOSED) & Q(closed_at__isnull=True)),
                name="ticket_closed_has_time",
            ),
            models.CheckConstraint(condition=~Q(content=""), name="ticket_content_not_empty"),
        ]
        verbose_name = _("first-contact ticket")
        verbose_name_plural = _("first-contact tickets")

    def __str__(self):
        return self.number

    @property
    def is_open(self):
        return self.state != TicketState.CLOSED

    @property
    def address(self):
        return " ".join(p for p in (self.street, self.house_number, self.landmark) if p)


class StepKind(models.TextChoices):
    OPENED = "opened", _("Registered")
    RESOLVED = "resolved", _("Resolved on the spot")
    FORWARDED = "forwarded", _("Forwarded to department")
    REFORWARDED = "reforwarded", _("Re-forwarded to another department")
    RESULT = "result", _("Department result")
    REPLY = "reply", _("Reply to customer")
    FOLLOW_UP = "follow_up", _("Follow-up call")
    CHASE = "chase", _("Chase note")
    ESCALATION = "escalation", _("Escalated to leadership")
    OWNER_CHANGED = "owner_changed", _("Owner changed")
    REOPENED = "reopened", _("Reopened as a new cycle")
    CLOSED = "closed", pgettext_lazy("ticket state", "Closed")
    RESPONSE_OVERDUE = "response_overdue", _("Response overdue")
    RESULT_OVERDUE = "result_overdue", _("Department result overdue")
    RESPONSIBILITY = "responsibility", _("Responsibility found")


class TicketStep(models.Model):
    """One timestamped step of a ticket and who took it."""

    ticket = models.ForeignKey(
        FirstContactTicket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="steps"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=StepKind.choices)
    at = models.DateTimeField(_("time"), default=timezone.now)
    by = models.ForeignKey(
        Employee,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for the automatic overdue check."),
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("How the office learnt the department's result, when it records it."),
    )
    outcome = models.CharField(
        _("follow-up outcome"), max_length=16, choices=FollowUpOutcome.choices, blank=True
    )

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=StepKind.values), name="step_kind_valid"),
        ]
        verbose_name = _("ticket step")
        verbose_name_plural = _("ticket steps")

    def __str__(self):
        return f"{self.ticket} {self.get_kind_display()}"


class ReminderKind(models.TextChoices):
    CHASE = "chase", _("Chase reminder for the owner")
    ESCALATION = "escalation", _("Escalation to leadership")


class SlaStep(models.TextChoices):
    RESPONSE = "response", _("Response (4 hours)")
    RESULT = "result", _("Department result (5 working days)")


class SlaReminder(models.Model):
    """Created by `check_sla` once per ticket, clock and kind; done when the step is done."""

    ticket = models.ForeignKey(
        FirstContactTicket,
        verbose_name=_("ticket"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ReminderKind.choices)
    step = models.CharField(_("clock"), max_length=16, choices=SlaStep.choices)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "kind", "step"], name="one_reminder_per_ticket_kind_step"
            ),
        ]
        verbose_name = _("SLA reminder")
        verbose_name_plural = _("SLA reminders")

    def __str__(self):
        return f"{self.ticket} {self.get_kind_display()} {self.get_step_display()}"


class Responsibility(models.Model):
    """A director's finding that a closed complaint was responsible (有责) for one employee."""

    ticket = models.ForeignKey(
        FirstContactTicket,
        verbose_name=_("ticket"),
        on_delete=models.PROTECT,
        related_name="responsibilities",
    )
    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="+"
    )
    penalty = models.OneToOneField(
        "staff.Penalty", verbose_name=_("penalty"), on_delete=models.PROTECT, related_name="+"
    )
    found_by = models.ForeignKey(
        Employee, verbose_name=_("found by"), on_delete=models.PROTECT, related_name="+"
    )
    found_at = models.DateTimeField(_("found at"), default=timezone.now)
    reason = models.CharField(_("reason"), max_length=500)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "employee"], name="one_responsibility_per_ticket_employee"
            ),
        ]
        verbose_name = _("responsibility finding")
        verbose_name_plural = _("responsibility findings")

    def __str__(self):
        return f"{self.ticket} {self.employee}"


class TicketSequence(models.Model):
    """The last ticket number given out in a year; locked while the next one is taken."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("ticket number sequence")
        verbose_name_plural = _("ticket number sequences")

    def __str__(self):
        return f"{self.year}: {self.last}"
