"""The benchmarks' PostgreSQL database: created when missing, then Django set up on it."""

import os
import urllib.parse


def ensure_database(database_url: str) -> None:
    """Create the database of `database_url` (through the `postgres` database) if missing."""
    import psycopg

    parts = urllib.parse.urlparse(database_url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def setup_django(default_url: str) -> str:
    """Point Django (test settings) at BENCH_DATABASE_URL or `default_url`, migrated."""
    url = os.environ.get("BENCH_DATABASE_URL", default_url)
    ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url
