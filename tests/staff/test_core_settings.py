"""The production settings module, checked in a subprocess as the server would load it."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "SECRET_KEY",
            "DEBUG",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="config.settings.production")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_passes_check_deploy():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="counterops.example",
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_real_secret_key():
    for key in ["", "django-insecure-" + "x" * 60, "short"]:
        result = _manage("check", SECRET_KEY=key)
        assert result.returncode != 0
        assert "SECRET_KEY" in result.stderr


def test_base_settings_are_chinese_shanghai_and_aware():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True


def test_sqlite_waits_for_writers_instead_of_failing():
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]


def test_production_uses_hashed_compressed_static_files():
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.STORAGES['staticfiles']['BACKEND'])",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="x",
    )

    assert "CompressedManifestStaticFilesStorage" in result.stdout, result.stderr


def test_postgres_uses_the_connection_pool():
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="x",
        DATABASE_URL="postgres://u:p@db.example/counterops",
    )

    assert "'pool'" in result.stdout, result.stderr


def test_postgres_is_djangos_own_backend_with_its_pool_checked_and_client_side_binding():
    """No backend of our own (config/postgresql), no server-side binding or prepared statements:
    Django's PostgreSQL backend, its pool checking each connection before a request gets it
    (CONN_HEALTH_CHECKS: psycopg_pool's check), sessions through Django's own engine."""
    script = (
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print('RESULT', d['ENGINE'], ','.join(sorted(d['OPTIONS'])), "
        "d['OPTIONS']['pool']['min_size'], d['CONN_HEALTH_CHECKS'], settings.SESSION_ENGINE)"
    )
    result = _manage(
        "shell",
        "-c",
        script,
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="x",
        DATABASE_URL="postgres://u:p@db.example/counterops",
    )

    (line,) = [line for line in result.stdout.splitlines() if line.startswith("RESULT")]
    assert line.split()[1:] == [
        "django.db.backends.postgresql",
        "connect_timeout,pool",
        "1",
        "True",
        "django.contrib.sessions.backends.db",
    ], result.stderr


def test_a_large_bulk_update_fits_on_postgresql(db):
    from django.db import connection

    from billing.models import Account

    if connection.vendor != "postgresql":
        pytest.skip("a bulk statement of many parameters is PostgreSQL's concern")
    Account.objects.bulk_create(
        [Account(account_no=f"U{n:07d}", name="甲", address="乙") for n in range(14_000)]
    )
    accounts = list(Account.objects.filter(account_no__startswith="U"))
    for account in accounts:
        account.name, account.address = "丙", "丁"

    Account.objects.bulk_update(accounts, ["name", "address"])

    assert Account.objects.filter(account_no__startswith="U", name="丙").count() == 14_000
