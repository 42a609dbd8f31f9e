"""The monthly alarm drill of each hall, and the calendar of its window and grace days."""

import calendar
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from staff.models import Employee, Hall


class AlarmDrill(models.Model):
    """The month's alarm drill of a hall (各大厅每月月底要进行一次报警操作演练)."""

    hall = models.ForeignKey(
        Hall, verbose_name=_("hall"), on_delete=models.PROTECT, related_name="alarm_drills"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    held_at = models.DateTimeField(_("held at"))
    run_by = models.ForeignKey(
        Employee, verbose_name=_("run by"), on_delete=models.PROTECT, related_name="+"
    )
    alarm_worked = models.BooleanField(_("alarm worked at every point"))
    response_seconds = models.PositiveIntegerField(_("response time (seconds)"))
    problems = models.TextField(_("problems found"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-year", "-month", "hall__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "year", "month"], name="safety_drill_monthly"),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="safety_drill_month_valid"
            ),
        ]
        verbose_name = _("alarm drill")
        verbose_name_plural = _("alarm drills")

    def __str__(self):
        return f"{self.hall} {self.year}-{self.month:02d}"

    @property
    def problem_lines(self) -> list[str]:
        return [line.strip() for line in self.problems.splitlines() if line.strip()]


def month_last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def drill_window_start(year: int, month: int) -> date:
    """First day of the month's drill window: the last SAFETY_DRILL_WINDOW_DAYS days."""
    return month_last_day(year, month) - timedelta(days=settings.SAFETY_DRILL_WINDOW_DAYS - 1)


def drill_grace_end(year: int, month: int) -> date:
    """Last day a drill may still be recorded for the month (as late)."""
    return month_last_day(year, month) + timedelta(days=settings.SAFETY_DRILL_GRACE_DAYS)


# Status of a hall's drill for a month, as the yearly table and the overview show it.
DONE, LATE, MISSED, DUE, OVERDUE, UPCOMING = "done", "late", "missed", "due", "overdue", "upcoming"


def drill_status(year: int, month: int, held_on: date | None, today: date) -> str:
    """done: held in the month; late: held in the grace days after it; missed: none by then.

    Without a drill yet: "due" inside the month's window, "overdue" during the grace days,
    "upcoming" before the window.
    """
    last = month_last_day(year, month)
    if held_on is not None:
        return DONE if held_on <= last else LATE
    if today > drill_grace_end(year, month):
        return MISSED
    if today > last:
        return OVERDUE
    if today >= drill_window_start(year, month):
        return DUE
    return UPCOMING
