"""Incidents from the report to the closing, and their corrective actions: the services."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safety import services
from safety.models import CorrectiveAction, Incident, IncidentStep
from staff.models import AuditEntry
from tests.safety.conftest import refused_with, shown


def report(world, actor=None, **overrides):
    values = {
        "hall": world.hall_a,
        "kind": "personal_injury",
        "occurred_at": timezone.now() - timedelta(minutes=40),
        "description": "用户在大厅滑倒受伤",
        "injured_count": 1,
        "people": [("王某", "affected"), ("李某", "witness")],
    }
    values.update(overrides)
    return services.incident_report(actor=actor or world.cashier, **values)


def test_it_reports_an_incident_with_people_and_audits_it(world):
    incident = report(world)

    assert incident.status == "reported"
    assert incident.reported_by == world.cashier
    assert [(p.name, p.role) for p in incident.people.all()] == [
        ("王某", "affected"),
        ("李某", "witness"),
    ]
    assert AuditEntry.objects.filter(action="safety.incident.report").count() == 1


def test_incident_in_the_future_is_refused_and_nothing_is_saved(world):
    future = timezone.now() + timedelta(hours=2)
    with refused_with(f"事件不能发生在将来（{shown(future)}）。"):
        report(world, occurred_at=future)

    assert Incident.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_case_number_without_police_called_is_refused(world):
    with refused_with("填写了公安接警编号说明已报警，请勾选“已报警”。"):
        report(world, police_case_number="荆公110")
    assert Incident.objects.count() == 0


def test_step_ticked_before_the_incident_occurred_is_refused(world):
    incident = report(world)

    before = incident.occurred_at - timedelta(minutes=1)
    with refused_with(
        f"“已报警求救”的完成时间 {shown(before)} 早于事件发生时间 {shown(incident.occurred_at)}。"
    ):
        services.incident_tick_step(
            actor=world.cashier, incident=incident, step="alarm_raised", done_at=before
        )
    assert IncidentStep.objects.count() == 0


def test_step_in_the_future_and_twice_are_refused(world):
    incident = report(world)
    with refused_with("“已报警求救”的完成时间不能是将来。"):
        services.incident_tick_step(
            actor=world.cashier,
            incident=incident,
            step="alarm_raised",
            done_at=timezone.now() + timedelta(minutes=5),
        )
    services.incident_tick_step(
        actor=world.cashier, incident=incident, step="alarm_raised", done_at=timezone.now()
    )
    with refused_with("“已报警求救”已经勾选过了。"):
        services.incident_tick_step(
            actor=world.shift_lead, incident=incident, step="alarm_raised", done_at=timezone.now()
        )
    assert IncidentStep.objects.count() == 1


def test_step_not_on_the_checklist_of_the_type_is_refused(world):
    incident = report(world, kind="major_dispute", injured_count=0)
    with refused_with("该步骤不在本事件的处置清单中。"):
        services.incident_tick_step(
            actor=world.cashier, incident=incident, step="medical_help", done_at=timezone.now()
        )
    assert IncidentStep.objects.count() == 0


def test_other_hall_cashier_cannot_tick_a_step(world):
    incident = report(world)
    with pytest.raises(PermissionDenied):
        services.incident_tick_step(
            actor=world.other_cashier,
            incident=incident,
            step="alarm_raised",
            done_at=timezone.now(),
        )


def tick_all(world, incident):
    from safety.models import checklist_for

    for step in checklist_for(incident.kind, incident.injured_count):
        services.incident_tick_step(
            actor=world.shift_lead, incident=incident, step=step, done_at=timezone.now()
        )


def test_resolving_needs_every_checklist_step(world):
    incident = report(world)
    services.incident_transition(actor=world.shift_lead, incident=incident, to="handling")
    with refused_with(
        "请先完成全部处置步骤再标记为已处置；尚缺：已报警求救、已向领导报告、已联系医疗救治、"
        "已保护现场和物证、已维护现场秩序、已报告公司领导及生产技术、安保处、"
        "现场已清理，恢复正常秩序。"
    ):
        services.incident_transition(actor=world.shift_lead, incident=incident, to="resolved")
    incident.refresh_from_db()
    assert incident.status == "handling"

    tick_all(world, incident)
    services.incident_transition(actor=world.shift_lead, incident=incident, to="resolved")
    incident.refresh_from_db()
    assert incident.status == "resolved"


def resolved(world):
    incident = report(world)
    services.incident_transition(actor=world.shift_lead, incident=incident, to="handling")
    tick_all(world, incident)
    return services.incident_transition(actor=world.shift_lead, incident=incident, to="resolved")


def test_closing_with_open_actions_is_refused(world):
    incident = resolved(world)
    services.incident_update_notes(
        actor=world.shift_lead,
        incident=incident,
        follow_up_summary="伤者已出院,地面加装防滑垫",
        commendations="李某及时施救",
        accountability="",
        police_called=False,
        police_case_number="",
    )
    action = services.action_add(
        actor=world.shift_lead,
        incident=incident,
        description="加装防滑垫",
        owner=world.lobby_manager.employee,
        due_date=timezone.localdate() + timedelta(days=3),
    )

    with refused_with("还有 1 项整改措施尚未完成，请先完成。"):
        services.incident_transition(actor=world.shift_lead, incident=incident, to="closed")
    incident.refresh_from_db()
    assert incident.status == "resolved"

    services.action_complete(actor=world.lobby_manager, action=action)
    services.incident_transition(actor=world.director, incident=incident, to="closed")
    incident.refresh_from_db()
    assert incident.status == "closed"
    assert incident.closed_at is not None


def test_closing_without_follow_up_summary_is_refused(world):
    incident = resolved(world)
    with refused_with("结案前请填写善后总结。"):
        services.incident_transition(actor=world.shift_lead, incident=incident, to="closed")


def test_closed_incident_cannot_be_changed(world):
    incident = resolved(world)
    services.incident_update_notes(
        actor=world.shift_lead,
        incident=incident,
        follow_up_summary="处理完毕",
        commendations="",
        accountability="",
        police_called=False,
        police_case_number="",
    )
    services.incident_transition(actor=world.shift_lead, incident=incident, to="closed")
    with refused_with("该事件已结案，不能再修改。"):
        services.incident_add_person(
            actor=world.shift_lead, incident=incident, name="张某", role="witness"
        )


def test_skipping_a_state_is_refused(world):
    incident = report(world)
    with refused_with("状态为“已报告”的事件不能改为“已结案”。"):
        services.incident_transition(actor=world.shift_lead, incident=incident, to="closed")
    incident.refresh_from_db()
    assert incident.status == "reported"


def test_cashier_cannot_change_the_state(world):
    incident = report(world)
    with pytest.raises(PermissionDenied):
        services.incident_transition(actor=world.cashier, incident=incident, to="handling")


def test_other_hall_lead_cannot_handle_the_incident(world):
    incident = report(world)
    with pytest.raises(PermissionDenied):
        services.incident_transition(actor=world.other_lead, incident=incident, to="handling")


def test_every_state_change_is_audited_with_who(world):
    resolved(world)
    transitions = AuditEntry.objects.filter(action="safety.incident.transition")
    assert transitions.count() == 2
    assert {entry.actor for entry in transitions} == {world.shift_lead}


def test_person_with_malformed_phone_is_refused(world):
    incident = report(world)
    with refused_with("“13x9”不是有效的电话号码：只能填数字，例如 110、2332770 或 0724-2332770。"):
        services.incident_add_person(
            actor=world.shift_lead, incident=incident, name="张某", role="witness", phone="13x9"
        )
    assert incident.people.count() == 2


def test_corrective_action_due_in_the_past_is_refused(world):
    incident = report(world)
    with refused_with("完成期限不能早于今天。"):
        services.action_add(
            actor=world.shift_lead,
            incident=incident,
            description="整改",
            owner=world.shift_lead.employee,
            due_date=timezone.localdate() - timedelta(days=1),
        )
    assert CorrectiveAction.objects.count() == 0


def test_hall_staff_report_only_for_their_hall_people_without_one_for_any(world):
    with pytest.raises(PermissionDenied):
        report(world, actor=world.cashier, hall=world.hall_b)
    assert report(world, actor=world.liaison, hall=world.hall_b).hall == world.hall_b
    assert report(world, actor=world.director, hall=world.hall_b).hall == world.hall_b


def correct(world, incident, **overrides):
    values = {
        "kind": incident.kind,
        "occurred_at": incident.occurred_at,
        "injured_count": incident.injured_count,
        "description": incident.description,
    }
    values.update(overrides)
    return services.incident_correct(actor=world.shift_lead, incident=incident, **values)


def test_handler_corrects_the_report_and_the_checklist_follows(world):
    from safety.models import checklist_for

    incident = report(world, kind="violent_robbery", injured_count=0)
    corrected = correct(world, incident, injured_count=1, description="抢劫中一名收费员受轻伤")

    assert "medical_help" in checklist_for(corrected.kind, corrected.injured_count)
    entry = AuditEntry.objects.get(action="safety.incident.correct")
    assert entry.actor == world.shift_lead
    assert entry.changes["injured_count"] == [0, 1]


def test_correcting_the_time_to_after_a_ticked_step_is_refused(world):
    incident = report(world, occurred_at=timezone.now() - timedelta(minutes=40))
    services.incident_tick_step(
        actor=world.cashier,
        incident=incident,
        step="alarm_raised",
        done_at=timezone.now() - timedelta(minutes=35),
    )
    step_done = incident.steps.get().done_at
    with refused_with(f"“已报警求救”已于 {shown(step_done)} 完成，事件发生时间不能晚于此时间。"):
        correct(world, incident, occurred_at=timezone.now() - timedelta(minutes=30))
    future = timezone.now() + timedelta(minutes=30)
    with refused_with(f"事件不能发生在将来（{shown(future)}）。"):
        correct(world, incident, occurred_at=future)
    before = incident.occurred_at
    incident.refresh_from_db()
    assert incident.occurred_at == before


def test_reporter_cannot_correct_the_report(world):
    incident = report(world)
    with pytest.raises(PermissionDenied):
        services.incident_correct(
            actor=world.cashier,
            incident=incident,
            kind="fire",
            occurred_at=incident.occurred_at,
            injured_count=0,
            description="x",
        )


@pytest.mark.django_db(transaction=True)
def test_the_same_step_ticked_twice_at_once_is_stored_once():
    import threading

    from django.db import connection

    from tests.conftest import build_world

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    world = build_world()
    incident = report(world)
    errors, barrier = [], threading.Barrier(2)

    def attempt(actor):
        try:
            barrier.wait()
            services.incident_tick_step(
                actor=actor, incident=incident, step="alarm_raised", done_at=timezone.now()
            )
        except ValidationError as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=attempt, args=(u,)) for u in (world.cashier, world.shift_lead)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert IncidentStep.objects.count() == 1
    assert len(errors) == 1


def test_corrective_action_owner_from_another_hall_is_refused(world):
    incident = report(world)
    with refused_with("整改责任人必须是该事件或演练所在营业厅的员工。"):
        services.action_add(
            actor=world.director,
            incident=incident,
            description="整改",
            owner=world.other_cashier.employee,
            due_date=timezone.localdate() + timedelta(days=3),
        )
    assert CorrectiveAction.objects.count() == 0
