"""Payments made through other channels (WeChat 生活缴费, Alipay, bank 代扣/代收, 公众号),
reported through the API or a file, and settled like counter payments."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from staff.models import Hall

from .accounts import Account


class Channel(models.TextChoices):
    WECHAT = "wechat", _("WeChat 生活缴费")
    ALIPAY = "alipay", _("Alipay")
    BANK_DEBIT = "bank_debit", _("Bank direct debit (代扣)")
    BANK_COLLECTION = "bank_collection", _("Bank collection (代收)")
    OFFICIAL_ACCOUNT = "official_account", _("Company official account (公众号)")


class ChannelPayment(models.Model):
    """A payment made outside the counter, once per (channel, reference).

    Never deleted; the only change it takes is the hall lead's follow-up of a possible double
    payment (all of it settled nothing: the bills were already paid).
    """

    channel = models.CharField(_("channel"), max_length=24, choices=Channel.choices)
    reference = models.CharField(_("channel reference"), max_length=64)
    account = models.ForeignKey(
        Account,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="channel_payments",
    )
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    paid_at = models.DateTimeField(_("paid at"))
    received_at = models.DateTimeField(_("received at"))
    business_date = models.DateField(_("business date"))
    prepaid_used = models.DecimalField(
        _("prepaid used"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    prepaid_added = models.DecimalField(
        _("added to prepaid"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    # Where it came from: an API client, or a file imported by an office user.
    client = models.ForeignKey(
        "billing.ApiClient",
        verbose_name=_("client system"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="channel_payments",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    source_file = models.CharField(_("file"), max_length=200, blank=True)
    # Nothing was left to settle: the whole amount went to prepaid. The hall where the account
    # last paid at the counter follows it up (none: every lead sees it).
    possible_double = models.BooleanField(_("possible double payment"), default=False)
    follow_up_hall = models.ForeignKey(
        Hall,
        verbose_name=_("hall to follow up"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    followed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("followed up by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    followed_up_at = models.DateTimeField(_("followed up at"), null=True, blank=True)
    follow_up_note = models.CharField(_("follow-up note"), max_length=500, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "reference"], name="channel_payment_once_per_reference"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="channel_payment_channel_valid"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="channel_payment_positive"),
            models.CheckConstraint(
                condition=Q(prepaid_used__gte=0, prepaid_added__gte=0),
                name="channel_payment_prepaid_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(followed_up_by__isnull=True, followed_up_at__isnull=True)
                | Q(followed_up_by__isnull=False, followed_up_at__isnull=False),
                name="channel_payment_follow_up_whole",
            ),
        ]
        indexes = [
            models.Index(
                fields=["follow_up_hall", "received_at"],
                condition=Q(possible_double=True, followed_up_at__isnull=True),
                name="channel_double_to_follow",
            ),
        ]
        verbose_name = _("channel payment")
        verbose_name_plural = _("channel payments")

    def __str__(self):
        return f"{self.get_channel_display()} {self.reference} {self.amount}"
