import re
from contextlib import contextmanager
from datetime import date, timedelta
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.safety.factories import ClosingCheckFactory, IncidentFactory


def aware(day: date, hour=16, minute=0):
    return timezone.make_aware(timezone.datetime(day.year, day.month, day.day, hour, minute))


def shown(moment) -> str:
    """A time as the safety messages show it: local, to the minute."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


@contextmanager
def refused_with(*messages):
    """The block is a service's refusal with exactly these messages, as the user reads them."""
    with pytest.raises(ValidationError) as refusal:
        yield
    assert refusal.value.messages == list(messages)


def page_messages(response) -> list[str]:
    """The messages at the top of the page (base.html), e.g. a refusal after a redirect."""
    html = response.content.decode()
    return [
        unescape(text).strip()
        for text in re.findall(r'<p class="message message-[^"]*"[^>]*>(.*?)</p>', html, re.S)
    ]


def form_errors(response) -> list[str]:
    """The errors shown on the page's forms (Django's error lists), field or not."""
    html = response.content.decode()
    return [
        unescape(item).strip()
        for errors in re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
        for item in re.findall(r"<li>(.*?)</li>", errors, re.S)
    ]


@pytest.fixture
def last_month():
    """(year, month) of the month before today."""
    first = timezone.localdate().replace(day=1)
    previous = first - timedelta(days=1)
    return previous.year, previous.month


@pytest.fixture
def year_data(world):
    """This year: a closing check in hall A, and an open incident two minutes old that
    leadership has not heard of (late once the limit is 0)."""
    today = timezone.localdate()
    ClosingCheckFactory(hall=world.hall_a, date=today.replace(day=1))
    IncidentFactory(hall=world.hall_a, occurred_at=timezone.now() - timedelta(minutes=2))
    return today.year
