"""Requests to void (作废) a payment, decided by the hall's shift lead."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .payments import Payment


class VoidStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class VoidRequest(models.Model):
    """A cashier's request to void (作废) a payment; the hall's shift lead decides it."""

    payment = models.ForeignKey(
        Payment, verbose_name=_("payment"), on_delete=models.PROTECT, related_name="void_requests"
    )
    reason = models.CharField(_("reason"), max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=16, choices=VoidStatus.choices, default=VoidStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=200, blank=True)
    reversal = models.OneToOneField(
        Payment,
        verbose_name=_("reversal"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="void_request",
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=VoidStatus.values), name="void_status_valid"
            ),
            models.UniqueConstraint(
                fields=["payment"],
                condition=Q(status__in=[VoidStatus.PENDING, VoidStatus.APPROVED]),
                name="void_one_open_per_payment",
            ),
            models.CheckConstraint(
                condition=~Q(status=VoidStatus.APPROVED) | Q(reversal__isnull=False),
                name="void_approved_has_reversal",
            ),
        ]
        verbose_name = _("void request")
        verbose_name_plural = _("void requests")

    def __str__(self):
        return f"{self.payment} {self.get_status_display()}"
