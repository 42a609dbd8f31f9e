"""staff/0006 moves the working calendar from complaints with its rows (both databases).

The migrations run as the database's owner, as `migrate` does in production: with
RUNTIME_DATABASE_URL the test switches the connection to the owner for the migration and back.
"""

import datetime

import pytest
from django.db import connection

from tests.runtime_role import migrate_to, migrations_as_owner

BEFORE = [("staff", "0005_audit_append_only"), ("complaints", "0002_prefill_work_calendar")]
AFTER = [("staff", "0006_work_calendar"), ("complaints", "0003_work_calendar_moved_to_staff")]


@pytest.fixture
def as_owner(transactional_db):
    with migrations_as_owner():
        yield


def _migrate(targets):
    return migrate_to(targets)


def test_the_calendar_moves_to_staff_with_its_rows_ids_and_content_types(as_owner):
    old = _migrate(BEFORE)
    Day = old.get_model("complaints", "WorkCalendarDay")
    Year = old.get_model("complaints", "WorkCalendarYear")
    ContentType = old.get_model("contenttypes", "ContentType")
    day = Day.objects.create(
        date=datetime.date(2031, 2, 1), kind="holiday", name="春节", note="人工"
    )
    Year.objects.create(year=2031, source="manual")
    day_type = ContentType.objects.get_or_create(app_label="complaints", model="workcalendarday")[0]
    rows = sorted(Day.objects.values_list("pk", "date", "kind", "name", "note"))
    years = sorted(Year.objects.values_list("pk", "year", "source"))

    new = _migrate(AFTER)

    NewDay = new.get_model("staff", "WorkCalendarDay")
    NewYear = new.get_model("staff", "WorkCalendarYear")
    assert sorted(NewDay.objects.values_list("pk", "date", "kind", "name", "note")) == rows
    assert sorted(NewYear.objects.values_list("pk", "year", "source")) == years
    assert NewDay.objects.get(pk=day.pk).name == "春节"
    tables = connection.introspection.table_names()
    assert "staff_workcalendarday" in tables and "complaints_workcalendarday" not in tables
    # The day's audit entries (content type, object id) still name the same day.
    moved = new.get_model("contenttypes", "ContentType").objects.get(pk=day_type.pk)
    assert (moved.app_label, moved.model) == ("staff", "workcalendarday")


def test_the_move_can_be_undone(as_owner):
    _migrate(AFTER)
    from staff.models import WorkCalendarDay

    WorkCalendarDay.objects.create(date=datetime.date(2032, 1, 1), kind="holiday", name="元旦")

    old = _migrate(BEFORE)

    Day = old.get_model("complaints", "WorkCalendarDay")
    assert Day.objects.get(date=datetime.date(2032, 1, 1)).name == "元旦"
    _migrate(AFTER)
