"""The office is warned when a client system that reads the movements has not read for
API_READ_WARNING_HOURS during the working hours (08:00-18:00) of a working day."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from billing.models import ApiClient
from billing.selectors.api_clients import clients_not_reading
from tests.billing.api_helpers import make_client

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day, hour, minute=0):
    return datetime(*day, hour, minute, tzinfo=SHANGHAI)


MONDAY = (2026, 11, 30)
FRIDAY = (2026, 11, 27)
NATIONAL_DAY = (2026, 10, 1)  # a Thursday, a public holiday
MAKEUP_SATURDAY = (2026, 10, 10)  # a working day (调休)


def reader(last_read=None, created=None, **kwargs):
    client, _token = make_client(**kwargs)
    ApiClient.objects.filter(pk=client.pk).update(
        last_read_at=last_read, created_at=created or at(FRIDAY, 8)
    )
    return client


def names(now):
    return [client.name for client in clients_not_reading(now)]


def test_a_reader_silent_longer_than_the_setting_on_a_working_day_is_named():
    reader(last_read=at(MONDAY, 8, 30))
    assert names(at(MONDAY, 10, 29)) == []
    assert names(at(MONDAY, 10, 31)) == ["营收系统"]


def test_the_setting_sets_the_period(settings):
    settings.API_READ_WARNING_HOURS = 4
    reader(last_read=at(MONDAY, 8, 30))
    assert names(at(MONDAY, 12, 0)) == []
    assert names(at(MONDAY, 12, 31)) == ["营收系统"]


def test_after_a_weekend_the_reader_has_the_period_from_the_start_of_the_day():
    reader(last_read=at(FRIDAY, 17))
    assert names(at(MONDAY, 9, 59)) == []
    assert names(at(MONDAY, 10, 1)) == ["营收系统"]


def test_nobody_is_warned_outside_working_hours():
    reader(last_read=at(FRIDAY, 17))
    assert names(at(MONDAY, 18, 1)) == []
    assert names(at(MONDAY, 7, 0)) == []


def test_nobody_is_warned_on_a_public_holiday_or_a_weekend_but_on_a_makeup_working_day():
    reader(last_read=at((2026, 9, 1), 9))
    assert names(at(NATIONAL_DAY, 11)) == []
    assert names(at((2026, 12, 5), 11)) == []  # a Saturday
    assert names(at(MAKEUP_SATURDAY, 11)) == ["营收系统"]


def test_a_reader_that_never_read_counts_from_its_creation():
    reader(created=at(MONDAY, 9))
    assert names(at(MONDAY, 10, 30)) == []
    assert names(at(MONDAY, 11, 1)) == ["营收系统"]


def test_revoked_clients_and_clients_that_do_not_read_are_not_watched():
    revoked = reader(last_read=at(FRIDAY, 9))
    ApiClient.objects.filter(pk=revoked.pk).update(revoked_at=at(FRIDAY, 10))
    reader(last_read=None, name="支付网关", scopes=["channel"])
    assert names(at(MONDAY, 11)) == []


def test_the_office_and_the_director_see_the_warning_on_their_home_page(client, world, monkeypatch):
    reader(last_read=at(MONDAY, 8))
    monkeypatch.setattr(timezone, "now", lambda: at(MONDAY, 11))
    for persona, warned in [("office", True), ("director", True), ("cashier", False)]:
        client.force_login(getattr(world, persona))
        page = client.get("/").content.decode()
        assert ("营收系统 自 11-30 08:00 起未读取资金变动" in page) is warned, persona


def test_a_reader_that_never_read_is_named_as_such(client, world, monkeypatch):
    reader(created=at(FRIDAY, 9))
    monkeypatch.setattr(timezone, "now", lambda: at(MONDAY, 11))
    client.force_login(world.office)
    assert "营收系统 开通后从未读取资金变动" in client.get("/").content.decode()
