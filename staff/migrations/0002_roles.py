"""Create the role groups with their permissions. No user is created here.

The same grants are re-applied after every migrate and flush (`staff.core.roles.ensure_role_groups`),
which is how the other apps' permissions reach the groups.
"""

from django.db import migrations

from staff.core.roles import ensure_role_groups


def create_roles(apps, schema_editor):
    ensure_role_groups(apps=apps, using=schema_editor.connection.alias, strict=False)


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
