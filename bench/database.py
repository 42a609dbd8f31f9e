"""The benchmarks' PostgreSQL database: named, created when missing, then Django set up on it.

Creating a database is not something the ORM can say, so `ensure_database` speaks SQL to the
server's `postgres` database (one of the places README's "Benchmarks" section lists).
"""

import os
import urllib.parse

DEFAULT_URL = "postgres://counterops:counterops@localhost/counterops_bench_{name}"


def database_url(name: str) -> str:
    """The database of benchmark `name`: BENCH_DATABASE_URL, or one database per benchmark.

    A `{name}` in BENCH_DATABASE_URL is replaced by `name`, so one setting gives every
    benchmark of a full run its own database (e.g. `.../counterops_bench_h11_{name}`); without
    it, every benchmark of the run uses that one database.
    """
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL).replace("{name}", name)


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


def setup_django(name: str) -> str:
    """Point Django (test settings) at the database of benchmark `name`, migrated.

    Settings are read once per process: `python -m bench` runs each benchmark of a full run in
    its own process, so one benchmark's settings never leak into the next.
    """
    url = database_url(name)
    ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url
