"""The SLA view's FilterSet: category filters the tickets; months and grouping are options."""

from datetime import date

import pytest

from complaints.filters import SlaFilterSet
from complaints.models import Category
from complaints.selectors.tickets import tickets_for
from tests.complaints.factories import open_ticket


def _filters(**params):
    return SlaFilterSet(params)


@pytest.mark.parametrize(
    ("typed", "month"),
    [("2026-03", date(2026, 3, 1)), ("2026-3", date(2026, 3, 1)), (" 2027-12 ", date(2027, 12, 1))],
)
def test_months_are_read_as_typed_by_a_month_input(typed, month):
    assert _filters(start=typed).option("start") == month


@pytest.mark.parametrize(
    "typed", ["2026-13", "2026-00", "2026", "2026-03-01", "三月", "２０２６-03"]
)
def test_unreadable_month_is_left_out_with_its_message(typed):
    filters = _filters(end=typed)
    assert filters.option("end") is None
    assert filters.errors == {"end": ["请按“年-月”填写月份，例如 2026-03。"]}


def test_months_and_grouping_leave_the_tickets_as_they_are(world):
    repairs = open_ticket(world.cashier, category=Category.REPAIRS)
    open_ticket(world.cashier, category=Category.BILLING)
    filters = SlaFilterSet(
        {"start": "2020-01", "end": "2020-02", "dims": ["owner"], "category": "repairs"},
        queryset=tickets_for(world.director),
    )
    assert list(filters.qs) == [repairs]
    assert filters.option("dims") == ["owner"]
    assert filters.option("category") == "repairs"


def test_no_choices_give_no_options():
    filters = _filters()
    assert [filters.option(name) for name in ("start", "end", "category", "dims")] == [None] * 4
    assert filters.errors == {}
