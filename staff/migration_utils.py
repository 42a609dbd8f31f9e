"""Helpers for data migrations that give the role groups their permissions.

Permissions are normally created after all migrations ran (post_migrate); a data migration that
assigns them must create them first.
"""

from django.contrib.auth.management import create_permissions


def grant_role_permissions(apps, schema_editor, *, app_labels, grants):
    """Create the groups of `grants` if needed and add the named permissions to each.

    `grants` maps a group name to codenames (e.g. "view_hall") of the models in `app_labels`.
    """
    for label in app_labels:
        config = apps.get_app_config(label)
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in grants.items():
        group, _ = Group.objects.get_or_create(name=str(role))
        permissions = Permission.objects.filter(
            content_type__app_label__in=app_labels, codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"unknown permissions for {role}: {sorted(missing)}")
        group.permissions.add(*permissions)
