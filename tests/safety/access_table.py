"""Who may open each safety page. Everyone sees contacts and reports incidents; a hall's shift
lead and lobby manager handle its incidents, drills and checks; the director everything."""

from datetime import timedelta

from django.utils import timezone

from safety.models import (
    AlarmDrill,
    CorrectiveAction,
    EmergencyContact,
    Incident,
    SafetyGroupMember,
)
from tests.access import Row, everyone, only

POST_ONLY = everyone(405, anonymous=405)
VIEWERS = only(
    {
        "director": 200,
        "office": 200,
        "lobby_manager": 200,
        "shift_lead": 200,
        "other_lead": 200,
        "other_lobby_manager": 200,
    }
)
HANDLERS = only(
    {
        "director": 200,
        "lobby_manager": 200,
        "shift_lead": 200,
        "other_lead": 200,
        "other_lobby_manager": 200,
    }
)


def incident(world):
    """An incident of hall A reported by hall A's cashier."""
    return Incident.objects.create(
        hall=world.hall_a,
        kind="major_dispute",
        occurred_at=timezone.now() - timedelta(hours=1),
        reported_by=world.cashier,
        description="争吵",
    )


def drill(world):
    return AlarmDrill.objects.create(
        hall=world.hall_a,
        year=2026,
        month=1,
        held_at=timezone.now() - timedelta(days=300),
        run_by=world.shift_lead.employee,
        alarm_worked=True,
        response_seconds=30,
        recorded_by=world.shift_lead,
    )


def contact(world):
    return EmergencyContact.objects.create(
        hall=world.hall_a, kind="other", name="物业", phone="2332000"
    )


def member(world):
    return SafetyGroupMember.objects.create(employee=world.office.employee, position="member")


def action(world):
    return CorrectiveAction.objects.create(
        incident=incident(world),
        description="整改",
        owner=world.shift_lead.employee,
        due_date=timezone.localdate(),
        created_by=world.shift_lead,
    )


INCIDENT_VIEW = only(
    {
        "director": 200,
        "office": 200,
        "lobby_manager": 200,
        "shift_lead": 200,
        "cashier": 200,
    },
    otherwise=404,
)

ACCESS = [
    Row("safety:contacts", everyone(200)),
    Row("safety:contact_card", everyone(200), kwargs=lambda w: {"hall_code": w.hall_b.code}),
    Row("safety:contact_create", only({"director": 200})),
    Row("safety:contact_edit", only({"director": 200}), kwargs=lambda w: {"pk": contact(w).pk}),
    Row("safety:contact_delete", POST_ONLY, kwargs=lambda w: {"pk": contact(w).pk}),
    Row("safety:group", only({"director": 200})),
    Row("safety:group_remove", POST_ONLY, kwargs=lambda w: {"pk": member(w).pk}),
    Row("safety:officer_set", POST_ONLY, kwargs=lambda w: {"hall_code": w.hall_a.code}),
    Row("safety:incident_list", everyone(200)),
    Row("safety:incident_report", everyone(200)),
    Row("safety:incident_detail", INCIDENT_VIEW, kwargs=lambda w: {"pk": incident(w).pk}),
    Row("safety:incident_step", POST_ONLY, kwargs=lambda w: {"pk": incident(w).pk}),
    Row("safety:incident_transition", POST_ONLY, kwargs=lambda w: {"pk": incident(w).pk}),
    Row("safety:incident_person", POST_ONLY, kwargs=lambda w: {"pk": incident(w).pk}),
    Row("safety:incident_correct", POST_ONLY, kwargs=lambda w: {"pk": incident(w).pk}),
    Row("safety:incident_notes", POST_ONLY, kwargs=lambda w: {"pk": incident(w).pk}),
    Row("safety:incident_action", POST_ONLY, kwargs=lambda w: {"pk": incident(w).pk}),
    Row("safety:action_list", everyone(200)),
    Row("safety:action_done", POST_ONLY, kwargs=lambda w: {"pk": action(w).pk}),
    Row("safety:drill_year", VIEWERS),
    Row("safety:drill_record", HANDLERS),
    Row(
        "safety:drill_detail",
        {**VIEWERS, "other_lead": 404, "other_lobby_manager": 404},
        kwargs=lambda w: {"pk": drill(w).pk},
    ),
    Row("safety:drill_action", POST_ONLY, kwargs=lambda w: {"pk": drill(w).pk}),
    Row("safety:closing_month", VIEWERS),
    Row("safety:closing_record", HANDLERS),
    Row("safety:overview", only({"director": 200})),
    Row("safety:overview_export", only({"director": 200}), kwargs=lambda w: {"fmt": "csv"}),
]
