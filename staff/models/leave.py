"""Leave requests over whole days."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .core import Employee


class LeaveType(models.TextChoices):
    PERSONAL = "personal", _("Personal leave")
    SICK = "sick", _("Sick leave")
    ANNUAL = "annual", _("Annual leave")
    COMPENSATORY = "compensatory", _("Compensatory leave")
    MARRIAGE = "marriage", _("Marriage leave")
    BEREAVEMENT = "bereavement", _("Bereavement leave")
    MATERNITY = "maternity", _("Maternity leave")
    OTHER = "other", _("Other leave")


class LeaveStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")
    REVOKED = "revoked", _("Withdrawn after approval")


class LeaveRequest(models.Model):
    """A request for leave over whole days, decided by the shift lead (or director)."""

    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="leave_requests",
    )
    leave_type = models.CharField(_("leave type"), max_length=16, choices=LeaveType.choices)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=LeaveStatus.choices, default=LeaveStatus.PENDING
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=500, blank=True)
    override_reason = models.CharField(
        _("reason for going below minimum staffing"), max_length=500, blank=True
    )

    class Meta:
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="leave_end_not_before_start"
            ),
        ]
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")

    def __str__(self):
        return f"{self.employee} {self.get_leave_type_display()} {self.start}–{self.end}"
