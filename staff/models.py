from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Hall(models.Model):
    """A customer hall (营业厅) of the payment center, open every day of the week."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64, unique=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("hall")
        verbose_name_plural = _("halls")

    def __str__(self):
        return self.name


class Department(models.Model):
    """A department of the water company that takes forwarded first-contact tickets."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64, unique=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return self.name


class Employee(models.Model):
    """The person behind a login: name, number, phone and where they work.

    `hall` is empty for center-wide staff (director, office); `department` is set for a
    department's liaison. Roles are the user's groups (see `staff.roles.Role`).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="employee"
    )
    name = models.CharField(_("name"), max_length=64)
    employee_no = models.CharField(_("employee number"), max_length=32, unique=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    hall = models.ForeignKey(
        Hall,
        verbose_name=_("hall"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employees",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="liaisons",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["employee_no"]
        verbose_name = _("employee")
        verbose_name_plural = _("employees")

    def __str__(self):
        return self.name


class AuditEntry(models.Model):
    """One recorded change: who did what to which object, and when.

    Written by the services of every app in the same transaction as the change itself
    (`staff.audit.audit_record`), so a change without its entry cannot exist.
    """

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=64)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("object"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class PenaltyKind(models.TextChoices):
    RESPONSIBLE_COMPLAINT = "responsible_complaint", _("Responsible complaint")
    DEPARTMENT_NOTICE = "department_notice", _("Inspection notice from the department")
    COMPANY_NOTICE = "company_notice", _("Inspection notice from the company")
    CITY_NOTICE = "city_notice", _("Notice from the city housing authority")
    OTHER = "other", _("Other")


class Penalty(models.Model):
    """A deduction (扣款) from an employee's pay, counted per calendar year for the bonus rules."""

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="penalties"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=PenaltyKind.choices)
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), max_digits=9, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=500)
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("Where it comes from, e.g. the ticket or the notice number."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=Decimal("0")), name="penalty_amount_not_negative"
            ),
        ]
        verbose_name = _("penalty")
        verbose_name_plural = _("penalties")

    def __str__(self):
        return f"{self.employee} {self.get_kind_display()} {self.amount}"


# --- Rosters, leave, attendance and duty ---------------------------------------------------
# Halls are open every day (无周休): every date is a working day for a hall, and each person's
# rest days rotate on the roster.


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


class LeaveType(models.TextChoices):
    PERSONAL = "personal", _("Personal leave")
    SICK = "sick", _("Sick leave")
    ANNUAL = "annual", _("Annual leave")
    COMPENSATORY = "compensatory", _("Compensatory leave")
    MARRIAGE = "marriage", _("Marriage leave")
    BEREAVEMENT = "bereavement", _("Bereavement leave")
    MATERNITY = "maternity", _("Maternity leave")
    OTHER = "other", _("Other leave")


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


class LeaveStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")
    REVOKED = "revoked", _("Withdrawn after approval")


class LeaveRequest(models.Model):
    """A request for leave over whole days, decided by the shift lead (or director)."""

    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="leave_requests",
    )
    leave_type = models.CharField(_("leave type"), max_length=16, choices=LeaveType.choices)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=LeaveStatus.choices, default=LeaveStatus.PENDING
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=500, blank=True)
    override_reason = models.CharField(
        _("reason for going below minimum staffing"), max_length=500, blank=True
    )

    class Meta:
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="leave_end_not_before_start"
            ),
        ]
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")

    def __str__(self):
        return f"{self.employee} {self.get_leave_type_display()} {self.start}–{self.end}"


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


class DutyKind(models.TextChoices):
    CLEANING = "cleaning", _("Cleaning duty")
    SAFETY = "safety", _("Safety duty")


class DutyAssignment(models.Model):
    """Who has a hall's cleaning or safety duty (卫生值日 / 安全值日) on a day; whether done."""

    hall = models.ForeignKey(
        Hall, verbose_name=_("hall"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("duty"), max_length=16, choices=DutyKind.choices)
    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="duties"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        ordering = ["date", "hall", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "date", "kind"], name="duty_once_per_hall_day"),
        ]
        verbose_name = _("duty assignment")
        verbose_name_plural = _("duty assignments")

    def __str__(self):
        return f"{self.hall} {self.date} {self.get_kind_display()} {self.employee}"
