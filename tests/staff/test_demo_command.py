from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from staff.models import Department, Employee, Hall

pytestmark = pytest.mark.django_db


def _seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_it_creates_halls_departments_and_one_login_per_role(settings):
    settings.DEMO_PASSWORD = "demo-Pass-42"
    output = _seed()

    assert set(Hall.objects.values_list("code", flat=True)) == {"longquan", "quankou", "duodao"}
    assert Department.objects.filter(name="生产技术处").exists()
    user = get_user_model().objects.get(username="lead_quankou")
    assert user.check_password("demo-Pass-42")
    assert list(user.groups.values_list("name", flat=True)) == ["shift_lead"]
    assert user.employee.hall.code == "quankou"
    for username in ["director", "office", "lobby_duodao", "cashier_longquan", "cashier2_duodao"]:
        assert username in output
    assert "demo-Pass-42" in output


def test_it_is_idempotent():
    _seed()
    counts = (Hall.objects.count(), Employee.objects.count(), get_user_model().objects.count())

    _seed()

    assert counts == (
        Hall.objects.count(),
        Employee.objects.count(),
        get_user_model().objects.count(),
    )


def test_if_empty_skips_a_seeded_database_but_prints_logins():
    _seed()
    Hall.objects.filter(code="duodao").update(name="改过的名字")

    output = _seed("--if-empty")

    assert Hall.objects.get(code="duodao").name == "改过的名字"
    assert "cashier_duodao" in output
