"""The home page warns the office and the director of a working-calendar year not entered yet
(the working calendar is the staff core's)."""

from datetime import date

import pytest
from django.urls import reverse

from staff.core.extensions import attention_items_for

pytestmark = pytest.mark.django_db


def _texts(user):
    return [item.text for item in attention_items_for(user)]


def test_calendar_warning_from_first_november_for_director_and_office(world, monkeypatch):
    from staff.selectors import home

    # The package knows up to 2026: from 1 November 2026 the office must enter 2027.
    monkeypatch.setattr(home.timezone, "localdate", lambda: date(2026, 11, 1))

    assert "2027年工作日历缺失：请录入节假日和调休上班日" in _texts(world.office)
    assert "2027年工作日历缺失：请录入节假日和调休上班日" in _texts(world.director)
    assert not any("工作日历缺失" in text for text in _texts(world.cashier))
    assert not any("工作日历缺失" in text for text in _texts(world.shift_lead))


def test_calendar_warning_follows_the_date(world, monkeypatch):
    from staff.selectors import home

    monkeypatch.setattr(home.timezone, "localdate", lambda: date(2026, 10, 31))
    assert not any("工作日历缺失" in text for text in _texts(world.office))
    monkeypatch.setattr(home.timezone, "localdate", lambda: date(2026, 11, 1))
    assert any("2027年工作日历缺失" in text for text in _texts(world.office))


def test_calendar_warning_links_to_the_calendar_page(world, monkeypatch):
    from staff.selectors import home

    monkeypatch.setattr(home.timezone, "localdate", lambda: date(2026, 11, 1))
    (item,) = [i for i in attention_items_for(world.office) if "工作日历缺失" in i.text]

    assert (item.url, item.level) == (reverse("complaints:calendar"), "danger")
