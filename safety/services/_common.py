"""Helpers shared by the safety services."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..models import (
    Incident,
    IncidentStatus,
    phone_validator,
)
from ..rules import handles_hall, is_director


def require_director(actor):
    if not is_director(actor):
        raise PermissionDenied


def require_handler(actor, hall_id):
    if not handles_hall(actor, hall_id):
        raise PermissionDenied


def local_time(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "Y-m-d H:i")


def check_phone(phone: str) -> str:
    phone = (phone or "").strip()
    try:
        phone_validator(phone)
    except ValidationError as exc:
        raise ValidationError(
            _(
                "“%(phone)s” is not a valid phone number: use digits only, e.g. 110, 2332770 or "
                "0724-2332770."
            )
            % {"phone": phone}
        ) from exc
    return phone


def lock_open_incident(incident: Incident) -> Incident:
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if locked.status == IncidentStatus.CLOSED:
        raise ValidationError(_("The incident is closed and can no longer be changed."))
    return locked
