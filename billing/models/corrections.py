"""Corrections (更正) of a bill already imported: the meter-reading office's new amount due."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .accounts import Bill


class BillCorrection(models.Model):
    """One bill's amount due changed from `old_amount_due` to `new_amount_due`.

    On a paid or partly paid bill a lower amount than already paid sends the difference to
    prepaid (`prepaid_added`); a higher one makes the difference due again. Never changed.
    """

    bill = models.ForeignKey(
        Bill, verbose_name=_("bill"), on_delete=models.PROTECT, related_name="corrections"
    )
    old_amount_due = models.DecimalField(_("old amount due"), max_digits=12, decimal_places=2)
    new_amount_due = models.DecimalField(_("new amount due"), max_digits=12, decimal_places=2)
    old_amount_paid = models.DecimalField(_("amount paid before"), max_digits=12, decimal_places=2)
    new_amount_paid = models.DecimalField(_("amount paid after"), max_digits=12, decimal_places=2)
    prepaid_added = models.DecimalField(
        _("added to prepaid"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    source_file = models.CharField(_("file"), max_length=200, blank=True)
    # Empty when the file came through `import_bills --corrections` (no signed-in user), as a
    # bills import by the command has no `imported_by`.
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("corrected by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    corrected_at = models.DateTimeField(_("corrected at"))

    class Meta:
        ordering = ["-corrected_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_amount_due__gte=0, old_amount_due__gte=0),
                name="bill_correction_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(prepaid_added__gte=0), name="bill_correction_prepaid_not_negative"
            ),
        ]
        verbose_name = _("bill correction")
        verbose_name_plural = _("bill corrections")

    def __str__(self):
        return f"{self.bill} {self.old_amount_due} → {self.new_amount_due}"
