"""Attendance: each person's clock times per day, and the office's monthly report."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .core import Employee, Hall


class AttendanceRecord(models.Model):
    """One person's clock-in and clock-out for one day, as the server saw them."""

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="attendance"
    )
    hall = models.ForeignKey(
        Hall, verbose_name=_("hall"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    clock_in = models.DateTimeField(_("clock-in"), null=True, blank=True)
    clock_out = models.DateTimeField(_("clock-out"), null=True, blank=True)
    clock_in_address = models.GenericIPAddressField(
        _("clock-in workstation"), null=True, blank=True
    )
    clock_out_address = models.GenericIPAddressField(
        _("clock-out workstation"), null=True, blank=True
    )
    corrected = models.BooleanField(_("corrected"), default=False)

    class Meta:
        ordering = ["date", "employee"]
        indexes = [models.Index(fields=["hall", "date"])]
        constraints = [
            models.UniqueConstraint(fields=["employee", "date"], name="attendance_once_per_day"),
            models.CheckConstraint(
                condition=Q(clock_out__isnull=True)
                | (Q(clock_in__isnull=False) & Q(clock_out__gt=models.F("clock_in"))),
                name="clock_out_after_clock_in",
            ),
        ]
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")

    def __str__(self):
        return f"{self.employee} {self.date}"


class AttendanceReport(models.Model):
    """The office reported a hall's month: it is locked, and `snapshot` keeps what was reported.

    `snapshot` maps employee id to the day codes and totals as reported, so a later correction
    (director only) shows as a change against it.
    """

    hall = models.ForeignKey(
        Hall, verbose_name=_("hall"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)
    snapshot = models.JSONField(_("as reported"), default=dict)

    class Meta:
        ordering = ["-month", "hall"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "month"], name="attendance_reported_once"),
            models.CheckConstraint(condition=Q(month__day=1), name="report_month_first_day"),
        ]
        verbose_name = _("attendance report")
        verbose_name_plural = _("attendance reports")

    def __str__(self):
        return f"{self.hall} {self.month:%Y-%m}"
