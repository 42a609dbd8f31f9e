import pytest
from django.http import Http404

from staff.core.access import get_for_user, hall_ids_for, halls_for, has_role, scope_by_hall
from staff.core.roles import Role
from staff.models import Employee

pytestmark = pytest.mark.django_db


def test_center_wide_roles_see_every_hall(world):
    assert hall_ids_for(world.director) is None
    assert hall_ids_for(world.office) is None
    assert set(halls_for(world.office)) == {world.hall_a, world.hall_b}


def test_hall_staff_see_only_their_hall(world):
    for persona in ["cashier", "shift_lead", "lobby_manager"]:
        assert list(halls_for(getattr(world, persona))) == [world.hall_a]
    assert list(halls_for(world.other_cashier)) == [world.hall_b]


def test_inactive_employee_sees_no_hall(world):
    Employee.objects.filter(user=world.cashier).update(is_active=False)
    world.cashier.refresh_from_db()

    assert hall_ids_for(world.cashier) == []


def test_other_hall_object_is_404_like_a_missing_one(world):
    employees = scope_by_hall(Employee.objects.all(), world.cashier)
    other = world.other_cashier.employee

    with pytest.raises(Http404):
        get_for_user(employees, pk=other.pk)
    with pytest.raises(Http404):
        get_for_user(employees, pk=999999)
    assert get_for_user(employees, pk=world.cashier2.employee.pk) == world.cashier2.employee


def test_a_person_may_hold_several_roles(world):
    from django.contrib.auth.models import Group

    world.shift_lead.groups.add(Group.objects.get(name=Role.CASHIER))
    world.shift_lead._counterops_roles = None

    assert has_role(world.shift_lead, Role.CASHIER)
    assert has_role(world.shift_lead, Role.SHIFT_LEAD)


def test_role_groups_exist_with_permissions():
    from django.contrib.auth.models import Group

    names = set(Group.objects.values_list("name", flat=True))
    assert set(Role.values) <= names
    assert Group.objects.get(name="office").permissions.filter(codename="change_hall").exists()
    # Other apps' grants, declared on their AppConfig, come back too.
    assert Group.objects.get(name="director").permissions.filter(codename="view_payment").exists()
    assert not Group.objects.get(name="cashier").permissions.filter(codename="change_hall").exists()


@pytest.mark.django_db(transaction=True)
def test_role_groups_survive_the_flush_of_a_transactional_test():
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)

    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)
    assert Group.objects.get(name="office").permissions.filter(codename="change_hall").exists()
