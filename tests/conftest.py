"""Fixed personas: one per role in hall A, a cashier and a lead of hall B, and a liaison.

Use them as `world.cashier`, `world.other_lead`, ... (users, each with `.employee`).
"""

import os
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from staff.core.roles import Role
from tests.runtime_role import switch_back_to_owner, switch_to_runtime_role
from tests.staff.factories import DepartmentFactory, EmployeeFactory, HallFactory

# Property tests (Hypothesis) run in CI on both databases: a few dozen examples each, no
# per-example deadline (a PostgreSQL round trip varies on a shared machine). Set
# HYPOTHESIS_PROFILE=thorough for a longer local hunt.
hypothesis_settings.register_profile(
    "ci",
    max_examples=40,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
hypothesis_settings.register_profile(
    "thorough", parent=hypothesis_settings.get_profile("ci"), max_examples=500
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Persona name -> (roles, which hall: "a", "b" or None for center-wide).
PERSONAS = {
    "director": ([Role.DIRECTOR], None),
    "office": ([Role.OFFICE], None),
    "lobby_manager": ([Role.LOBBY_MANAGER], "a"),
    "shift_lead": ([Role.SHIFT_LEAD], "a"),
    "cashier": ([Role.CASHIER], "a"),
    "cashier2": ([Role.CASHIER], "a"),
    "other_cashier": ([Role.CASHIER], "b"),
    "other_lead": ([Role.SHIFT_LEAD], "b"),
    "other_lobby_manager": ([Role.LOBBY_MANAGER], "b"),
    "liaison": ([Role.DEPARTMENT_LIAISON], None),
}


def build_world():
    hall_a = HallFactory(code="longquan", name="龙泉")
    hall_b = HallFactory(code="quankou", name="泉口")
    department = DepartmentFactory(code="weixiu", name="维修处")
    other_department = DepartmentFactory(code="shuizhi", name="水质检测中心")
    world = SimpleNamespace(
        hall_a=hall_a, hall_b=hall_b, department=department, other_department=other_department
    )
    halls = {"a": hall_a, "b": hall_b, None: None}
    for name, (roles, hall) in PERSONAS.items():
        employee = EmployeeFactory(
            user__username=name,
            user__roles=roles,
            name=f"{name}姓名",
            hall=halls[hall],
            department=department if name == "liaison" else None,
        )
        setattr(world, name, employee.user)
    return world


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, created and migrated by the owner; with RUNTIME_DATABASE_URL every
    test then connects as the runtime role (tests/runtime_role.py)."""
    with pytest.MonkeyPatch.context() as patch:
        with django_db_blocker.unblock():
            switch_to_runtime_role(patch)
        yield
        with django_db_blocker.unblock():
            switch_back_to_owner()


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def login(client):
    """`login(user)` logs the test client in as `user` (bypassing axes, which needs a request)."""

    def _login(user):
        client.force_login(user)
        return client

    return _login
