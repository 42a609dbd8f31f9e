"""Water customers' accounts (用户) and their bills (账单) from the meter-reading office."""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccountStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class Account(models.Model):
    """A water customer's account (用户), found at the counter by its account number (户号)."""

    account_no = models.CharField(_("account number"), max_length=32, unique=True)
    name = models.CharField(_("account name"), max_length=100, db_index=True)
    address = models.CharField(_("address"), max_length=200, blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=AccountStatus.choices, default=AccountStatus.ACTIVE
    )
    prepaid_balance = models.DecimalField(
        _("prepaid balance"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    # When the account came into this system (first imported); empty for accounts older than
    # the field. A channel payment paid before it is refused.
    created_at = models.DateTimeField(_("created at"), null=True, blank=True, default=timezone.now)

    class Meta:
        ordering = ["account_no"]
        constraints = [
            models.CheckConstraint(
                condition=Q(prepaid_balance__gte=0), name="account_prepaid_not_negative"
            ),
        ]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self):
        return f"{self.account_no} {self.name}"


class BillStatus(models.TextChoices):
    UNPAID = "unpaid", _("Unpaid")
    PARTLY_PAID = "partly_paid", _("Partly paid")
    PAID = "paid", _("Paid")


class Bill(models.Model):
    """One period's water bill (账单) of an account, imported from the meter-reading office."""

    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="bills"
    )
    period = models.CharField(_("period"), max_length=7, help_text="YYYY-MM")
    volume_m3 = models.DecimalField(_("water volume (m³)"), max_digits=10, decimal_places=2)
    amount_due = models.DecimalField(_("amount due"), max_digits=12, decimal_places=2)
    amount_paid = models.DecimalField(
        _("amount paid"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=BillStatus.choices, default=BillStatus.UNPAID
    )

    class Meta:
        ordering = ["account", "period"]
        constraints = [
            models.UniqueConstraint(fields=["account", "period"], name="bill_one_per_period"),
            models.CheckConstraint(condition=Q(amount_due__gte=0), name="bill_due_not_negative"),
            models.CheckConstraint(
                condition=Q(amount_paid__gte=0) & Q(amount_paid__lte=F("amount_due")),
                name="bill_paid_within_due",
            ),
            models.CheckConstraint(
                condition=Q(status__in=BillStatus.values), name="bill_status_valid"
            ),
        ]
        indexes = [
            models.Index(
                fields=["account", "period"],
                condition=~Q(status=BillStatus.PAID),
                name="bill_open_by_account",
            ),
        ]
        verbose_name = _("bill")
        verbose_name_plural = _("bills")

    def __str__(self):
        return f"{self.account.account_no} {self.period}"

    @property
    def amount_open(self) -> Decimal:
        return self.amount_due - self.amount_paid
