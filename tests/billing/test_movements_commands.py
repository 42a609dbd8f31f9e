"""`manage.py export_movements --date YYYY-MM-DD [--encoding gbk|utf-8] [--output DIR]`."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.billing.factories import account_with_bills
from tests.billing.movement_factories import (
    channel_pay,
    clock_moved,
    day_of_movements,
    sign_hall_day,
)

pytestmark = pytest.mark.django_db


def _export(*args):
    out = io.StringIO()
    call_command("export_movements", *args, stdout=out)
    return out.getvalue()


def test_the_command_writes_a_closed_day_as_the_same_file_each_time(world, tmp_path):
    day = day_of_movements(world)
    sign_hall_day(world.hall_a, day.business_date, world.shift_lead)
    sign_hall_day(world.hall_b, day.business_date, world.other_lead)
    date = day.business_date.isoformat()
    path = tmp_path / f"movements-{date}.csv"
    with clock_moved(days=1):
        output = _export("--date", date, "--output", str(tmp_path))
        first = path.read_bytes()
    with clock_moved(days=3):
        _export("--date", date, "--output", str(tmp_path))

    assert str(path) in output and "6 movements (closed, utf-8)" in output
    assert path.read_bytes() == first
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_the_command_names_an_open_day_and_the_halls_it_waits_for(world, tmp_path):
    day = day_of_movements(world)
    sign_hall_day(world.hall_a, day.business_date, world.shift_lead)
    date = day.business_date.isoformat()
    with clock_moved(days=1):
        output = _export("--date", date, "--output", str(tmp_path), "--encoding", "gbk")

    assert (tmp_path / f"movements-{date}-OPEN.csv").exists()
    assert "OPEN" in output and world.hall_b.name in output
    content = (tmp_path / f"movements-{date}-OPEN.csv").read_bytes()
    assert "微信转账0001" in content.decode("gbk")


def test_today_is_written_as_open(world, tmp_path):
    account = account_with_bills("30.00")
    channel_pay(account, "30.00", "WX-1")
    date = timezone.localdate().isoformat()
    _export("--date", date, "--output", str(tmp_path))
    assert (tmp_path / f"movements-{date}-OPEN.csv").exists()


@pytest.mark.parametrize("date", ["2026-13-01", "yesterday", "", "2026-02-30"])
def test_a_date_that_is_not_one_is_refused(db, tmp_path, date):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        _export("--date", date, "--output", str(tmp_path))


def test_an_output_that_is_not_a_directory_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="not a directory"):
        _export("--date", "2026-01-05", "--output", str(tmp_path / "missing"))


def test_an_unknown_encoding_is_refused_by_the_command(db, tmp_path):
    with pytest.raises(CommandError):
        _export("--date", "2026-01-05", "--output", str(tmp_path), "--encoding", "big5")


def test_a_character_gbk_lacks_refuses_the_gbk_file_and_writes_nothing(world, tmp_path):
    account = account_with_bills("30.00")
    channel_pay(account, "30.00", "WX-😀")
    date = timezone.localdate().isoformat()
    with pytest.raises(CommandError, match="UTF-8"):
        _export("--date", date, "--output", str(tmp_path), "--encoding", "gbk")
    assert list(tmp_path.iterdir()) == []
