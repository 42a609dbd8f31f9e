"""The core's models: halls, departments, employees, the audit trail, the working calendar."""

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
    department's liaison. Roles are the user's groups (see `staff.core.roles.Role`).
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
    (`staff.core.audit.audit_record`), so a change without its entry cannot exist.
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


# --- The working calendar -------------------------------------------------------------------
# Moved from complaints (staff migration 0006, same rows): SLA clocks, attendance, 调休 and
# rosters all read it (`staff.core.calendar`).


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Holiday")
    MAKEUP_WORKDAY = "makeup", _("Make-up working day")


class WorkCalendarDay(models.Model):
    """A day that differs from the plain week: a public holiday or a make-up working day (调休).

    Every other Monday to Friday is a working day and every other Saturday and Sunday is not.
    """

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=64)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DayKind.values), name="workcalendarday_kind_valid"
            ),
        ]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name} ({self.get_kind_display()})"


class CalendarSource(models.TextChoices):
    PACKAGE = "chinesecalendar", _("chinesecalendar package")
    MANUAL = "manual", _("Entered by hand")


class WorkCalendarYear(models.Model):
    """A year whose holidays and make-up days are all entered. Without it the year is missing.

    Due dates never guess: a due date that would fall in a year without this row is
    "calendar missing" until the office or the director has entered and confirmed the year.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=16, choices=CalendarSource.choices)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), default=timezone.now)

    class Meta:
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2200), name="workcalendaryear_year_range"
            ),
        ]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self):
        return str(self.year)
