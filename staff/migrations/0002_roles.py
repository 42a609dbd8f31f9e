"""Create the role groups with their permissions. No user is created here."""

from django.db import migrations

from staff.migration_utils import grant_role_permissions
from staff.roles import STAFF_PERMISSIONS, Role


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role in Role.values:
        Group.objects.get_or_create(name=role)
    grant_role_permissions(
        apps, schema_editor, app_labels=["staff", "auth"], grants=STAFF_PERMISSIONS
    )


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
