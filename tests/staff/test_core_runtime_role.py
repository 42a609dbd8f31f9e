"""`manage.py grant_runtime_role`, and what the app's runtime role can and cannot do.

The runtime role's tests need the suite to run as it (RUNTIME_DATABASE_URL, as `.ci/run` does);
without it they are skipped with the reason.
"""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection

from tests.runtime_role import owner_database_url, runtime_credentials

ROOT = settings.BASE_DIR

postgres_only = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="roles exist on PostgreSQL only",
)


@pytest.fixture
def runtime_role():
    credentials = runtime_credentials()
    if credentials is None:
        pytest.skip("set RUNTIME_DATABASE_URL to run the tests as the runtime role")
    return credentials[0]


def _refused(sql):
    with pytest.raises(DatabaseError), connection.cursor() as cursor:
        cursor.execute(sql)


@pytest.mark.django_db
def test_grant_runtime_role_refuses_sqlite_with_a_clear_message():
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite refusal")
    with pytest.raises(CommandError, match="PostgreSQL: SQLite has no roles"):
        call_command("grant_runtime_role", "counterops_app", stdout=StringIO())


@postgres_only
@pytest.mark.django_db
def test_grant_runtime_role_refuses_a_missing_role_a_superuser_and_the_owner_itself():
    with pytest.raises(CommandError, match="does not exist"):
        call_command("grant_runtime_role", "no_such_role_h3", stdout=StringIO())
    with pytest.raises(CommandError, match="superuser"):
        call_command("grant_runtime_role", "postgres", stdout=StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        current = cursor.fetchone()[0]
    # The role the command runs as (the owner, or here whichever role runs the tests).
    with pytest.raises(CommandError, match="not a runtime role|member of it"):
        call_command("grant_runtime_role", current, stdout=StringIO())


@postgres_only
@pytest.mark.django_db
def test_the_tests_connect_as_a_runtime_role_that_owns_nothing(runtime_role):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, rolsuper, rolcreatedb, rolcreaterole FROM pg_roles "
            "WHERE rolname = current_user"
        )
        assert cursor.fetchone() == (runtime_role, False, False, False)
        cursor.execute(
            "SELECT count(*) FROM pg_class WHERE relowner = "
            "(SELECT oid FROM pg_roles WHERE rolname = current_user)"
        )
        assert cursor.fetchone()[0] == 0


@postgres_only
@pytest.mark.django_db
def test_runtime_role_cannot_disable_or_drop_the_guards_truncate_or_rewrite_history(runtime_role):
    for sql in [
        "ALTER TABLE billing_payment DISABLE TRIGGER ALL",
        "ALTER TABLE billing_payment DISABLE TRIGGER billing_payment_append_only",
        "ALTER TABLE staff_auditentry DISABLE TRIGGER staff_audit_append_only",
        "ALTER TABLE billing_cashledger DISABLE TRIGGER billing_ledger_guard",
        "DROP TRIGGER billing_payment_append_only ON billing_payment",
        "DROP TRIGGER staff_audit_append_only ON staff_auditentry",
        "DROP TRIGGER billing_ledger_guard ON billing_cashledger",
        "DROP FUNCTION billing_append_only() CASCADE",
        "CREATE OR REPLACE FUNCTION billing_append_only() RETURNS trigger "
        "AS $$ BEGIN RETURN NEW; END $$ LANGUAGE plpgsql",
        "TRUNCATE billing_payment CASCADE",
        "TRUNCATE staff_auditentry",
        "TRUNCATE billing_cashledger CASCADE",
        "SET session_replication_role = replica",
        "CREATE TABLE runtime_role_may_not_create (id int)",
        # Append-only: refused by the privileges, before any row (and its trigger) is met.
        "UPDATE billing_payment SET amount = 5000",
        "DELETE FROM billing_payment",
        "UPDATE billing_paymentline SET amount = 1",
        "DELETE FROM billing_paymentline",
        "UPDATE billing_invoicenumber SET number = 1",
        "DELETE FROM billing_invoicenumber",
        "UPDATE billing_deposit SET amount = 1",
        "DELETE FROM billing_deposit",
        "UPDATE staff_auditentry SET summary = ''",
        "DELETE FROM staff_auditentry",
    ]:
        _refused(sql)


def _privileges(role, table):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', "
            "'REFERENCES', 'TRIGGER']) AS p WHERE has_table_privilege(%s, %s, p)",
            [role, table],
        )
        return {row[0] for row in cursor.fetchall()}


def _grant_as_owner(role):
    """`manage.py grant_runtime_role ROLE`, run as the owner on the test database."""
    environment = {**os.environ, "DATABASE_URL": owner_database_url(), "DB_POOL": "false"}
    environment.pop("RUNTIME_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "manage.py", "grant_runtime_role", role],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_grant_runtime_role_grants_only_what_the_app_needs_and_is_idempotent(runtime_role):
    _grant_as_owner(runtime_role)
    output = _grant_as_owner(runtime_role)

    assert "Run this again after every migrate" in output
    assert _privileges(runtime_role, "billing_cashledger") == {
        "SELECT",
        "INSERT",
        "UPDATE",
        "DELETE",
    }
    for table in ["billing_payment", "billing_paymentline", "billing_invoicenumber"]:
        # UPDATE on single columns only (see BillingConfig.append_only), no DELETE.
        assert _privileges(runtime_role, table) == {"SELECT", "INSERT"}
    for table in ["billing_deposit", "staff_auditentry"]:
        assert _privileges(runtime_role, table) == {"SELECT", "INSERT"}
    assert _privileges(runtime_role, "django_migrations") == {"SELECT"}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = 'billing_invoicenumber'::regclass "
            "AND attnum > 0 AND has_column_privilege(%s, attrelid, attnum, 'UPDATE') "
            "ORDER BY attname",
            [runtime_role],
        )
        assert [row[0] for row in cursor.fetchall()] == ["reason", "status"]
        cursor.execute(
            "SELECT has_column_privilege(%s, 'billing_payment', 'amount', 'UPDATE')",
            [runtime_role],
        )
        assert cursor.fetchone()[0] is False
