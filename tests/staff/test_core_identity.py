"""The signed-in user in one query, and the session read (staff.core.backends, staff.sessions)."""

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from staff.core.access import employee_of, hall_ids_for, roles_of
from staff.core.backends import StaffBackend
from staff.core.roles import Role

pytestmark = pytest.mark.django_db


def test_the_user_comes_with_employee_and_hall_in_one_query_and_roles_in_a_second(world):
    with CaptureQueriesContext(connection) as queries:
        user = StaffBackend().get_user(world.shift_lead.pk)
        employee = employee_of(user)
        facts = (
            user.username,
            employee.name,
            employee.hall.name,
            roles_of(user),
            hall_ids_for(user),
            employee.user is user,
        )

    assert len(queries) == 2
    assert "staff_hall" in queries[0]["sql"] and "auth_group" in queries[1]["sql"]
    assert facts == (
        "shift_lead",
        world.shift_lead.employee.name,
        world.hall_a.name,
        frozenset({Role.SHIFT_LEAD}),
        [world.hall_a.pk],
        True,
    )


def test_a_liaison_comes_with_the_department_and_no_hall(world):
    with CaptureQueriesContext(connection) as queries:
        user = StaffBackend().get_user(world.liaison.pk)
        employee = user.employee
        facts = (employee.hall, employee.department.name, roles_of(user))

    assert len(queries) == 2
    assert facts == (None, world.department.name, frozenset({Role.DEPARTMENT_LIAISON}))


def test_loaded_fields_have_their_python_types(world):
    world.cashier.last_login = timezone.now()
    world.cashier.save(update_fields=["last_login"])

    user = StaffBackend().get_user(world.cashier.pk)

    assert user.last_login == world.cashier.last_login
    assert user.is_active is True and user.is_staff is False
    assert user.employee.is_active is True and user.employee.hall.is_active is True


def test_a_user_without_employee_or_roles(django_user_model, db):
    bare = django_user_model.objects.create_user("bare", password="pass-Word-123")

    with CaptureQueriesContext(connection) as queries:
        user = StaffBackend().get_user(bare.pk)
        facts = (employee_of(user), roles_of(user))

    assert len(queries) == 2  # the user (without employee), then the roles
    assert facts == (None, frozenset())


def test_inactive_unknown_or_malformed_ids_are_nobody(world):
    world.cashier.is_active = False
    world.cashier.save(update_fields=["is_active"])

    backend = StaffBackend()
    assert backend.get_user(world.cashier.pk) is None
    assert backend.get_user(999_999) is None
    assert backend.get_user("not-a-number") is None


def test_a_role_change_counts_on_the_next_request(world, client):
    client.force_login(world.cashier)
    assert client.get(reverse("billing:counter")).status_code == 200

    world.cashier.groups.clear()

    assert client.get(reverse("billing:counter")).status_code == 403


def test_a_live_session_is_read_and_an_expired_one_is_not(world, client):
    client.force_login(world.cashier)
    key = client.session.session_key

    assert SessionStore(key).load()[SESSION_KEY] == str(world.cashier.pk)

    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(1))
    store = SessionStore(key)
    assert store.load() == {}
    assert store.session_key is None, "a new key is made rather than the unknown one reused"
