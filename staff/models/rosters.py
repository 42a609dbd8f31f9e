"""Rosters: a hall's shift types, minimum staffing, each person's plan per day, publication.

Halls are open every day (无周休): every date is a working day for a hall, and each person's
rest days rotate on the roster.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .core import Employee, Hall
from .leave import LeaveType


class ShiftType(models.Model):
    """A shift of one hall, e.g. morning 08:00–12:00 or full day 08:00–17:30."""

    hall = models.ForeignKey(
        Hall, verbose_name=_("hall"), on_delete=models.PROTECT, related_name="shift_types"
    )
    code = models.CharField(
        _("code"), max_length=4, help_text=_("What is typed in a roster cell, e.g. 早.")
    )
    name = models.CharField(_("name"), max_length=32)
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["hall", "sort_order", "start", "code"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "code"], name="shift_type_code_per_hall"),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="shift_ends_after_start"
            ),
        ]
        verbose_name = _("shift type")
        verbose_name_plural = _("shift types")

    def __str__(self):
        return f"{self.name} {self.start:%H:%M}–{self.end:%H:%M}"

    def covers(self, other: "ShiftType") -> bool:
        """A person on this shift is present for the whole of `other` (full day covers morning)."""
        return self.start <= other.start and self.end >= other.end


class StaffingRole(models.TextChoices):
    """The roles a minimum staffing counts; each person counts once, under the first they hold."""

    SHIFT_LEAD = "shift_lead", _("Shift lead")
    LOBBY_MANAGER = "lobby_manager", _("Lobby manager")
    CASHIER = "cashier", _("Cashier")


class MinimumStaffing(models.Model):
    """At least `count` people of `role` on `shift_type` every day."""

    shift_type = models.ForeignKey(
        ShiftType,
        verbose_name=_("shift type"),
        on_delete=models.CASCADE,
        related_name="minimums",
    )
    role = models.CharField(_("role"), max_length=32, choices=StaffingRole.choices)
    count = models.PositiveSmallIntegerField(_("at least"))

    class Meta:
        ordering = ["shift_type", "role"]
        constraints = [
            models.UniqueConstraint(fields=["shift_type", "role"], name="minimum_per_shift_role"),
            models.CheckConstraint(condition=Q(count__gte=1), name="minimum_at_least_one"),
        ]
        verbose_name = _("minimum staffing")
        verbose_name_plural = _("minimum staffing")

    def __str__(self):
        return f"{self.shift_type.name} {self.get_role_display()} ≥ {self.count}"


class RosterKind(models.TextChoices):
    SHIFT = "shift", _("Shift")
    REST = "rest", _("Rest day")
    LEAVE = "leave", _("Leave")


class RosterEntry(models.Model):
    """One person's plan for one day: one or more shifts, or a rest day, or leave."""

    hall = models.ForeignKey(
        Hall, verbose_name=_("hall"), on_delete=models.PROTECT, related_name="roster_entries"
    )
    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="roster_entries",
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=8, choices=RosterKind.choices)
    shift_type = models.ForeignKey(
        ShiftType,
        verbose_name=_("shift type"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
    )
    leave_type = models.CharField(
        _("leave type"), max_length=16, choices=LeaveType.choices, blank=True
    )

    class Meta:
        ordering = ["date", "employee", "shift_type__start"]
        indexes = [models.Index(fields=["hall", "date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "date", "shift_type"],
                condition=Q(kind="shift"),
                name="roster_shift_once_per_day",
            ),
            models.UniqueConstraint(
                fields=["employee", "date"],
                condition=~Q(kind="shift"),
                name="roster_one_rest_or_leave_per_day",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="shift", shift_type__isnull=False, leave_type="")
                    | Q(kind="rest", shift_type__isnull=True, leave_type="")
                    | (Q(kind="leave", shift_type__isnull=True) & ~Q(leave_type=""))
                ),
                name="roster_kind_fields_match",
            ),
        ]
        verbose_name = _("roster entry")
        verbose_name_plural = _("roster entries")

    def __str__(self):
        what = self.shift_type.name if self.shift_type_id else self.get_kind_display()
        return f"{self.employee} {self.date} {what}"


class RosterPublication(models.Model):
    """A hall's roster for one day is published: its people see their shifts from then on.

    `snapshot` keeps the cells as published, so later edits show as changes against it and
    reach the people only when the day is re-published (`published_at` is the latest time).
    """

    hall = models.ForeignKey(
        Hall, verbose_name=_("hall"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    snapshot = models.JSONField(
        _("as published"),
        default=dict,
        blank=True,
        help_text=_("Each person's cell as published: employee id to code, e.g. 早+午."),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hall", "date"], name="roster_published_once_per_day")
        ]
        verbose_name = _("roster publication")
        verbose_name_plural = _("roster publications")

    def __str__(self):
        return f"{self.hall} {self.date}"


# --- How a roster cell is typed ------------------------------------------------------------
# A roster cell is typed as codes: a shift type's code (e.g. 早), several joined by "+"
# (早+晚), 休 for a rest day, or a leave code (事 病 年 调 婚 丧 产 假).

REST_CODE = "休"
LEAVE_CODES = {
    LeaveType.PERSONAL: "事",
    LeaveType.SICK: "病",
    LeaveType.ANNUAL: "年",
    LeaveType.COMPENSATORY: "调",
    LeaveType.MARRIAGE: "婚",
    LeaveType.BEREAVEMENT: "丧",
    LeaveType.MATERNITY: "产",
    LeaveType.OTHER: "假",
}
LEAVE_BY_CODE = {code: leave for leave, code in LEAVE_CODES.items()}
RESERVED_CODES = {REST_CODE, *LEAVE_BY_CODE}


def cell_code(entries) -> str:
    """The text of a cell from its entries (shift codes in start order)."""
    if not entries:
        return ""
    first = entries[0]
    if first.kind == RosterKind.REST:
        return REST_CODE
    if first.kind == RosterKind.LEAVE:
        return LEAVE_CODES.get(first.leave_type, "假")
    return "+".join(e.shift_type.code for e in sorted(entries, key=lambda e: e.shift_type.start))
