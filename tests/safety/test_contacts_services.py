"""Emergency contacts: the numbers of the regulations and the director's changes."""

import pytest
from django.core.exceptions import PermissionDenied

from safety import services
from safety.contacts_data import seed_contacts
from safety.models import EmergencyContact
from staff.models import AuditEntry, Hall
from tests.safety.conftest import refused_with


def test_seed_adds_police_stations_only_for_existing_halls(world):
    EmergencyContact.objects.all().delete()
    seed_contacts(EmergencyContact, Hall)
    seed_contacts(EmergencyContact, Hall)

    national = EmergencyContact.objects.filter(hall=None)
    assert sorted(national.values_list("phone", flat=True)) == ["110", "119", "120", "122"]
    stations = dict(EmergencyContact.objects.exclude(hall=None).values_list("name", "phone"))
    # The test world has longquan and quankou, not duodao.
    assert stations == {"龙泉派出所": "2332770", "泉口派出所": "2332878"}


def test_director_adds_a_contact(world):
    contact = services.contact_save(
        actor=world.director, hall=world.hall_a, kind="other", name="物业值班", phone="0724-2332999"
    )
    assert contact.phone == "0724-2332999"
    assert AuditEntry.objects.filter(action="safety.contact.create").count() == 1


@pytest.mark.parametrize("phone", ["23327 70", "abc", "12", "0724--233", ""])
def test_malformed_phone_is_refused_and_nothing_changes(world, phone):
    contact = services.contact_save(
        actor=world.director, hall=world.hall_a, kind="other", name="物业值班", phone="2332999"
    )
    with refused_with(
        f"“{phone}”不是有效的电话号码：只能填数字，例如 110、2332770 或 0724-2332770。"
    ):
        services.contact_save(
            actor=world.director,
            contact=contact,
            hall=world.hall_a,
            kind="other",
            name="物业",
            phone=phone,
        )
    contact.refresh_from_db()
    assert (contact.name, contact.phone) == ("物业值班", "2332999")


def test_only_the_director_edits_contacts(world):
    with pytest.raises(PermissionDenied):
        services.contact_save(
            actor=world.shift_lead, hall=world.hall_a, kind="other", name="x", phone="110"
        )
