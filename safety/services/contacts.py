"""Emergency contacts: the director keeps the numbers everyone must know."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from staff.core.audit import audit_record

from ..models import ContactKind, EmergencyContact, phone_validator
from ..rules import may_edit_contacts


def check_phone(phone: str) -> str:
    """The phone number stripped, or a refusal that shows what a valid one looks like."""
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


def contact_save(
    *, actor, contact=None, hall=None, kind, name, phone, sort_order=0
) -> EmergencyContact:
    """Create or change an emergency number; only the director edits them."""
    if not may_edit_contacts(actor):
        raise PermissionDenied
    phone = check_phone(phone)
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Give the name of the contact."))
    if kind not in ContactKind.values:
        raise ValidationError(_("Choose the kind of contact."))
    duplicates = EmergencyContact.objects.filter(hall=hall, name=name)
    if contact is not None:
        duplicates = duplicates.exclude(pk=contact.pk)
    if duplicates.exists():
        raise ValidationError(
            _("There is already a contact named “%(name)s” here.") % {"name": name}
        )
    try:
        with transaction.atomic():
            contact = _contact_write(actor, contact, hall, kind, name, phone, sort_order)
    except IntegrityError as exc:
        raise ValidationError(
            _("There is already a contact named “%(name)s” here.") % {"name": name}
        ) from exc
    return contact


def _contact_write(actor, contact, hall, kind, name, phone, sort_order) -> EmergencyContact:
    """Inside the caller's transaction: create or update, then audit."""
    if contact is None:
        contact = EmergencyContact.objects.create(
            hall=hall, kind=kind, name=name, phone=phone, sort_order=sort_order
        )
        before, action = {}, "safety.contact.create"
    else:
        contact = EmergencyContact.objects.select_for_update().get(pk=contact.pk)
        before = {"name": contact.name, "phone": contact.phone, "kind": contact.kind}
        action = "safety.contact.update"
        contact.hall, contact.kind, contact.name = hall, kind, name
        contact.phone, contact.sort_order = phone, sort_order
        contact.save(update_fields=["hall", "kind", "name", "phone", "sort_order"])
    audit_record(
        actor=actor,
        action=action,
        obj=contact,
        summary=_("Emergency contact %(name)s: %(phone)s") % {"name": name, "phone": phone},
        changes={"before": before, "name": name, "phone": phone, "kind": kind},
    )
    return contact


def contact_delete(*, actor, contact: EmergencyContact) -> None:
    if not may_edit_contacts(actor):
        raise PermissionDenied
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="safety.contact.delete",
            obj=contact,
            summary=_("Emergency contact removed: %(contact)s") % {"contact": contact},
            changes={"name": contact.name, "phone": contact.phone},
        )
        contact.delete()
