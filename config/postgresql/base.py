"""Django's PostgreSQL backend: bulk statements cut to fit server-side parameters, and a pool
that replaces its dead connections before a request gets one.

With `server_side_binding` (config.settings.base: it lets psycopg prepare the statements a
payment repeats) a statement may carry at most 65,535 parameters, a limit of PostgreSQL's
protocol. Django's PostgreSQL backend assumes client-side binding, which has none: it sends a
whole `bulk_create` or the deletes of a cascade as one statement, and 100,000 rows failed with
"number of parameters must be between 0 and 65535". Here those batches are cut to fit.

After a PostgreSQL restart every idle connection of the pool is dead. psycopg's pool hands them
out unchecked (Django's default), so requests failed with 500 and `/healthz` flapped until each
had been tried once; with the pool's own `check` a request still found them one by one, waiting
a second, then two, between them. Here a connection is checked (one empty round trip) before a
request gets it, and the first dead one makes the pool test all its idle connections at once
and replace the dead ones (`pooled_connection`).
"""

from time import monotonic

import psycopg
from django.db.backends.postgresql import base, operations
from psycopg_pool import PoolTimeout

MAX_PARAMETERS = 65_535


class DatabaseOperations(operations.DatabaseOperations):
    def bulk_batch_size(self, fields, objs):
        # Per object: one parameter per field for bulk_create and deletes, but 2 per field
        # plus 1 for bulk_update (CASE WHEN pk THEN value, and pk IN): allow for the larger.
        per_object = 2 * max(len(fields), 1) + 1
        return max(1, min(len(objs), MAX_PARAMETERS // per_object))


# Pool name -> until when its database counts as away: a request waited the pool's whole
# timeout for a connection moments ago.
_away_until: dict[str, float] = {}


def pooled_connection(pool, get):
    """`get()`, a connection taken from `pool`, which answered just now.

    A dead one (PostgreSQL restarted, or ended its backend) goes back to the pool, which
    discards it; its idle neighbours most likely died with it, so `pool.check()` tests them all
    now and starts replacing the dead ones; then `get()` again, which waits for a fresh
    connection when none is left (up to the pool's timeout, PoolTimeout after it).

    Once a wait ran out, the database counts as away for the pool's timeout: meanwhile, with no
    idle connection, PoolTimeout comes at once. A request then answers "database unavailable"
    after one wait, not after one per query (its view, then its middleware reading the user).
    """
    if monotonic() < _away_until.get(pool.name, 0.0) and not pool.get_stats()["pool_available"]:
        raise PoolTimeout("the database did not answer moments ago")
    try:
        connection = get()
        try:
            pool.check_connection(connection)
        except psycopg.Error:
            pool.putconn(connection)
            pool.check()
            connection = get()
    except PoolTimeout:
        _away_until[pool.name] = monotonic() + pool.timeout
        raise
    return connection


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def get_new_connection(self, conn_params):
        take = super().get_new_connection
        if self.pool is None:
            return take(conn_params)
        return pooled_connection(self.pool, lambda: take(conn_params))
