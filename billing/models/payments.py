"""Payments taken at the counter (收费), their reversals, and the part of each applied to a bill."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from staff.models import Hall

from ..money import fen
from .accounts import Account, Bill
from .invoices import InvoiceNumber


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    BANK_CARD = "bank_card", _("Bank card")
    WECHAT = "wechat", _("WeChat Pay")
    ALIPAY = "alipay", _("Alipay")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")


class PaymentKind(models.TextChoices):
    PAYMENT = "payment", _("Payment")
    REVERSAL = "reversal", _("Reversal")


class Payment(models.Model):
    """Money taken at the counter (收费), or the reversal entry of a voided one.

    Never edited or deleted. A reversal is a row of its own with negated amounts that points
    at the original, so a cashier's takings for a day are a plain sum over their rows.
    `amount` is the new money received; `prepaid_used` is the prepaid balance applied to
    bills and `prepaid_added` the overpayment kept as prepaid balance.
    """

    kind = models.CharField(
        _("kind"), max_length=16, choices=PaymentKind.choices, default=PaymentKind.PAYMENT
    )
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="payments"
    )
    hall = models.ForeignKey(
        Hall, verbose_name=_("hall"), on_delete=models.PROTECT, related_name="payments"
    )
    cashier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cashier"),
        on_delete=models.PROTECT,
        related_name="billing_payments",
    )
    business_date = models.DateField(_("business date"))
    method = models.CharField(_("method"), max_length=16, choices=PaymentMethod.choices)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    tendered = models.DecimalField(
        _("cash tendered"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    change = models.DecimalField(
        _("change"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    reference = models.CharField(_("reference number"), max_length=64, blank=True)
    prepaid_used = models.DecimalField(
        _("prepaid used"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    prepaid_added = models.DecimalField(
        _("added to prepaid"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    invoice = models.OneToOneField(
        InvoiceNumber,
        verbose_name=_("invoice"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payment",
    )
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversal",
    )
    # One-time token of the counter form: a resent form finds this payment instead of paying twice.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # 单笔收费1分钟办理完结: from the account's lookup at the counter to the post. Null when not
    # measured (reversals, payments not posted from a lookup of the same day).
    handling_time = models.DurationField(
        _("time from lookup to post"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=PaymentKind.values), name="payment_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(method__in=PaymentMethod.values), name="payment_method_valid"
            ),
            models.CheckConstraint(
                condition=Q(
                    kind=PaymentKind.PAYMENT,
                    amount__gt=0,
                    reverses__isnull=True,
                    invoice__isnull=False,
                    prepaid_used__gte=0,
                    prepaid_added__gte=0,
                )
                | Q(
                    kind=PaymentKind.REVERSAL,
                    amount__lt=0,
                    reverses__isnull=False,
                    invoice__isnull=True,
                    prepaid_used__lte=0,
                    prepaid_added__lte=0,
                ),
                name="payment_kind_shape",
            ),
            models.CheckConstraint(
                condition=~Q(kind=PaymentKind.PAYMENT, method=PaymentMethod.CASH)
                | Q(
                    Q(tendered__isnull=False, tendered__gte=F("amount")),
                    Exact(fen("change"), fen("tendered") - fen("amount")),
                ),
                name="payment_cash_change",
            ),
            models.CheckConstraint(
                condition=~Q(kind=PaymentKind.PAYMENT, reference="") | Q(method=PaymentMethod.CASH),
                name="payment_noncash_reference",
            ),
            models.CheckConstraint(
                condition=Q(handling_time__isnull=True) | Q(handling_time__gte=timedelta(0)),
                name="payment_handling_time_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["hall", "business_date"], name="payment_hall_day"),
            models.Index(fields=["cashier", "business_date"], name="payment_cashier_day"),
        ]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self):
        return f"{self.get_kind_display()} {self.pk} {self.amount}"

    @property
    def is_reversal(self) -> bool:
        return self.kind == PaymentKind.REVERSAL


class PaymentLine(models.Model):
    """The part of a payment (or of its reversal, negated) applied to one bill."""

    payment = models.ForeignKey(
        Payment, verbose_name=_("payment"), on_delete=models.PROTECT, related_name="lines"
    )
    bill = models.ForeignKey(
        Bill, verbose_name=_("bill"), on_delete=models.PROTECT, related_name="payment_lines"
    )
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["payment", "bill__period"]
        constraints = [
            models.UniqueConstraint(fields=["payment", "bill"], name="payment_line_one_per_bill"),
            models.CheckConstraint(condition=~Q(amount=0), name="payment_line_not_zero"),
        ]
        verbose_name = _("payment line")
        verbose_name_plural = _("payment lines")

    def __str__(self):
        return f"{self.bill} {self.amount}"
