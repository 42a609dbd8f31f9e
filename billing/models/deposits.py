"""Cash taken from a ledger to the bank (解款)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .ledger import CashLedger


class Deposit(models.Model):
    """Cash taken to the bank (解款) from one ledger, with its slip number and an escort."""

    ledger = models.ForeignKey(
        CashLedger, verbose_name=_("cash ledger"), on_delete=models.PROTECT, related_name="deposits"
    )
    bank = models.CharField(_("bank"), max_length=64)
    slip_no = models.CharField(_("slip number"), max_length=64)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    deposited_at = models.DateTimeField(_("time"))
    depositor = models.ForeignKey(
        "staff.Employee", verbose_name=_("depositor"), on_delete=models.PROTECT, related_name="+"
    )
    escort = models.ForeignKey(
        "staff.Employee", verbose_name=_("escort"), on_delete=models.PROTECT, related_name="+"
    )
    # What the deposit should have been: carried-in cash + cash taken before it − earlier ones.
    # Never shown to the cashier while the ledger is open (blind count): the cashier deposits
    # what they counted, and a difference is a variance the shift lead sees.
    expected_amount = models.DecimalField(_("should be"), max_digits=12, decimal_places=2)
    explanation = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["deposited_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="deposit_amount_positive"),
            models.CheckConstraint(
                condition=~Q(depositor=F("escort")), name="deposit_escort_not_depositor"
            ),
            models.UniqueConstraint(fields=["bank", "slip_no"], name="deposit_slip_unique"),
        ]
        verbose_name = _("deposit")
        verbose_name_plural = _("deposits")

    def __str__(self):
        return f"{self.bank} {self.slip_no} {self.amount}"

    @property
    def mismatch(self):
        return self.amount - self.expected_amount
