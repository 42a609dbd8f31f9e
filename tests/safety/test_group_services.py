"""The safety group and the halls' safety officers: the director's services and who the
officer of each hall is."""

from safety import services
from safety.models import HallSafetyOfficer
from safety.selectors.group import officer_hall_ids, officers_by_hall
from tests.safety.conftest import refused_with
from tests.staff.factories import EmployeeFactory


def test_group_has_one_leader(world):
    services.group_member_save(
        actor=world.director, employee=world.director.employee, position="leader", duties="指导督查"
    )
    with refused_with("director姓名 已是安全领导小组组长，请先调整其职务。"):
        services.group_member_save(
            actor=world.director, employee=world.office.employee, position="leader"
        )
    member = services.group_member_save(
        actor=world.director,
        employee=world.shift_lead.employee,
        position="member",
        duties="龙泉大厅安全员",
    )
    assert member.duties == "龙泉大厅安全员"


def test_shift_lead_is_the_safety_officer_by_default_and_can_be_changed(world):
    officers = officers_by_hall([world.hall_a, world.hall_b])
    assert officers[world.hall_a.pk] == world.shift_lead.employee
    assert officer_hall_ids(world.shift_lead) == [world.hall_a.pk]

    services.officer_set(
        actor=world.director, hall=world.hall_a, employee=world.lobby_manager.employee
    )
    assert officers_by_hall([world.hall_a])[world.hall_a.pk] == world.lobby_manager.employee
    assert officer_hall_ids(world.shift_lead) == []
    assert officer_hall_ids(world.lobby_manager) == [world.hall_a.pk]

    services.officer_set(actor=world.director, hall=world.hall_a, employee=None)
    assert not HallSafetyOfficer.objects.exists()
    assert officers_by_hall([world.hall_a])[world.hall_a.pk] == world.shift_lead.employee


def test_officer_must_work_in_the_hall(world):
    stranger = EmployeeFactory(hall=world.hall_b)
    with refused_with("安全员必须是本厅在职员工。"):
        services.officer_set(actor=world.director, hall=world.hall_a, employee=stranger)
    assert not HallSafetyOfficer.objects.exists()
