"""Penalties (扣款): deductions from an employee's pay, counted per year for the bonus rules."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .core import Employee


class PenaltyKind(models.TextChoices):
    RESPONSIBLE_COMPLAINT = "responsible_complaint", _("Responsible complaint")
    DEPARTMENT_NOTICE = "department_notice", _("Inspection notice from the department")
    COMPANY_NOTICE = "company_notice", _("Inspection notice from the company")
    CITY_NOTICE = "city_notice", _("Notice from the city housing authority")
    OTHER = "other", _("Other")


class Penalty(models.Model):
    """A deduction (扣款) from an employee's pay, counted per calendar year for the bonus rules."""

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="penalties"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=PenaltyKind.choices)
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), max_digits=9, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=500)
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("Where it comes from, e.g. the ticket or the notice number."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=Decimal("0")), name="penalty_amount_not_negative"
            ),
        ]
        verbose_name = _("penalty")
        verbose_name_plural = _("penalties")

    def __str__(self):
        return f"{self.employee} {self.get_kind_display()} {self.amount}"
