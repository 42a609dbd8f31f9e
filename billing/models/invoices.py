"""Paper invoice stock (发票): ranges requisitioned by cashiers and every number used from them."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from staff.models import Hall


class InvoiceRangeStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("invoice range", "In use")
    CLOSED = "closed", pgettext_lazy("invoice range", "Closed")


# Paper invoice numbers are printed with eight digits.
INVOICE_NUMBER_WIDTH = 8


class InvoiceRange(models.Model):
    """A numbered range of paper invoices requisitioned by one cashier (发票领用).

    Numbers below `next_no` have an `InvoiceNumber` row (issued or voided); numbers from
    `returned_from` to `last_no` went back to stock when the range was closed. Together they
    account for every number of the range exactly once.
    """

    cashier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cashier"),
        on_delete=models.PROTECT,
        related_name="invoice_ranges",
    )
    hall = models.ForeignKey(
        Hall, verbose_name=_("hall"), on_delete=models.PROTECT, related_name="invoice_ranges"
    )
    invoice_code = models.CharField(_("invoice code"), max_length=20)
    first_no = models.PositiveIntegerField(_("first number"))
    last_no = models.PositiveIntegerField(_("last number"))
    next_no = models.PositiveIntegerField(_("next number"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=InvoiceRangeStatus.choices,
        default=InvoiceRangeStatus.ACTIVE,
    )
    returned_from = models.PositiveIntegerField(_("returned from"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    closed_at = models.DateTimeField(
        pgettext_lazy("invoice range", "closed at"), null=True, blank=True
    )

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_no__lte=F("last_no")), name="invoice_range_first_before_last"
            ),
            models.CheckConstraint(
                condition=Q(next_no__gte=F("first_no")) & Q(next_no__lte=F("last_no") + 1),
                name="invoice_range_next_within",
            ),
            models.CheckConstraint(
                condition=Q(status__in=InvoiceRangeStatus.values),
                name="invoice_range_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status=InvoiceRangeStatus.ACTIVE, returned_from__isnull=True)
                | Q(status=InvoiceRangeStatus.CLOSED, returned_from=F("next_no")),
                name="invoice_range_returned_when_closed",
            ),
            models.UniqueConstraint(
                fields=["cashier"],
                condition=Q(status=InvoiceRangeStatus.ACTIVE),
                name="invoice_range_one_active_per_cashier",
            ),
        ]
        verbose_name = _("invoice range")
        verbose_name_plural = _("invoice ranges")

    def __str__(self):
        return f"{self.invoice_code} {self.format_no(self.first_no)}–{self.format_no(self.last_no)}"

    @staticmethod
    def format_no(number: int) -> str:
        return f"{number:0{INVOICE_NUMBER_WIDTH}d}"

    @property
    def size(self) -> int:
        return self.last_no - self.first_no + 1

    @property
    def remaining(self) -> int:
        """Numbers still available for payments (none once the range is closed)."""
        if self.status != InvoiceRangeStatus.ACTIVE:
            return 0
        return self.last_no - self.next_no + 1

    @property
    def returned_count(self) -> int:
        if self.returned_from is None:
            return 0
        return self.last_no - self.returned_from + 1


class InvoiceNumberStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    VOIDED = "voided", _("Voided")


class InvoiceNumber(models.Model):
    """One used invoice number: issued with a payment, or voided (spoiled paper, voided payment)."""

    range = models.ForeignKey(
        InvoiceRange,
        verbose_name=_("invoice range"),
        on_delete=models.PROTECT,
        related_name="numbers",
    )
    invoice_code = models.CharField(_("invoice code"), max_length=20)
    number = models.PositiveIntegerField(_("invoice number"))
    status = models.CharField(_("status"), max_length=16, choices=InvoiceNumberStatus.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["range", "number"]
        constraints = [
            # No number is ever used twice, whatever range it was issued from.
            models.UniqueConstraint(
                fields=["invoice_code", "number"], name="invoice_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=InvoiceNumberStatus.values),
                name="invoice_number_status_valid",
            ),
        ]
        verbose_name = _("invoice number")
        verbose_name_plural = _("invoice numbers")

    def __str__(self):
        return self.display

    @property
    def display(self) -> str:
        return f"{self.invoice_code}-{InvoiceRange.format_no(self.number)}"
