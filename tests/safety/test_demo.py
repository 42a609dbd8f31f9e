"""The demo data of the safety app and the numbers of the data migration."""

import io

from django.utils import timezone

from safety import demo as safety_demo
from safety.models import AlarmDrill, EmergencyContact, Incident, SafetyGroupMember, drill_status
from staff.demo import core as staff_demo


def test_migration_seeded_the_national_numbers(db):
    national = EmergencyContact.objects.filter(hall=None)
    assert sorted(national.values_list("phone", flat=True)) == ["110", "119", "120", "122"]


def test_demo_is_idempotent_and_has_a_missed_drill_and_incidents_in_several_states(db):
    out = io.StringIO()
    for _ in range(2):
        staff_demo.seed(password="demo-Pass-123", stdout=out)
        safety_demo.seed(stdout=out)

    stations = dict(EmergencyContact.objects.exclude(hall=None).values_list("hall__code", "phone"))
    assert stations == {"longquan": "2332770", "quankou": "2332878", "duodao": "2490380"}
    assert SafetyGroupMember.objects.filter(position="leader").count() == 1
    assert SafetyGroupMember.objects.count() == 5
    assert AlarmDrill.objects.count() == 3 * 12 - 1
    assert set(Incident.objects.values_list("status", flat=True)) == {
        "reported",
        "handling",
        "closed",
    }
    today = timezone.localdate()
    statuses = [
        drill_status(d.year, d.month, timezone.localtime(d.held_at).date(), today)
        for d in AlarmDrill.objects.all()
    ]
    assert statuses.count("late") == 1
