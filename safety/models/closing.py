"""The after-closing check of a hall, once a day."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from staff.models import Employee, Hall


class ClosingCheck(models.Model):
    """The after-closing round of a hall on one day (下班时关闭电脑、空调,切断电源,关好门窗)."""

    ITEMS = [
        "computers_off",
        "air_conditioning_off",
        "power_off",
        "doors_windows_shut",
        "cash_in_safe",
    ]

    hall = models.ForeignKey(
        Hall, verbose_name=_("hall"), on_delete=models.PROTECT, related_name="closing_checks"
    )
    date = models.DateField(_("date"))
    computers_off = models.BooleanField(_("computers off"))
    air_conditioning_off = models.BooleanField(_("air conditioning off"))
    power_off = models.BooleanField(_("power switched off"))
    doors_windows_shut = models.BooleanField(_("doors and windows shut"))
    cash_in_safe = models.BooleanField(_("cash locked in the safe"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    checked_by = models.ForeignKey(
        Employee, verbose_name=_("checked by"), on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)

    class Meta:
        ordering = ["-date", "hall__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "date"], name="safety_closing_daily"),
        ]
        verbose_name = _("closing check")
        verbose_name_plural = _("closing checks")

    def __str__(self):
        return f"{self.hall} {self.date}"

    @property
    def all_done(self) -> bool:
        return all(getattr(self, item) for item in self.ITEMS)
