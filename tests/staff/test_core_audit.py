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


def test_audit_entries_keep_their_time_and_json(world):
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from staff.models import Hall

    before = timezone.now()
    with transaction.atomic():
        entry = audit_record(
            actor=world.cashier,
            action="test.audit",
            obj=world.hall_a,
            summary="摘要",
            changes={"amount": Decimal("1.10"), "when": before.date(), "list": [1, "二"]},
        )

    stored = AuditEntry.objects.get(pk=entry.pk)
    assert before <= stored.at <= timezone.now() + timedelta(seconds=1)
    assert stored.changes == {"amount": "1.10", "when": str(before.date()), "list": [1, "二"]}
    assert (stored.actor, stored.content_type.model_class(), stored.object_id) == (
        world.cashier,
        Hall,
        str(world.hall_a.pk),
    )
    assert stored.summary == "摘要"


def test_an_audit_entry_is_saved_by_the_orm_with_its_signals(world):
    """The hand-written INSERT (staff.rows) sent no signal and knew nothing of field features
    (a `db_default` made every audited write fail): entries are saved like any model now."""
    from django.db.models.signals import post_save

    seen = []

    def receiver(sender, instance, created, **kwargs):
        seen.append((instance.action, created))

    post_save.connect(receiver, sender=AuditEntry, dispatch_uid="test-audit-signal")
    try:
        with transaction.atomic():
            audit_record(actor=world.director, action="hall.rename", obj=world.hall_a)
    finally:
        post_save.disconnect(dispatch_uid="test-audit-signal", sender=AuditEntry)

    assert seen == [("hall.rename", True)]
