"""On PostgreSQL the audit trail is append-only: an entry is never changed or deleted.

`staff.core.audit.audit_record` only inserts. This trigger refuses a direct `UPDATE` or `DELETE`
whoever sends it, the app's runtime role included (which cannot drop or disable the trigger:
it owns nothing, see `manage.py grant_runtime_role`). `TRUNCATE` fires no row trigger; the
runtime role holds no TRUNCATE privilege. SQLite relies on the services alone.
"""

from django.db import migrations

GUARD = """
CREATE OR REPLACE FUNCTION staff_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'staff: audit entries are never changed or deleted';
END $$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS staff_audit_append_only ON staff_auditentry;
CREATE TRIGGER staff_audit_append_only BEFORE UPDATE OR DELETE ON staff_auditentry
    FOR EACH ROW EXECUTE FUNCTION staff_audit_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS staff_audit_append_only ON staff_auditentry;
DROP FUNCTION IF EXISTS staff_audit_append_only();
"""


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            # Without parameters, so PostgreSQL takes the several statements in one go.
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("staff", "0004_roster_snapshot_leave_revoked")]

    operations = [migrations.RunPython(_run(GUARD), _run(DROP))]
