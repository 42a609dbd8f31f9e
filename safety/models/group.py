"""The safety (and emergency) leadership group and the halls' safety officers."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from staff.models import Employee, Hall


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
