"""`manage.py grant_runtime_role ROLE`: what the app's runtime role may do, and nothing more.

PostgreSQL has two roles for the app. The owner (the role `migrate` runs as) owns the tables,
their triggers and the guards on them (billing migrations 0004, 0008; staff 0006); the app
itself connects as a runtime role that owns nothing, so a bug, a shell session or a stolen
connection of the app can neither `ALTER TABLE ... DISABLE TRIGGER`, `DROP TRIGGER` nor
`TRUNCATE`. Run this as the owner after every `migrate` (new tables get no privileges until
then); it is idempotent: it revokes the runtime role's table privileges and grants them again.

What it grants, in the database's current schema:
- CONNECT on the database and USAGE on the schema;
- SELECT, INSERT, UPDATE, DELETE on every table, except
  - the append-only tables that apps declare as `append_only` on their AppConfig: SELECT and
    INSERT, and UPDATE only on the columns listed there (the one change a row may take, or the
    key alone, which `SELECT ... FOR UPDATE` needs; the triggers refuse every other change);
  - `django_migrations`: SELECT only (migrations run as the owner);
- USAGE and SELECT on every sequence.

Written with SQL: roles and privileges have no ORM.
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder


def append_only_tables() -> dict[str, tuple[str, ...]]:
    """Table name -> columns the runtime role may UPDATE, from every app's `append_only`."""
    tables = {}
    for config in apps.get_app_configs():
        for model_name, columns in (getattr(config, "append_only", None) or {}).items():
            model = config.get_model(model_name)
            names = [model._meta.get_field(column).column for column in columns]
            tables[model._meta.db_table] = tuple(names)
    return tables


class Command(BaseCommand):
    help = (
        "PostgreSQL: grant the app's runtime role (which must own nothing) only what the app "
        "needs. Run as the owner after every migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="the runtime role the app connects as")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, role, database, **options):
        connection = connections[database]
        if connection.vendor != "postgresql":
            raise CommandError(
                "grant_runtime_role is for PostgreSQL: SQLite has no roles (the file's "
                "permissions are all there is)."
            )
        quote = connection.ops.quote_name
        with transaction.atomic(using=database), connection.cursor() as cursor:
            schema, owner = self._check(cursor, role)
            tables = self._tables(cursor, schema)
            append_only = append_only_tables()
            read_only = {MigrationRecorder.Migration._meta.db_table}
            target = quote(role)
            statements = [
                f"GRANT CONNECT ON DATABASE {quote(connection.settings_dict['NAME'])} TO {target}",
                f"GRANT USAGE ON SCHEMA {quote(schema)} TO {target}",
                f"REVOKE ALL ON ALL TABLES IN SCHEMA {quote(schema)} FROM {target}",
                f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {quote(schema)} FROM {target}",
                f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {quote(schema)} TO {target}",
            ]
            for table in tables:
                name = f"{quote(schema)}.{quote(table)}"
                if table in read_only:
                    statements.append(f"GRANT SELECT ON {name} TO {target}")
                elif table in append_only:
                    statements.append(f"GRANT SELECT, INSERT ON {name} TO {target}")
                    if append_only[table]:
                        columns = ", ".join(quote(c) for c in append_only[table])
                        statements.append(f"GRANT UPDATE ({columns}) ON {name} TO {target}")
                else:
                    statements.append(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {name} TO {target}")
            for statement in statements:
                cursor.execute(statement)
            cursor.execute("SELECT has_schema_privilege(%s, %s, 'CREATE')", [role, schema])
            if cursor.fetchone()[0]:
                raise CommandError(
                    f"{role} may create objects in schema {schema} (granted to PUBLIC before "
                    f"PostgreSQL 15): as the schema's owner run "
                    f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC, then this again."
                )
        missing = sorted(set(append_only) - set(tables))
        if missing:
            raise CommandError(f"append-only tables not found (migrate first): {missing}")
        self.stdout.write(
            f"{role} may use {len(tables)} tables of {connection.settings_dict['NAME']} "
            f"(owner {owner}); append-only: {', '.join(sorted(append_only))}; "
            f"read-only: {', '.join(sorted(read_only))}. Run this again after every migrate."
        )

    def _check(self, cursor, role) -> tuple[str, str]:
        """Refuse a role that could undo the guards: (schema, owner) when it is fine."""
        cursor.execute(
            "SELECT rolsuper OR rolbypassrls, rolcreatedb OR rolcreaterole, "
            "pg_has_role(%s, current_user, 'MEMBER'), current_user, current_schema() "
            "FROM pg_roles WHERE rolname = %s",
            [role, role],
        )
        row = cursor.fetchone()
        if row is None:
            raise CommandError(
                f"Role {role} does not exist: create it first, e.g. "
                f"CREATE ROLE {role} LOGIN PASSWORD '...' (no SUPERUSER, CREATEDB, CREATEROLE)."
            )
        superuser, creates, member_of_owner, owner, schema = row
        if superuser:
            raise CommandError(
                f"{role} is a superuser (or bypasses row security): not a runtime role."
            )
        if creates:
            raise CommandError(f"{role} may create databases or roles: not a runtime role.")
        if member_of_owner:
            raise CommandError(
                f"{role} is {owner} or a member of it, so it has the owner's rights: connect "
                f"as the owner to run this, and let the app connect as another role."
            )
        cursor.execute(
            "SELECT count(*) FROM pg_shdepend JOIN pg_roles ON pg_roles.oid = refobjid "
            "WHERE rolname = %s AND deptype = 'o' "
            "AND dbid IN (0, (SELECT oid FROM pg_database WHERE datname = current_database()))",
            [role],
        )
        if cursor.fetchone()[0]:
            raise CommandError(
                f"{role} owns objects (tables, functions or a database): the runtime role must "
                f"own nothing. REASSIGN OWNED BY {role} TO {owner} first."
            )
        return schema, owner

    def _tables(self, cursor, schema) -> list[str]:
        cursor.execute(
            "SELECT c.relname, pg_get_userbyid(c.relowner) = current_user "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY 1",
            [schema],
        )
        rows = cursor.fetchall()
        foreign = [name for name, mine in rows if not mine]
        if foreign:
            raise CommandError(
                f"Run this as the owner of the tables (the role migrate runs as); "
                f"not owned by the current user: {', '.join(foreign[:5])}"
            )
        return [name for name, _mine in rows]
