"""The monthly alarm drill of each hall, held in the month or just after it."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from staff.core.audit import audit_record
from staff.core.locks import lock_hall
from staff.models import Employee, Hall

from ..models import AlarmDrill, drill_grace_end, month_last_day
from ..rules import handles_hall


def drill_record(
    *,
    actor,
    hall: Hall,
    year: int,
    month: int,
    held_at: datetime,
    run_by: Employee,
    alarm_worked: bool,
    response_seconds: int,
    problems: str = "",
) -> AlarmDrill:
    """Record the month's alarm drill of a hall: once per month, held in it or just after."""
    if not handles_hall(actor, hall.pk):
        raise PermissionDenied
    if not 1 <= month <= 12:
        raise ValidationError(_("Choose a month from 1 to 12."))
    held_on = timezone.localtime(held_at).date()
    if held_at > timezone.now():
        raise ValidationError(_("A drill cannot be recorded before it was held."))
    if held_on < date(year, month, 1) or held_on > drill_grace_end(year, month):
        raise ValidationError(
            _("A drill for %(year)s-%(month)02d must be held between %(first)s and %(last)s.")
            % {
                "year": year,
                "month": month,
                "first": date(year, month, 1),
                "last": drill_grace_end(year, month),
            }
        )
    if response_seconds is None or response_seconds < 0:
        raise ValidationError(_("The response time cannot be negative."))
    if run_by.hall_id not in (hall.pk, None):
        raise ValidationError(_("The drill must be run by an employee of the hall."))
    duplicate = _("The drill of %(hall)s for %(year)s-%(month)02d is already recorded.") % {
        "hall": hall,
        "year": year,
        "month": month,
    }
    try:
        with transaction.atomic():
            lock_hall(hall.pk)
            if AlarmDrill.objects.filter(hall=hall, year=year, month=month).exists():
                raise ValidationError(duplicate)
            drill = AlarmDrill.objects.create(
                hall=hall,
                year=year,
                month=month,
                held_at=held_at,
                run_by=run_by,
                alarm_worked=alarm_worked,
                response_seconds=response_seconds,
                problems=problems.strip(),
                recorded_by=actor,
            )
            audit_record(
                actor=actor,
                action="safety.drill.record",
                obj=drill,
                summary=(
                    _("Alarm drill held late, at %(when)s")
                    if held_on > month_last_day(year, month)
                    else _("Alarm drill held at %(when)s")
                )
                % {"when": date_format(timezone.localtime(held_at), "Y-m-d H:i")},
                changes={
                    "held_at": held_at,
                    "alarm_worked": alarm_worked,
                    "response_seconds": response_seconds,
                },
            )
    except IntegrityError as exc:
        raise ValidationError(duplicate) from exc
    return drill
