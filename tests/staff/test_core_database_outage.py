"""The pool after a PostgreSQL restart, and pages and /healthz while the database is away.

The test settings run without the pool (config/settings/test.py); these tests switch the
default connection to the production pool settings (`DB_POOL_FOR_TESTS`) and back.
"""

import os
import socket
import time

import pytest
from django.conf import settings
from django.db import close_old_connections, connections
from django.test import Client

APPLICATION = f"counterops-pool-test-{os.getpid()}"

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="the connection pool is PostgreSQL's",
)


@pytest.fixture
def pooled(transactional_db):
    """The default connection through the pool, as in production; its backends are named."""
    connection = connections["default"]
    connection.close()
    saved = connection.settings_dict["OPTIONS"]
    connection.settings_dict["OPTIONS"] = {
        **saved,
        "pool": dict(settings.DB_POOL_FOR_TESTS),
        "application_name": APPLICATION,
    }
    yield connection
    connection.close()
    connection.close_pool()
    connection.settings_dict["OPTIONS"] = saved


def _other_connection():
    """A connection of its own (same role), outside the pool."""
    other = connections["default"].copy()
    options = {k: v for k, v in other.settings_dict["OPTIONS"].items() if k != "pool"}
    other.settings_dict["OPTIONS"] = {**options, "application_name": "counterops-terminator"}
    return other


def _pool_backends(cursor):
    cursor.execute(
        "SELECT pid FROM pg_stat_activity WHERE application_name = %s AND datname = "
        "current_database()",
        [APPLICATION],
    )
    return [row[0] for row in cursor.fetchall()]


def _end_pool_backends():
    """What a PostgreSQL restart does to the pool: every backend of it is ended."""
    other = _other_connection()
    try:
        with other.cursor() as cursor:
            pids = _pool_backends(cursor)
            for pid in pids:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            for _ in range(100):
                if not _pool_backends(cursor):
                    break
                time.sleep(0.05)
            assert not _pool_backends(cursor)
    finally:
        other.close()
    return pids


def _request(client, url):
    """A request as a server runs it: the test client keeps the thread's connection between
    requests, a server hands it back to the pool after each (close_old_connections)."""
    close_old_connections()
    try:
        return client.get(url)
    finally:
        close_old_connections()


def test_requests_after_the_pools_backends_were_ended_succeed(pooled, world):
    client = Client(raise_request_exception=False)
    client.force_login(world.cashier)
    for first, then in [("/", "/healthz"), ("/healthz", "/")]:
        assert _request(client, then).status_code == 200
        pooled.pool.wait(timeout=10)  # min_size connections open, all of them idle now

        assert len(_end_pool_backends()) >= settings.DB_POOL_FOR_TESTS["min_size"]

        # None of the next requests gets a dead connection: no 500, no flapping /healthz.
        statuses = [_request(client, url).status_code for url in (first, first, first, then)]
        assert statuses == [200] * 4, first


def _closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def outage(pooled):
    """The database "down": the pool connects to a port where nothing listens."""
    pooled.close()
    pooled.close_pool()
    saved = pooled.settings_dict["HOST"], pooled.settings_dict["PORT"]
    pooled.settings_dict["HOST"], pooled.settings_dict["PORT"] = "127.0.0.1", _closed_port()
    yield
    pooled.close()
    pooled.close_pool()
    pooled.settings_dict["HOST"], pooled.settings_dict["PORT"] = saved


def _timed(client, url):
    started = time.monotonic()
    response = _request(client, url)
    return response, time.monotonic() - started


def test_during_an_outage_healthz_answers_503_within_2_seconds(pooled, world, outage):
    response, seconds = _timed(Client(raise_request_exception=False), "/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"
    assert seconds < 2


def test_during_an_outage_a_page_says_so_in_chinese_within_seconds(pooled, world, outage):
    client = Client(raise_request_exception=False)
    # A signed-in browser: the session is read from the database first thing.
    client.cookies[settings.SESSION_COOKIE_NAME] = "k" * 32
    response, seconds = _timed(client, "/")

    page = response.content.decode()
    assert response.status_code == 503
    assert "数据库" in page and "Traceback" not in page
    assert response["Retry-After"] == "10"
    # One wait for the pool (not one per query of the request), then the page.
    assert seconds < settings.DB_POOL_FOR_TESTS["timeout"] + 1.5
