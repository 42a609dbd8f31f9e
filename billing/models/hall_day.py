"""A hall's business day (营业日): the shift lead's signature and the terminal settlement totals."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from staff.models import Hall

from .payments import PaymentMethod


class HallDay(models.Model):
    """A hall's business day (营业日), signed by its shift lead once every ledger is verified."""

    hall = models.ForeignKey(
        Hall, verbose_name=_("hall"), on_delete=models.PROTECT, related_name="hall_days"
    )
    business_date = models.DateField(_("business date"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    sign_note = models.CharField(_("note"), max_length=500, blank=True)
    # Signed while a card, WeChat or Alipay settlement total was not entered (缺少): why.
    missing_settlement_reason = models.CharField(
        _("reason for missing settlements"), max_length=500, blank=True
    )

    class Meta:
        ordering = ["-business_date", "hall"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "business_date"], name="hall_day_unique"),
            models.CheckConstraint(
                condition=Q(signed_by__isnull=True, signed_at__isnull=True)
                | Q(signed_by__isnull=False, signed_at__isnull=False),
                name="hall_day_signature_whole",
            ),
        ]
        verbose_name = _("hall day")
        verbose_name_plural = _("hall days")

    def __str__(self):
        return f"{self.hall} {self.business_date}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


# Methods whose terminal or statement totals are checked against the hall's takings.
SETTLED_METHODS = ("bank_card", "wechat", "alipay")


class TerminalSettlement(models.Model):
    """A settlement total of one non-cash channel for a hall day (card batch, WeChat, Alipay)."""

    hall_day = models.ForeignKey(
        HallDay, verbose_name=_("hall day"), on_delete=models.PROTECT, related_name="settlements"
    )
    method = models.CharField(_("method"), max_length=16, choices=PaymentMethod.choices)
    amount = models.DecimalField(_("settlement total"), max_digits=12, decimal_places=2)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)

    class Meta:
        ordering = ["hall_day", "method"]
        constraints = [
            models.UniqueConstraint(
                fields=["hall_day", "method"], name="settlement_one_per_method"
            ),
            models.CheckConstraint(
                condition=Q(method__in=SETTLED_METHODS), name="settlement_method_settled"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="settlement_not_negative"),
        ]
        verbose_name = _("terminal settlement")
        verbose_name_plural = _("terminal settlements")

    def __str__(self):
        return f"{self.hall_day} {self.get_method_display()} {self.amount}"
