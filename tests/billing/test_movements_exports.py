"""The daily batch file of movements: one row per movement in sequence order, the API's fields,
exact amounts; the same bytes each time for a closed day; an open day says so in its name."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billing.exports import MOVEMENT_FILE_COLUMNS, MovementFileRefused, movement_file
from billing.models import Movement, MovementKind
from billing.selectors.movements import movement_day, movement_days
from tests.billing.factories import account_with_bills
from tests.billing.movement_factories import (
    channel_pay,
    clock_moved,
    correction,
    day_of_movements,
    pay,
    sign_hall_day,
)

pytestmark = pytest.mark.django_db


def _rows(content: bytes, encoding="utf-8-sig"):
    return list(csv.DictReader(io.StringIO(content.decode(encoding))))


@pytest.fixture
def day(world):
    return day_of_movements(world)


def _sign_both(world, day):
    sign_hall_day(world.hall_a, day.business_date, world.shift_lead)
    sign_hall_day(world.hall_b, day.business_date, world.other_lead)


def test_a_closed_day_gives_the_same_bytes_each_time_it_is_produced(world, day):
    _sign_both(world, day)
    with clock_moved(days=1):
        first = movement_file(day.business_date)
        # The next day's payments do not belong to it.
        channel_pay(day.wechat_account, "5.00", "WX-NEXT")
    # Later again: nothing of the time of writing is inside.
    with clock_moved(days=2, hours=7):
        second = movement_file(day.business_date)

    assert first.name == second.name == f"movements-{day.business_date.isoformat()}.csv"
    assert first.content == second.content
    assert len(_rows(first.content)) == 6


def test_the_file_has_one_row_per_movement_in_sequence_order_with_the_api_fields(world, day):
    with clock_moved(days=1):
        rows = _rows(movement_file(day.business_date).content)
    movements = list(Movement.objects.filter(business_date=day.business_date).order_by("seq"))

    assert list(rows[0]) == MOVEMENT_FILE_COLUMNS
    assert [int(row["seq"]) for row in rows] == [m.seq for m in movements]
    assert [row["id"] for row in rows] == [str(m.public_id) for m in movements]
    assert [Decimal(row["amount"]) for row in rows] == [m.amount for m in movements]
    assert [Decimal(row["prepaid_change"]) for row in rows] == [m.prepaid_change for m in movements]
    by_kind = {row["kind"]: row for row in rows}
    reversal = by_kind[MovementKind.REVERSAL]
    original = Movement.objects.get(payment=day.voided)
    assert reversal["reverses"] == str(original.public_id)
    assert reversal["amount"] == "-12.34" and reversal["hall"] == "longquan"
    assert reversal["cashier_employee_no"] == world.cashier.employee.employee_no
    channel = by_kind[MovementKind.CHANNEL_PAYMENT]
    assert channel["method"] == "wechat" and channel["reference"] == "WX20261130001"
    assert channel["hall"] == "" and channel["paid_at"].endswith("+08:00")
    assert channel["invoice_number"] == ""
    first = rows[0]
    assert first["lines"] == "2026-01:30.00" and first["invoice_code"] == "042001900111"
    assert first["occurred_at"] == timezone.localtime(movements[0].occurred_at).isoformat()
    assert first["hall_name"] == world.hall_a.name and first["channel"] == ""
    assert channel["channel"] == "wechat" and channel["hall_name"] == ""


def test_the_lines_of_each_row_add_up_to_what_the_movement_settled(world, day):
    with clock_moved(days=1):
        rows = _rows(movement_file(day.business_date).content)
    for row in rows:
        parts = [part.split(":") for part in row["lines"].split(";") if part]
        settled = sum((Decimal(amount) for _period, amount in parts), start=Decimal("0.00"))
        # Money received = bills settled + prepaid added − prepaid used.
        assert settled + Decimal(row["prepaid_change"]) == Decimal(row["amount"]), row


def test_today_is_open_and_says_so_in_the_file_name(world, day):
    _sign_both(world, day)
    produced = movement_file(day.business_date)
    assert produced.name == f"movements-{day.business_date.isoformat()}-OPEN.csv"
    assert produced.day.not_over


def test_a_past_day_stays_open_while_a_hall_with_payments_has_not_signed(world, day):
    sign_hall_day(world.hall_a, day.business_date, world.shift_lead)
    with clock_moved(days=1):
        still_open = movement_file(day.business_date)
    assert still_open.name.endswith("-OPEN.csv")
    assert still_open.day.unsigned_halls == [world.hall_b.name]

    sign_hall_day(world.hall_b, day.business_date, world.other_lead)
    with clock_moved(days=1):
        closed = movement_file(day.business_date)
    assert not closed.day.is_open and not closed.name.endswith("-OPEN.csv")
    # The preview held the same rows: only the name told the day was still open.
    assert closed.content == still_open.content


def test_a_day_with_only_channel_payments_closes_at_midnight(world):
    account = account_with_bills("30.00")
    channel_pay(account, "30.00", "ALI-1", channel="alipay")
    today = timezone.localdate()
    assert movement_day(today).is_open
    with clock_moved(days=1):
        assert not movement_day(today).is_open
        assert movement_file(today).name == f"movements-{today.isoformat()}.csv"


def test_days_without_movements_are_listed_closed_and_empty(world, day):
    today = day.business_date
    days = movement_days(today - timedelta(days=3), today)
    assert [d.count for d in days] == [0, 0, 0, 6]
    assert [d.is_open for d in days] == [False, False, False, True]
    with clock_moved(days=1):
        empty = movement_file(today - timedelta(days=2))
    assert empty.content.decode("utf-8-sig").splitlines() == [",".join(MOVEMENT_FILE_COLUMNS)]


def test_gbk_file_round_trips_the_chinese_and_has_no_bom(world, day):
    _sign_both(world, day)
    with clock_moved(days=1):
        utf8 = movement_file(day.business_date, "utf-8").content
        gbk = movement_file(day.business_date, "gbk").content

    assert utf8.startswith(b"\xef\xbb\xbf") and not gbk.startswith(b"\xef\xbb\xbf")
    assert "微信转账0001".encode("gbk") in gbk
    assert _rows(gbk, "gbk") == _rows(utf8)


def test_a_character_gbk_cannot_write_refuses_the_gbk_file_with_its_line(world, english):
    account = account_with_bills("30.00")
    channel_pay(account, "30.00", "WX-😀")
    with pytest.raises(MovementFileRefused) as refused:
        movement_file(timezone.localdate(), "gbk")
    assert "Line 2" in refused.value.message and "😀" in refused.value.message
    assert "WX-😀" in movement_file(timezone.localdate(), "utf-8").content.decode("utf-8")


def test_an_unknown_encoding_is_refused(world, english):
    with pytest.raises(MovementFileRefused, match="utf-8 or gbk"):
        movement_file(timezone.localdate(), "big5")


def test_a_reference_that_looks_like_a_formula_is_written_as_text(world, day):
    account = account_with_bills("10.00")
    pay(world.cashier, account, "10.00", method="wechat", reference="=1+2")
    rows = _rows(movement_file(timezone.localdate()).content)
    assert rows[-1]["reference"] == "'=1+2"
    assert rows[-1]["amount"] == "10.00"


cents = st.integers(min_value=1, max_value=9_999_999).map(lambda n: Decimal(n) / 100)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(bills=st.lists(cents, min_size=1, max_size=4), paid=st.lists(cents, min_size=1, max_size=5))
def test_every_amount_in_the_file_is_the_exact_amount_stored(world, bills, paid):
    """Whatever bills and channel payments: each cell reads back as the stored Decimal, and the
    file adds up to the day's money to the fen, on SQLite (floats inside) as on PostgreSQL."""
    with transaction.atomic():
        account = account_with_bills(*bills)
        for index, amount in enumerate(paid):
            channel_pay(account, amount, f"P{index}")
        rows = _rows(movement_file(timezone.localdate()).content)

        assert [Decimal(row["amount"]) for row in rows] == paid
        lines = [
            Decimal(part.split(":")[1]) for row in rows for part in row["lines"].split(";") if part
        ]
        prepaid = sum((Decimal(row["prepaid_change"]) for row in rows), start=Decimal(0))
        assert sum(lines, start=Decimal(0)) + prepaid == sum(paid, start=Decimal(0))
        account.refresh_from_db()
        assert account.prepaid_balance == prepaid
        transaction.set_rollback(True)


def test_a_correction_carries_its_old_and_new_amount_due(world):
    account = account_with_bills("50.00", "20.00")
    channel_pay(account, "50.00", "WX-C1")
    bill = account.bills.get(period="2026-01")
    correction(world.office, bill, "40.00")

    rows = _rows(movement_file(timezone.localdate()).content)

    row = rows[-1]
    assert row["kind"] == MovementKind.CORRECTION
    assert (row["old_amount_due"], row["new_amount_due"]) == ("50.00", "40.00")
    assert row["amount"] == "-10.00" and row["prepaid_change"] == "10.00"
    assert row["lines"] == "2026-01:-10.00" and row["hall"] == "" and row["paid_at"] == ""
    assert rows[0]["old_amount_due"] == "" and rows[0]["new_amount_due"] == ""
