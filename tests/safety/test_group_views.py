"""The director's page of the safety group and the halls' safety officers."""

from django.urls import reverse

from safety.models import HallSafetyOfficer
from tests.safety.conftest import page_messages


def test_director_names_another_safety_officer(world, client):
    client.force_login(world.director)
    response = client.post(
        reverse("safety:officer_set", args=[world.hall_a.code]),
        {f"{world.hall_a.code}-employee": world.lobby_manager.employee.pk},
    )
    assert response.status_code == 302
    html = client.get(reverse("safety:group")).content.decode()
    assert world.lobby_manager.employee.name in html
    assert f'<option value="{world.lobby_manager.employee.pk}" selected>' in html


def test_an_officer_from_another_hall_is_refused_with_the_forms_message(world, client):
    client.force_login(world.director)
    response = client.post(
        reverse("safety:officer_set", args=[world.hall_a.code]),
        {f"{world.hall_a.code}-employee": world.other_lead.employee.pk},
        follow=True,
    )
    assert page_messages(response) == ["选择一个有效的选项： 该选择不在可用的选项中。"]
    assert not HallSafetyOfficer.objects.exists()


def test_the_group_page_is_the_directors(world, client):
    for persona, status in (("director", 200), ("office", 403), ("shift_lead", 403)):
        client.force_login(getattr(world, persona))
        assert client.get(reverse("safety:group")).status_code == status
