from django.urls import reverse


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
