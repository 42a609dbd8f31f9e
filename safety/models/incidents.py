"""Incidents in a hall (突发事件), their response checklist and corrective actions.

The rules come from the center's 安全管理规定 and 安全应急预案 (see /work/shared/reference).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from staff.models import Employee, Hall

from .contacts import phone_validator
from .drills import AlarmDrill


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


# reported → handling → resolved → closed; a resolved incident may go back to handling. In the
# order the detail page offers the buttons.
INCIDENT_TRANSITIONS = {
    IncidentStatus.REPORTED: (IncidentStatus.HANDLING,),
    IncidentStatus.HANDLING: (IncidentStatus.RESOLVED,),
    IncidentStatus.RESOLVED: (IncidentStatus.CLOSED, IncidentStatus.HANDLING),
    IncidentStatus.CLOSED: (),
}


def leadership_delay_limit_minutes() -> int:
    """A longer delay between an incident and "leadership informed" is flagged."""
    return settings.SAFETY_LEADERSHIP_DELAY_MINUTES
