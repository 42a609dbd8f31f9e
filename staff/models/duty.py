"""Daily duty (值日) of a hall."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .core import Employee, Hall


class DutyKind(models.TextChoices):
    CLEANING = "cleaning", _("Cleaning duty")
    SAFETY = "safety", _("Safety duty")


class DutyAssignment(models.Model):
    """Who has a hall's cleaning or safety duty (卫生值日 / 安全值日) on a day; whether done."""

    hall = models.ForeignKey(
        Hall, verbose_name=_("hall"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("duty"), max_length=16, choices=DutyKind.choices)
    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="duties"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        ordering = ["date", "hall", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "date", "kind"], name="duty_once_per_hall_day"),
        ]
        verbose_name = _("duty assignment")
        verbose_name_plural = _("duty assignments")

    def __str__(self):
        return f"{self.hall} {self.date} {self.get_kind_display()} {self.employee}"
