"""Whether the database answers: `/healthz`, and the "database unavailable" page (503).

A request that cannot reach the database (PostgreSQL down or restarting, the pool empty after
its timeout, SQLite locked past its timeout) ends on `templates/503.html` with status 503
(`staff.core.views.server_error`), not on the 500 page: nothing is wrong with the request, it may
simply be sent again.
"""

import sqlite3

import psycopg
from django.db import DatabaseError, connection

# /healthz answers within 2 s even while the database is away (load balancers' usual limit).
# Long enough for the pool to replace its dead connection after a PostgreSQL restart:
# psycopg_pool waits about a second before its next try once a connection failed its check.
HEALTHZ_TIMEOUT = 1.5

# A server going away or not taking connections yet: admin_shutdown (a restart, or
# pg_terminate_backend), crash_shutdown, cannot_connect_now; and class 08, connection exceptions.
_SERVER_GONE = {"57P01", "57P02", "57P03"}


def database_unavailable(error: BaseException | None) -> bool:
    """Whether `error` (or what it was raised from) means the database cannot be reached,
    rather than a bug or bad data: a lost or refused connection, or a pool left empty."""
    while error is not None:
        if isinstance(error, psycopg.OperationalError):
            # No SQLSTATE: the client lost or could not open the connection (PoolTimeout too).
            state = error.sqlstate
            return state is None or state.startswith("08") or state in _SERVER_GONE
        if isinstance(error, sqlite3.OperationalError):
            return "locked" in str(error) or "unable to open" in str(error)
        error = error.__cause__
    return False


def database_answers(timeout: float = HEALTHZ_TIMEOUT) -> bool:
    """Whether the database answers within about `timeout` seconds."""
    from ..models import Hall

    pool = getattr(connection, "pool", None)
    try:
        if pool is not None and connection.connection is None:
            return _pool_answers(pool, timeout)
        # SQLite, PostgreSQL without the pool (connect_timeout bounds it), or a request that
        # already holds its connection: one small read of a table every page needs.
        Hall.objects.exists()
    except DatabaseError:
        return False
    return True


def _pool_answers(pool, timeout) -> bool:
    """A connection from the pool within `timeout` (not the pool's longer wait for requests),
    checked the way every request gets one (psycopg_pool's check, one empty round trip)."""
    pool.open()
    try:
        pool.putconn(pool.getconn(timeout))
    except psycopg.Error:
        return False
    return True
