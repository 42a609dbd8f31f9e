"""Trigram indexes for the counter's search by name and address (PostgreSQL only).

The counter finds an account by part of its name or address (`icontains`, which PostgreSQL
runs as `UPPER(column::text) LIKE UPPER('%...%')`). No B-tree serves a pattern with a leading
wildcard, so every search read the whole table: about 70 ms for 200,000 accounts, and longer
for a name nobody has. GIN trigram indexes on exactly those expressions serve it. pg_trgm is a
trusted extension: the database's owner may create it. SQLite has nothing to do here.
"""

from django.db import migrations

INDEXES = {
    "billing_account_name_trgm": "name",
    "billing_account_address_trgm": "address",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for index, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {index} ON billing_account "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")


class Migration(migrations.Migration):
    dependencies = [("billing", "0004_ledger_db_guards")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
