"""The login page says a session ended only when one did: by the idle timeout or with the
browser. Not on a first visit, not after logging out, not for a stale cookie, not merely
because a page sent the visitor to log in (?next=)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from staff.core.middleware import ENDED_COOKIE

pytestmark = pytest.mark.django_db

IDLE = "您已超过30分钟未操作，已自动退出，请重新登录。"
CLOSED = "浏览器关闭后已自动退出，请重新登录。"


def said_ended(page):
    """Any notice that a session ended, this one or the old "会话已过期"."""
    old = ("会话已过期", "session has expired")
    return 'data-testid="session-ended"' in page or any(text in page for text in old)


def _log_in(client, username="cashier"):
    response = client.post(reverse("login"), {"username": username, "password": "pass-Word-123"})
    assert response.status_code == 302
    client.get(reverse("staff:home"))


def _login_page_after_asking_for(client, path="/billing/counter/"):
    """A protected page, as a browser asks for it: redirected to the login page, followed."""
    response = client.get(path)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    return client.get(response.url).content.decode()


def test_first_visit_sent_to_log_in_gets_no_session_notice(client, world):
    assert not said_ended(_login_page_after_asking_for(client))
    assert not said_ended(client.get(reverse("login")).content.decode())


def test_after_logging_out_there_is_no_session_notice(client, world):
    _log_in(client)

    client.post(reverse("logout"))

    assert not said_ended(client.get(reverse("login")).content.decode())
    assert not said_ended(_login_page_after_asking_for(client))


def test_a_stale_session_cookie_on_a_first_visit_gets_no_notice(client, world):
    client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32  # unknown to the server

    assert not said_ended(_login_page_after_asking_for(client))


def test_a_stale_cookie_of_another_session_gets_no_notice(client, world):
    _log_in(client)
    marker = client.cookies[ENDED_COOKIE].value
    client.post(reverse("logout"))
    client.cookies[ENDED_COOKIE] = marker  # left over, but this browser has a session cookie
    client.cookies[settings.SESSION_COOKIE_NAME] = "y" * 32

    assert not said_ended(_login_page_after_asking_for(client))


def test_idle_timeout_is_said_on_the_login_page_once(client, world):
    _log_in(client)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))

    page = _login_page_after_asking_for(client)

    assert IDLE in page and CLOSED not in page
    assert not said_ended(client.get(reverse("login")).content.decode()), "said once"


def test_idle_timeout_is_said_when_the_login_page_is_opened_directly(client, world):
    _log_in(client)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))

    assert IDLE in client.get(reverse("login")).content.decode()


def test_closing_the_browser_is_said_on_the_login_page(client, world):
    _log_in(client)
    # The browser closes: its session cookie (no expiry) goes, persistent cookies stay.
    del client.cookies[settings.SESSION_COOKIE_NAME]

    page = _login_page_after_asking_for(client)

    assert CLOSED in page and IDLE not in page


def test_session_ended_by_a_password_change_is_not_called_a_timeout(client, world):
    _log_in(client)
    world.cashier.set_password("another-Pass-456")
    world.cashier.save()

    assert not said_ended(_login_page_after_asking_for(client))


def test_signed_in_visitor_opening_the_login_page_gets_no_notice(client, world):
    _log_in(client)

    assert not said_ended(client.get(f"{reverse('login')}?next=/").content.decode())


def test_the_marker_cookie_is_http_only_and_kept_after_the_browser_closes(client, world):
    response = client.post(reverse("login"), {"username": "cashier", "password": "pass-Word-123"})

    cookie = response.cookies[ENDED_COOKIE]
    assert cookie["httponly"] and cookie["max-age"] == 12 * 3600
    assert cookie["samesite"] == settings.SESSION_COOKIE_SAMESITE
    assert world.cashier.username not in cookie.value
