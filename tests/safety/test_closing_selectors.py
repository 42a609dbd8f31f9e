"""Which days count as missing a closing check: the month's grid and the overview agree."""

from datetime import timedelta

from django.utils import timezone

from tests.safety.factories import ClosingCheckFactory


def _missing(today, since_day, settings=None):
    from safety.selectors.closing import closing_month
    from safety.selectors.overview import overview_year
    from staff.models import Hall

    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    halls = Hall.objects.order_by("code")
    month_rows = closing_month(halls, year, month, today)
    overview = overview_year(halls, year, today, [])
    return (
        {row.hall.code: row.missing for row in month_rows},
        {hy.hall.code: hy.months[month - 1].missing_checks for hy in overview},
    )


def test_days_before_the_first_closing_check_are_not_missing(world):
    """Before anyone recorded a check the app was not in use: those days are not missing."""
    today = timezone.localdate()
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=10)  # last month's 10th
    last_month_days = (today.replace(day=1) - first).days  # the 10th to the month's end

    assert _missing(today, first) == (
        {world.hall_a.code: 0, world.hall_b.code: 0},
        {world.hall_a.code: 0, world.hall_b.code: 0},
    ), "nothing counts before the first check"

    ClosingCheckFactory(hall=world.hall_a, date=first)
    by_month, by_overview = _missing(today, first)

    expected = {world.hall_a.code: last_month_days - 1, world.hall_b.code: last_month_days}
    assert by_month == expected
    assert by_overview == expected


def test_a_configured_start_day_wins(world, settings):
    today = timezone.localdate()
    last_month_end = today.replace(day=1) - timedelta(days=1)
    settings.SAFETY_CLOSING_CHECKS_SINCE = last_month_end.replace(day=20).isoformat()

    by_month, by_overview = _missing(today, None)

    days = last_month_end.day - 20 + 1
    assert by_month == by_overview == {world.hall_a.code: days, world.hall_b.code: days}
