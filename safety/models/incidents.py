"""Safety of the halls: emergency contacts, the safety group, incidents, drills, closing checks.

The rules come from the center's 安全管理规定 and 安全应急预案 (see /work/shared/reference).
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from staff.models import Employee, Hall

# Short numbers (110), local numbers (2332770), with an area code (0724-2332770) or mobiles.
phone_validator = RegexValidator(
    r"^(\+?\d{1,4}-)?\d{3,12}(-\d{1,6})?$",
    _("Enter a phone number of digits only, e.g. 110, 2332770, 0724-2332770 or 13972400001."),
)


class ContactKind(models.TextChoices):
    NATIONAL = "national", _("Emergency number")
    POLICE_STATION = "police_station", _("Local police station")
    OTHER = "other", _("Other")


class EmergencyContact(models.Model):
    """A number everyone must know (应急通信); `hall` is empty for the national numbers."""

    hall = models.ForeignKey(
        Hall,
        verbose_name=_("hall"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="emergency_contacts",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ContactKind.choices)
    name = models.CharField(_("name"), max_length=64)
    phone = models.CharField(_("phone"), max_length=32, validators=[phone_validator])
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "name"], name="safety_contact_unique_name"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(hall=None), name="safety_contact_unique_national"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ContactKind.values), name="safety_contact_kind_valid"
            ),
        ]
        verbose_name = _("emergency contact")
        verbose_name_plural = _("emergency contacts")

    def __str__(self):
        return f"{self.name} {self.phone}"


class GroupPosition(models.TextChoices):
    LEADER = "leader", _("Leader")
    DEPUTY = "deputy", _("Deputy leader")
    MEMBER = "member", _("Member")


class SafetyGroupMember(models.Model):
    """A member of the safety (and emergency) leadership group; phones stay on day and night."""

    employee = models.OneToOneField(
        Employee,
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="safety_group_membership",
    )
    position = models.CharField(_("position"), max_length=8, choices=GroupPosition.choices)
    duties = models.CharField(_("duties"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["position"], condition=Q(position="leader"), name="safety_one_leader"
            ),
            models.CheckConstraint(
                condition=Q(position__in=GroupPosition.values), name="safety_position_valid"
            ),
        ]
        verbose_name = _("safety group member")
        verbose_name_plural = _("safety group members")

    def __str__(self):
        return f"{self.get_position_display()} {self.employee}"


class HallSafetyOfficer(models.Model):
    """Who is the hall's safety officer when it is not its shift lead (the default)."""

    hall = models.OneToOneField(
        Hall, verbose_name=_("hall"), on_delete=models.CASCADE, related_name="safety_officer"
    )
    employee = models.ForeignKey(
        Employee, verbose_name=_("safety officer"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("hall safety officer")
        verbose_name_plural = _("hall safety officers")

    def __str__(self):
        return f"{self.hall}: {self.employee}"


class IncidentKind(models.TextChoices):
    MAJOR_DISPUTE = "major_dispute", _("Major dispute")
    VIOLENT_ROBBERY = "violent_robbery", _("Violent robbery")
    PERSONAL_INJURY = "personal_injury", _("Personal injury")
    FIRE = "fire", _("Fire")
    OTHER = "other", _("Other emergency")


class IncidentStatus(models.TextChoices):
    REPORTED = "reported", pgettext_lazy("incident", "Reported")
    HANDLING = "handling", _("Being handled")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", pgettext_lazy("incident", "Closed")


class Incident(models.Model):
    """An emergency in a hall (突发事件), from the first report to the closing follow-up."""

    hall = models.ForeignKey(
        Hall, verbose_name=_("hall"), on_delete=models.PROTECT, related_name="incidents"
    )
    kind = models.CharField(_("type"), max_length=16, choices=IncidentKind.choices)
    occurred_at = models.DateTimeField(_("occurred at"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("incident", "reported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_at = models.DateTimeField(
        pgettext_lazy("incident", "reported at"), default=timezone.now
    )
    description = models.TextField(_("what happened"))
    injured_count = models.PositiveSmallIntegerField(_("injured"), default=0)
    police_called = models.BooleanField(_("police called"), default=False)
    police_case_number = models.CharField(_("police case number"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=IncidentStatus.choices, default="reported"
    )
    follow_up_summary = models.TextField(_("follow-up summary"), blank=True)
    commendations = models.TextField(_("commendations"), blank=True)
    accountability = models.TextField(_("accountability"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=IncidentKind.values), name="safety_incident_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=IncidentStatus.values), name="safety_incident_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(follow_up_summary=""),
                name="safety_closed_incident_has_summary",
            ),
        ]
        indexes = [models.Index(fields=["hall", "status"])]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self):
        when = timezone.localtime(self.occurred_at)
        return f"{self.hall} {self.get_kind_display()} {when:%Y-%m-%d %H:%M}"


class PersonRole(models.TextChoices):
    AFFECTED = "affected", _("Affected")
    WITNESS = "witness", _("Witness")
    SUSPECT = "suspect", _("Suspect")
    RESPONDER = "responder", _("Responder")


class IncidentPerson(models.Model):
    """Somebody involved in an incident and in which role."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(_("name"), max_length=64)
    role = models.CharField(
        pgettext_lazy("incident", "role"), max_length=16, choices=PersonRole.choices
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True, validators=[phone_validator])
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=PersonRole.values), name="safety_person_role_valid"
            ),
        ]
        verbose_name = _("person involved")
        verbose_name_plural = _("people involved")

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"


class ResponseStep(models.TextChoices):
    ALARM_RAISED = "alarm_raised", _("Alarm raised")
    LEADERSHIP_INFORMED = "leadership_informed", _("Leadership informed")
    MEDICAL_HELP = "medical_help", _("Medical help called")
    SCENE_PROTECTED = "scene_protected", _("Scene and evidence protected")
    ORDER_KEPT = "order_kept", _("Order kept")
    COMPANY_INFORMED = "company_informed", _("Company leadership and security office informed")
    SERVICE_RESTORED = "service_restored", _("Scene cleared, service restored")


class IncidentStep(models.Model):
    """One response step of an incident's checklist, ticked with the time it was done."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("step"), max_length=24, choices=ResponseStep.choices)
    done_at = models.DateTimeField(_("done at"))
    ticked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["done_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "step"], name="safety_step_once"),
            models.CheckConstraint(
                condition=Q(step__in=ResponseStep.values), name="safety_step_valid"
            ),
        ]
        verbose_name = _("response step")
        verbose_name_plural = _("response steps")

    def __str__(self):
        return f"{self.get_step_display()} {timezone.localtime(self.done_at):%H:%M}"


class AlarmDrill(models.Model):
    """The month's alarm drill of a hall (各大厅每月月底要进行一次报警操作演练)."""

    hall = models.ForeignKey(
        Hall, verbose_name=_("hall"), on_delete=models.PROTECT, related_name="alarm_drills"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    held_at = models.DateTimeField(_("held at"))
    run_by = models.ForeignKey(
        Employee, verbose_name=_("run by"), on_delete=models.PROTECT, related_name="+"
    )
    alarm_worked = models.BooleanField(_("alarm worked at every point"))
    response_seconds = models.PositiveIntegerField(_("response time (seconds)"))
    problems = models.TextField(_("problems found"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-year", "-month", "hall__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "year", "month"], name="safety_drill_monthly"),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="safety_drill_month_valid"
            ),
        ]
        verbose_name = _("alarm drill")
        verbose_name_plural = _("alarm drills")

    def __str__(self):
        return f"{self.hall} {self.year}-{self.month:02d}"

    @property
    def problem_lines(self) -> list[str]:
        return [line.strip() for line in self.problems.splitlines() if line.strip()]


class CorrectiveAction(models.Model):
    """Something to fix after an incident or a drill, with an owner and a due date."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, null=True, blank=True, related_name="actions"
    )
    drill = models.ForeignKey(
        AlarmDrill, on_delete=models.CASCADE, null=True, blank=True, related_name="actions"
    )
    description = models.CharField(_("corrective action"), max_length=300)
    owner = models.ForeignKey(
        Employee, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(_("due date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(incident__isnull=False) & Q(drill__isnull=True))
                | (Q(incident__isnull=True) & Q(drill__isnull=False)),
                name="safety_action_one_source",
            ),
        ]
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")

    def __str__(self):
        return self.description

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class ClosingCheck(models.Model):
    """The after-closing round of a hall on one day (下班时关闭电脑、空调,切断电源,关好门窗)."""

    ITEMS = [
        "computers_off",
        "air_conditioning_off",
        "power_off",
        "doors_windows_shut",
        "cash_in_safe",
    ]

    hall = models.ForeignKey(
        Hall, verbose_name=_("hall"), on_delete=models.PROTECT, related_name="closing_checks"
    )
    date = models.DateField(_("date"))
    computers_off = models.BooleanField(_("computers off"))
    air_conditioning_off = models.BooleanField(_("air conditioning off"))
    power_off = models.BooleanField(_("power switched off"))
    doors_windows_shut = models.BooleanField(_("doors and windows shut"))
    cash_in_safe = models.BooleanField(_("cash locked in the safe"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    checked_by = models.ForeignKey(
        Employee, verbose_name=_("checked by"), on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)

    class Meta:
        ordering = ["-date", "hall__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "date"], name="safety_closing_daily"),
        ]
        verbose_name = _("closing check")
        verbose_name_plural = _("closing checks")

    def __str__(self):
        return f"{self.hall} {self.date}"

    @property
    def all_done(self) -> bool:
        return all(getattr(self, item) for item in self.ITEMS)
