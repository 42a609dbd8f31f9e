"""Movements (资金变动): every change of money on an account, in the order it was committed.

The company's billing system (营收系统) reads them by sequence number through the API and the
daily batch files, so it can post each exactly once. A movement is written by the service that
changes the money (counter payment, reversal, channel payment, bill correction), in the same
transaction, and is never changed or deleted (billing migration 0010 on PostgreSQL).
"""

import uuid
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from staff.models import Hall

from .accounts import Account, Bill


class MovementKind(models.TextChoices):
    PAYMENT = "payment", _("Counter payment")
    REVERSAL = "reversal", _("Reversal")
    CHANNEL_PAYMENT = "channel_payment", _("Channel payment")
    CORRECTION = "correction", _("Bill correction")


class MovementSequence(models.Model):
    """The one row holding the last sequence number given to a movement.

    A movement takes its number with this row locked, as the last step of its transaction, so
    the lock is held until commit: numbers are given in commit order, and a reader that has
    seen number N has already seen every number below it (a cursor never skips a late commit).
    """

    last = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="movement_sequence_one_row")]

    def __str__(self):
        return str(self.last)


class Movement(models.Model):
    """A change of money on an account, with a stable public id and its sequence number."""

    seq = models.BigIntegerField(_("sequence number"), unique=True, editable=False)
    public_id = models.UUIDField(_("id"), unique=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=24, choices=MovementKind.choices)
    # No index of its own: movement_account_seq (account, seq) serves the account's history,
    # and the planner chose the single-column one (and a sort) over it.
    account = models.ForeignKey(
        Account,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="movements",
        db_index=False,
    )
    # The money that moved: new money received (negative for a reversal); for a correction,
    # the change of the amount due (new − old).
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    # Counter payments: billing.PaymentMethod; channel payments: billing.Channel.
    method = models.CharField(_("method"), max_length=24, blank=True)
    reference = models.CharField(_("reference number"), max_length=64, blank=True)
    # Prepaid balance added (+) or used (−) by this movement.
    prepaid_change = models.DecimalField(
        _("prepaid change"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    invoice_code = models.CharField(_("invoice code"), max_length=20, blank=True)
    invoice_number = models.CharField(_("invoice number"), max_length=20, blank=True)
    hall = models.ForeignKey(
        Hall,
        verbose_name=_("hall"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The cashier's employee number at the time (a channel payment or correction has none).
    cashier_employee_no = models.CharField(
        _("cashier's employee number"), max_length=32, blank=True
    )
    business_date = models.DateField(_("business date"))
    occurred_at = models.DateTimeField(_("time"))
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
    )
    payment = models.OneToOneField(
        "billing.Payment",
        verbose_name=_("payment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="movement",
    )
    channel_payment = models.OneToOneField(
        "billing.ChannelPayment",
        verbose_name=_("channel payment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="movement",
    )
    correction = models.OneToOneField(
        "billing.BillCorrection",
        verbose_name=_("bill correction"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="movement",
    )

    class Meta:
        ordering = ["seq"]
        constraints = [
            models.CheckConstraint(condition=Q(seq__gt=0), name="movement_seq_positive"),
            models.CheckConstraint(
                condition=Q(kind__in=MovementKind.values), name="movement_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=(MovementKind.PAYMENT, MovementKind.REVERSAL),
                    payment__isnull=False,
                    channel_payment__isnull=True,
                    correction__isnull=True,
                )
                | Q(
                    kind=MovementKind.CHANNEL_PAYMENT,
                    payment__isnull=True,
                    channel_payment__isnull=False,
                    correction__isnull=True,
                )
                | Q(
                    kind=MovementKind.CORRECTION,
                    payment__isnull=True,
                    channel_payment__isnull=True,
                    correction__isnull=False,
                ),
                name="movement_source_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(reverses__isnull=True) | Q(kind=MovementKind.REVERSAL),
                name="movement_only_reversal_reverses",
            ),
        ]
        indexes = [
            models.Index(fields=["account", "seq"], name="movement_account_seq"),
            models.Index(fields=["business_date", "seq"], name="movement_day_seq"),
        ]
        verbose_name = _("movement")
        verbose_name_plural = _("movements")

    def __str__(self):
        return f"{self.seq} {self.get_kind_display()} {self.amount}"


class MovementLine(models.Model):
    """The part of a movement applied to one bill (period): the change of its amount paid."""

    # Indexed by movement_line_one_per_bill (movement, bill).
    movement = models.ForeignKey(
        Movement,
        verbose_name=_("movement"),
        on_delete=models.PROTECT,
        related_name="lines",
        db_index=False,
    )
    bill = models.ForeignKey(
        Bill, verbose_name=_("bill"), on_delete=models.PROTECT, related_name="movement_lines"
    )
    period = models.CharField(_("period"), max_length=7)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["movement", "period"]
        constraints = [
            models.UniqueConstraint(fields=["movement", "bill"], name="movement_line_one_per_bill"),
        ]
        verbose_name = _("movement line")
        verbose_name_plural = _("movement lines")

    def __str__(self):
        return f"{self.period} {self.amount}"
