"""Emergency numbers: the national ones and each hall's."""

from django.db.models import QuerySet

from ..models import EmergencyContact


def national_contacts() -> QuerySet[EmergencyContact]:
    return EmergencyContact.objects.filter(hall=None)


def hall_contacts(halls) -> dict[int, list[EmergencyContact]]:
    """hall id -> its own numbers (one query)."""
    by_hall = {hall.pk: [] for hall in halls}
    for contact in EmergencyContact.objects.filter(hall__in=list(by_hall)):
        by_hall[contact.hall_id].append(contact)
    return by_hall
