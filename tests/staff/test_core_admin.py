import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("director", 200),
        ("office", 200),
        ("shift_lead", 302),
        ("cashier", 302),
        ("lobby_manager", 302),
        ("liaison", 302),
    ],
)
def test_admin_is_for_director_and_office(client, world, persona, status):
    client.force_login(getattr(world, persona))

    assert client.get("/admin/").status_code == status


def test_office_can_edit_halls_in_admin(client, world):
    client.force_login(world.office)

    assert client.get(f"/admin/staff/hall/{world.hall_a.pk}/change/").status_code == 200


def test_audit_entries_cannot_be_changed_in_admin(client, world):
    client.force_login(world.director)

    assert client.get("/admin/staff/auditentry/add/").status_code == 403
