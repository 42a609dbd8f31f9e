"""The cashier's daily cash ledger (现金台账)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from staff.models import Hall

from ..money import fen

# The denominations counted at the blind close, in yuan; coins are counted as one total.
DENOMINATIONS = ("100", "50", "20", "10", "5", "1", "0.5", "0.1")


class LedgerState(models.TextChoices):
    OPEN = "open", pgettext_lazy("ledger", "Open")
    SUBMITTED = "submitted", pgettext_lazy("ledger", "Submitted")
    VERIFIED = "verified", pgettext_lazy("ledger", "Verified")


class CashLedger(models.Model):
    """One cashier's daily cash ledger (现金台账) in one hall.

    Takings are never typed: they are sums over the cashier's payments and reversals of the
    day. `carried_in` is the previous ledger's cash carried out (taken after its last deposit),
    fixed when this ledger opens; `opening_float` (备用金) is the change money handed over that
    morning, fixed on this ledger so a later change of the default float never shows up as a
    loss or gain on a past day. The totals below the count are frozen at the blind close.
    """

    hall = models.ForeignKey(
        Hall, verbose_name=_("hall"), on_delete=models.PROTECT, related_name="cash_ledgers"
    )
    cashier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cashier"),
        on_delete=models.PROTECT,
        related_name="cash_ledgers",
    )
    business_date = models.DateField(_("business date"))
    state = models.CharField(
        _("state"), max_length=16, choices=LedgerState.choices, default=LedgerState.OPEN
    )
    opening_float = models.DecimalField(_("opening float"), max_digits=12, decimal_places=2)
    carried_in = models.DecimalField(
        _("cash carried in"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    # The blind count, by denomination (number of notes) plus the coins' total.
    count_100 = models.PositiveIntegerField(default=0)
    count_50 = models.PositiveIntegerField(default=0)
    count_20 = models.PositiveIntegerField(default=0)
    count_10 = models.PositiveIntegerField(default=0)
    count_5 = models.PositiveIntegerField(default=0)
    count_1 = models.PositiveIntegerField(default=0)
    count_0_5 = models.PositiveIntegerField(default=0)
    count_0_1 = models.PositiveIntegerField(default=0)
    coins_total = models.DecimalField(
        _("coins total"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    counted_cash = models.DecimalField(
        _("counted cash"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    # Frozen at submission.
    cash_takings = models.DecimalField(
        _("cash takings"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    deposited = models.DecimalField(
        _("deposited"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    carried_out = models.DecimalField(
        _("cash carried out"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    expected_cash = models.DecimalField(
        _("expected cash"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    variance = models.DecimalField(
        _("variance"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # The regulation: "每日收费资金必须在下班前入账". A day closed with cash to deposit and no
    # deposit says why, for the shift lead.
    no_deposit_reason = models.CharField(_("reason for no deposit"), max_length=500, blank=True)
    variance_note = models.CharField(_("explanation of the variance"), max_length=500, blank=True)
    # The shift lead's verification.
    recounted_cash = models.DecimalField(
        _("recounted cash"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    verify_note = models.CharField(_("decision on the variance"), max_length=500, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    class Meta:
        ordering = ["-business_date", "hall", "cashier"]
        constraints = [
            models.UniqueConstraint(
                fields=["cashier", "business_date", "hall"], name="ledger_one_per_cashier_day"
            ),
            models.CheckConstraint(
                condition=Q(state__in=LedgerState.values), name="ledger_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(opening_float__gte=0) & Q(carried_in__gte=0) & Q(coins_total__gte=0),
                name="ledger_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(state=LedgerState.OPEN)
                | Q(
                    Q(
                        counted_cash__isnull=False,
                        expected_cash__isnull=False,
                        submitted_at__isnull=False,
                    ),
                    Exact(fen("variance"), fen("counted_cash") - fen("expected_cash")),
                ),
                name="ledger_counted_when_submitted",
            ),
            models.CheckConstraint(
                condition=~Q(state=LedgerState.VERIFIED)
                | Q(verified_by__isnull=False, verified_at__isnull=False),
                name="ledger_signed_when_verified",
            ),
        ]
        indexes = [
            models.Index(fields=["hall", "business_date"], name="ledger_hall_day"),
            models.Index(fields=["state", "business_date"], name="ledger_state_day"),
        ]
        verbose_name = _("cash ledger")
        verbose_name_plural = _("cash ledgers")

    def __str__(self):
        return f"{self.business_date} {self.cashier}"

    @property
    def is_open(self) -> bool:
        return self.state == LedgerState.OPEN

    @property
    def is_verified(self) -> bool:
        return self.state == LedgerState.VERIFIED

    @property
    def final_variance(self):
        """The variance that stands: against the lead's recount when there is one."""
        if self.expected_cash is None:
            return None
        if self.recounted_cash is not None:
            return self.recounted_cash - self.expected_cash
        return self.variance

    def count_rows(self):
        """(denomination, number, value) of the blind count, in DENOMINATIONS order."""
        return [
            (denomination, number, Decimal(denomination) * number)
            for denomination, number in zip(DENOMINATIONS, self.counts(), strict=True)
        ]

    def counts(self) -> list[int]:
        return [getattr(self, count_field(d)) for d in DENOMINATIONS]


def count_field(denomination: str) -> str:
    return "count_" + denomination.replace(".", "_")
