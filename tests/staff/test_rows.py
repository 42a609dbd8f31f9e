"""staff.rows: the hand-written statements load and save exactly what the ORM would."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from billing.models import Account
from staff.core.audit import audit_record
from staff.models import AuditEntry, Hall
from staff.rows import Columns, insert, insert_rows

pytestmark = pytest.mark.django_db


def test_insert_applies_defaults_and_prepares_every_value_in_one_statement(world):
    with CaptureQueriesContext(connection) as queries:
        account = insert(Account(account_no="R0000001", name="张三", prepaid_balance="12.30"))

    assert len(queries) == 1 and queries[0]["sql"].startswith("INSERT")
    assert account.pk and not account._state.adding
    stored = Account.objects.get(pk=account.pk)
    assert (stored.account_no, stored.name, stored.status, stored.prepaid_balance) == (
        "R0000001",
        "张三",
        Account._meta.get_field("status").default,
        Decimal("12.30"),
    )


def test_audit_entries_keep_their_time_and_json(world):
    before = timezone.now()
    with transaction.atomic():
        entry = audit_record(
            actor=world.cashier,
            action="test.rows",
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


def test_columns_load_an_instance_like_the_orm(world):
    columns = Columns(Hall, "h", connection)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns.sql} FROM staff_hall h WHERE h.id = %s", [world.hall_a.pk])
        hall = columns.load(cursor.fetchone(), 0, connection.alias)

    orm = Hall.objects.get(pk=world.hall_a.pk)
    assert [getattr(hall, f.attname) for f in Hall._meta.concrete_fields] == [
        getattr(orm, f.attname) for f in Hall._meta.concrete_fields
    ]
    assert hall.is_active is True and not hall._state.adding


def test_insert_rows_writes_several_rows_in_one_statement(world):
    with CaptureQueriesContext(connection) as queries:
        insert_rows(
            [Account(account_no=f"R000001{i}", name=f"户{i}", prepaid_balance=i) for i in range(3)]
        )
        insert_rows([])

    assert len(queries) == 1
    stored = Account.objects.filter(account_no__startswith="R000001").order_by("account_no")
    assert [(a.name, a.prepaid_balance) for a in stored] == [
        ("户0", Decimal("0.00")),
        ("户1", Decimal("1.00")),
        ("户2", Decimal("2.00")),
    ]
