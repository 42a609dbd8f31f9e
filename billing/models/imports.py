"""Bills files imported from the meter-reading office, and the background jobs importing uploads."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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


class ImportKind(models.TextChoices):
    """What a job imports: the same upload → preview → confirm → worker flow for each."""

    BILLS = "bills", _("New bills")
    CORRECTIONS = "corrections", _("Corrections (更正)")
    CHANNEL_PAYMENTS = "channel_payments", _("Channel payments")


def _job_upload_to(job, filename):
    # The name on disk is not the user's: it never reaches a path or a shell.
    return f"bill-imports/{timezone.localdate():%Y/%m}/{job.token}.csv"


class BillImportJob(models.Model):
    """A file uploaded through the web page, imported by a background job: a bills file, or
    (`kind`) a file of channel payments. The name stays from when it imported only bills.

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
    # New bills, corrections of bills already imported (billing.services.corrections), or
    # channel payments (billing.services.channels).
    kind = models.CharField(
        _("kind"), max_length=24, choices=ImportKind.choices, default=ImportKind.BILLS
    )
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
    # What a channel payments import did: new, already reported, possible doubles, total.
    result = models.JSONField(_("result"), default=dict, blank=True)
    batch = models.OneToOneField(
        BillImport,
        verbose_name=_("import"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="job",
    )
    # A corrections job's result (it writes no BillImport): bills corrected, rows whose amount
    # was already the file's (no-ops), and the first of those rows' messages.
    bills_corrected = models.PositiveIntegerField(_("bills corrected"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("rows unchanged"), default=0)
    notes = models.JSONField(_("notes"), default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        # None: queued by `import_channel_payments --background`, not through the page.
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self):
        return f"{self.filename} {self.uploaded_at:%Y-%m-%d %H:%M}"

    @property
    def is_corrections(self) -> bool:
        return self.kind == ImportKind.CORRECTIONS

    @property
    def status_label(self) -> str:
        """The status as the page shows it, in the words of what the job imports."""
        if self.kind == ImportKind.CHANNEL_PAYMENTS and self.status == BillImportJobStatus.WRITING:
            return _("Writing the payments")
        return self.get_status_display()

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def percent(self) -> int:
        """How far the current pass is, for the progress bar."""
        if not self.lines:
            return 0
        return min(100, self.rows_done * 100 // self.lines)
