import time
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _post_login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_migrations_create_no_user():
    assert get_user_model().objects.count() == 0


def test_it_logs_in_with_username_and_password_and_lands_on_home(client, world):
    response = _post_login(client, "cashier", "pass-Word-123")

    assert response.status_code == 302
    assert response.url == reverse("staff:home")


def test_wrong_password_shows_chinese_error_and_logs_nobody_in(client, world):
    response = _post_login(client, "cashier", "wrong")

    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_username_and_address_with_chinese_429(client, world):
    for _ in range(5):
        _post_login(client, "cashier", "wrong")

    response = _post_login(client, "cashier", "pass-Word-123")

    assert response.status_code == 429
    assert "账号已锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username(client, world):
    for _ in range(5):
        _post_login(client, "cashier", "wrong")

    response = _post_login(client, "cashier2", "pass-Word-123")

    assert response.status_code == 302


def test_session_ends_with_browser_and_after_idle_period(client, world):
    response = _post_login(client, "cashier", "pass-Word-123")

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == "", "a browser-session cookie"
    assert client.session.get_expiry_age() == 30 * 60


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_activity_extends_the_idle_period_written_at_most_once_a_minute(client, world):
    _post_login(client, "cashier", "pass-Word-123")
    at_login = _expiry(client)

    with mock.patch("time.time", return_value=time.time() + 30):
        client.get(reverse("staff:home"))
    assert _expiry(client) == at_login, "within a minute of the last save nothing is written"

    later = time.time() + settings.SESSION_TOUCH_SECONDS + 1
    with mock.patch("time.time", return_value=later):
        client.get(reverse("staff:home"))
    assert _expiry(client) > at_login, "activity moves the end of the idle period"


def test_a_request_within_the_minute_does_not_write_the_session(client, world):
    _post_login(client, "cashier", "pass-Word-123")

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("billing:counter"))

    assert not [
        q for q in queries.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]
    ]


def test_anonymous_requests_create_no_session(client, db):
    client.get(reverse("login"))

    assert Session.objects.count() == 0


def test_expired_session_asks_to_log_in_again(client, world):
    _post_login(client, "cashier", "pass-Word-123")
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))

    response = client.get(reverse("staff:home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    page = client.get(response.url).content.decode()
    assert "您已超过30分钟未操作，已自动退出，请重新登录。" in page


def test_logout_is_a_post_and_ends_the_session(client, world):
    client.force_login(world.cashier)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_home_requires_login(client, db):
    response = client.get("/")

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/"
