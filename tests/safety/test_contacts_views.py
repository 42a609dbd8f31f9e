"""The emergency contacts: the page everyone reaches from the header, the printable card,
the director's edits."""

import pytest
from django.urls import reverse

from safety.contacts_data import seed_contacts
from safety.models import EmergencyContact, SafetyGroupMember
from staff.models import Hall
from tests.access import STAFF
from tests.safety.conftest import form_errors


@pytest.fixture
def numbers(world):
    seed_contacts(EmergencyContact, Hall)


@pytest.mark.parametrize("persona", STAFF)
def test_emergency_button_is_in_the_header_of_every_page_for_every_role(world, client, persona):
    client.force_login(getattr(world, persona))
    for url in (reverse("staff:home"), reverse("safety:incident_list")):
        html = client.get(url).content.decode()
        header = html.split("</header>")[0]
        assert f'class="button button-danger" href="{reverse("safety:contacts")}"' in header


def test_contacts_page_has_tel_links_for_numbers_stations_and_group(world, client, numbers):
    SafetyGroupMember.objects.create(
        employee=world.director.employee, position="leader", duties="安全工作的指导,督查"
    )
    client.force_login(world.cashier)
    html = client.get(reverse("safety:contacts")).content.decode()
    for phone in ("110", "119", "122", "120", "2332770", "2332878"):
        assert f'href="tel:{phone}"' in html
    assert f'href="tel:{world.director.employee.phone}"' in html
    assert "安全工作的指导,督查" in html
    # The shift lead is the hall's safety officer by default.
    assert world.shift_lead.employee.name in html


def test_printable_card_shows_the_hall_station(world, client, numbers):
    client.force_login(world.cashier)
    html = client.get(reverse("safety:contact_card", args=["quankou"])).content.decode()
    assert "泉口派出所" in html and 'href="tel:2332878"' in html
    assert "龙泉派出所" not in html
    assert "data-print" in html


def test_director_edits_a_contact_and_a_malformed_phone_is_refused(world, client, numbers):
    contact = EmergencyContact.objects.get(name="龙泉派出所")
    client.force_login(world.director)
    url = reverse("safety:contact_edit", args=[contact.pk])
    response = client.post(
        url,
        {
            "hall": world.hall_a.pk,
            "kind": "police_station",
            "name": "龙泉派出所",
            "phone": "23327七0",
            "sort_order": 10,
        },
    )
    assert response.status_code == 200
    assert form_errors(response) == [
        "“23327七0”不是有效的电话号码：只能填数字，例如 110、2332770 或 0724-2332770。"
    ]
    contact.refresh_from_db()
    assert contact.phone == "2332770"

    response = client.post(
        url,
        {
            "hall": world.hall_a.pk,
            "kind": "police_station",
            "name": "龙泉派出所",
            "phone": "0724-2332770",
            "sort_order": 10,
        },
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.phone == "0724-2332770"


def test_contacts_page_runs_a_fixed_number_of_queries(world, client, numbers):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.cashier)
    url = reverse("safety:contacts")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for index in range(5):
        EmergencyContact.objects.create(
            hall=world.hall_b, kind="other", name=f"物业{index}", phone="2332001"
        )
        SafetyGroupMember.objects.create(
            employee=getattr(
                world, ["office", "cashier2", "other_cashier", "liaison", "other_lead"][index]
            ).employee,
            position="member",
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)
