import uuid
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Round
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from staff.models import Hall


def fen(field_name: str):
    """The money column `field_name` in whole fen, for constraints that do arithmetic.

    SQLite keeps decimals as floating point, so there 200 − 141.6 is 58.400000000000006, not
    the 58.4 stored as the change, and a plain `change = tendered - amount` fails about a
    third of odd-cent payments. Rounded to whole fen both sides are exact integers.
    Comparing two stored amounts needs no rounding (`amount_paid <= amount_due`): every
    decimal of up to 15 digits converts to the nearest double, and that conversion keeps order
    and equality. PostgreSQL's numeric is exact anyway; rounding it changes nothing.
    """
    return Round(F(field_name) * 100)


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


class BillImport(models.Model):
    """One accepted CSV file of bills from the meter-reading office (营抄中心)."""

    filename = models.CharField(_("file"), max_length=200, blank=True)
    encoding = models.CharField(_("encoding"), max_length=16)
    rows = models.PositiveIntegerField(_("rows"))
    accounts_created = models.PositiveIntegerField(_("accounts created"))
    accounts_updated = models.PositiveIntegerField(_("accounts updated"))
    bills_created = models.PositiveIntegerField(_("bills created"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("bill import")
        verbose_name_plural = _("bill imports")

    def __str__(self):
        return f"{self.filename or '-'} {self.imported_at:%Y-%m-%d %H:%M}"


class BillImportJobStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Waiting for confirmation")
    QUEUED = "queued", _("Queued")
    CHECKING = "checking", _("Checking the lines")
    WRITING = "writing", _("Writing the bills")
    IMPORTED = "imported", _("Imported")
    REJECTED = "rejected", _("Rejected")
    FAILED = "failed", _("Stopped by an error")
    DISCARDED = "discarded", _("Discarded")


def _job_upload_to(job, filename):
    # The name on disk is not the user's: it never reaches a path or a shell.
    return f"bill-imports/{timezone.localdate():%Y/%m}/{job.token}.csv"


class BillImportJob(models.Model):
    """A bills file uploaded through the web page, imported by a background job.

    The file waits on disk under MEDIA_ROOT (not in the database: 50 MB in a row would be read
    whole into the worker's memory, and would swell every backup) until the office confirms,
    the worker imports it, and is deleted when the job ends. MEDIA_ROOT is never served.
    """

    ACTIVE = (BillImportJobStatus.QUEUED, BillImportJobStatus.CHECKING, BillImportJobStatus.WRITING)
    FINISHED = (
        BillImportJobStatus.IMPORTED,
        BillImportJobStatus.REJECTED,
        BillImportJobStatus.FAILED,
        BillImportJobStatus.DISCARDED,
    )

    token = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    file = models.FileField(_("file"), upload_to=_job_upload_to, max_length=200, blank=True)
    filename = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    encoding = models.CharField(_("encoding"), max_length=16)
    lines = models.PositiveIntegerField(_("lines after the header"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=BillImportJobStatus.choices,
        default=BillImportJobStatus.UPLOADED,
    )
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("number of errors"), default=0)
    batch = models.OneToOneField(
        BillImport,
        verbose_name=_("import"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="job",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("bill import job")
        verbose_name_plural = _("bill import jobs")

    def __str__(self):
        return f"{self.filename} {self.uploaded_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def percent(self) -> int:
        """How far the current pass is, for the progress bar."""
        if not self.lines:
            return 0
        return min(100, self.rows_done * 100 // self.lines)


# --- Cash ledgers (现金台账) -----------------------------------------------------------------

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
