import pytest
from django.db import transaction

from staff.core.audit import audit_record, history_for
from staff.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_it_records_actor_action_object_and_changes(world):
    with transaction.atomic():
        audit_record(
            actor=world.director,
            action="hall.rename",
            obj=world.hall_a,
            summary="改名",
            changes={"name": ["龙泉", "龙泉一"]},
        )

    entry = history_for(world.hall_a).get()
    assert entry.actor == world.director
    assert entry.action == "hall.rename"
    assert entry.object_repr == "龙泉"
    assert entry.changes == {"name": ["龙泉", "龙泉一"]}


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_record_outside_a_transaction(world):
    with pytest.raises(RuntimeError):
        audit_record(actor=world.director, action="x", obj=world.hall_a)


def test_record_rolls_back_with_the_change(world):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        audit_record(actor=world.director, action="x", obj=world.hall_a)
        1 / 0  # noqa: B018 — the change fails after its record was written

    assert AuditEntry.objects.count() == 0


def test_history_is_per_object(world):
    with transaction.atomic():
        audit_record(actor=world.director, action="a", obj=world.hall_a)
        audit_record(actor=world.director, action="b", obj=world.hall_b)

    assert [e.action for e in history_for(world.hall_b)] == ["b"]
