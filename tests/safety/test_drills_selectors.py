"""Reads of the drill pages."""

from datetime import date

from django.utils import timezone

from tests.safety.factories import AlarmDrillFactory


def test_drill_form_offers_last_month_while_it_is_still_open(world, monkeypatch, settings):
    from safety.selectors.drills import default_drill_month

    settings.SAFETY_DRILL_GRACE_DAYS = 3
    halls = [world.hall_a]
    assert default_drill_month(halls, date(2026, 6, 2)) == (2026, 5)
    AlarmDrillFactory(
        hall=world.hall_a,
        year=2026,
        month=5,
        held_at=timezone.make_aware(timezone.datetime(2026, 5, 28, 16)),
    )
    assert default_drill_month(halls, date(2026, 6, 2)) == (2026, 6)
    assert default_drill_month(halls, date(2026, 6, 10)) == (2026, 6)
