"""Run the test suite as the app's runtime role (PostgreSQL, `RUNTIME_DATABASE_URL`).

The owner role of `DATABASE_URL` creates and migrates the test database, as `migrate` does in
production; `grant_runtime_role` gives the runtime role what the app needs; from then on every
connection of the tests (the test client's, the live server's and the threads') is the runtime
role's. Only two things stay the owner's: the flush that ends a transactional test (TRUNCATE,
which the runtime role must not hold) and dropping the test database at the end.
"""

from contextlib import contextmanager
from io import StringIO
from urllib.parse import quote

import environ
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.db.backends.postgresql.operations import DatabaseOperations


def runtime_credentials() -> tuple[str, str] | None:
    """(user, password) of RUNTIME_DATABASE_URL when the tests run on PostgreSQL as it."""
    url = getattr(settings, "RUNTIME_DATABASE_URL", "")
    if not url or connections["default"].vendor != "postgresql":
        return None
    config = environ.Env.db_url_config(url)
    return config["USER"], config["PASSWORD"]


def owner_database_url() -> str:
    """postgres://... of the test database as its owner (for a `manage.py` subprocess)."""
    database = connections["default"].settings_dict
    user = quote(_owner.get("USER", database["USER"]), safe="")
    password = quote(_owner.get("PASSWORD", database["PASSWORD"]), safe="")
    host = database["HOST"] or "localhost"
    return f"postgres://{user}:{password}@{host}:{database['PORT'] or 5432}/{database['NAME']}"


def owner_connection():
    """A new connection to the test database as the owner (close it after use)."""
    owner = connections["default"].copy()
    owner.settings_dict.update(USER=_owner["USER"], PASSWORD=_owner["PASSWORD"])
    return owner


_owner = {}


def _flush_as_owner(self, sql_list):
    # Django's flush after a transactional test: TRUNCATE is the owner's alone.
    owner = owner_connection()
    try:
        with owner.cursor() as cursor:
            for sql in sql_list:
                cursor.execute(sql)
    finally:
        owner.close()


def switch_to_runtime_role(monkeypatch) -> str | None:
    """After the test database exists: grant the runtime role and connect as it from now on."""
    credentials = runtime_credentials()
    if credentials is None:
        return None
    database = settings.DATABASES["default"]
    _owner.update(USER=database["USER"], PASSWORD=database["PASSWORD"])
    call_command("grant_runtime_role", credentials[0], stdout=StringIO())
    connection = connections["default"]
    connection.close()
    # settings.DATABASES["default"] is the connection's settings_dict: the threads' and the
    # live server's connections are made from it too.
    connection.settings_dict.update(USER=credentials[0], PASSWORD=credentials[1])
    monkeypatch.setattr(DatabaseOperations, "execute_sql_flush", _flush_as_owner)
    return credentials[0]


def switch_back_to_owner():
    """Before the test database is dropped (by its owner)."""
    if _owner:
        connection = connections["default"]
        connection.close()
        connection.settings_dict.update(USER=_owner["USER"], PASSWORD=_owner["PASSWORD"])


def _latest_migrations():
    from django.db.migrations.executor import MigrationExecutor

    return MigrationExecutor(connections["default"]).loader.graph.leaf_nodes()


def migrate_to(targets):
    """Migrate the test database to `targets` (app, migration) pairs."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections["default"])
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@contextmanager
def migrations_as_owner():
    """For a test that migrates the database back and forth: as the owner, as `migrate` runs
    in production; afterwards every app at its latest migration again (going back in one app
    unapplies the later migrations of the apps that depend on it) and the runtime role granted
    the tables made again, as production does after `migrate`."""
    connection = connections["default"]
    runtime = runtime_credentials()
    if runtime is not None:
        connection.close()
        connection.settings_dict.update(USER=_owner["USER"], PASSWORD=_owner["PASSWORD"])
    try:
        yield
    finally:
        migrate_to(_latest_migrations())
        if runtime is not None:
            call_command("grant_runtime_role", runtime[0], stdout=StringIO())
            connection.close()
            connection.settings_dict.update(USER=runtime[0], PASSWORD=runtime[1])
