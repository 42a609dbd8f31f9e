"""The center's roles. Each is a Django group of the same name, created by a data migration."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DIRECTOR = "director", _("Director")
    OFFICE = "office", _("Office")
    LOBBY_MANAGER = "lobby_manager", _("Lobby manager")
    SHIFT_LEAD = "shift_lead", _("Shift lead")
    CASHIER = "cashier", _("Cashier")
    DEPARTMENT_LIAISON = "department_liaison", _("Department liaison")


# Roles whose scope is the whole center rather than one hall.
CENTER_WIDE_ROLES = frozenset({Role.DIRECTOR, Role.OFFICE})

# Model permissions each group receives for the staff app's models ("auth." for auth's).
# Every app declares its own grants the same way, as `role_permissions` on its AppConfig.
STAFF_PERMISSIONS = {
    Role.DIRECTOR: [
        "view_hall",
        "add_hall",
        "change_hall",
        "view_department",
        "add_department",
        "change_department",
        "view_employee",
        "add_employee",
        "change_employee",
        "view_auditentry",
        "view_penalty",
        "add_penalty",
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "auth.view_group",
    ],
    Role.OFFICE: [
        "view_hall",
        "change_hall",
        "view_department",
        "add_department",
        "change_department",
        "view_employee",
        "add_employee",
        "change_employee",
        "view_auditentry",
        "view_penalty",
        "add_penalty",
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "auth.view_group",
    ],
    Role.LOBBY_MANAGER: ["view_hall", "view_department", "view_employee"],
    Role.SHIFT_LEAD: ["view_hall", "view_department", "view_employee"],
    Role.CASHIER: ["view_hall", "view_department"],
    Role.DEPARTMENT_LIAISON: ["view_department"],
}


def ensure_role_groups(*, apps=None, using="default", strict=True):
    """Create the role groups and give them what every app's `role_permissions` grants.

    Idempotent. Runs after every `migrate` and after every `flush` (post_migrate), so the
    roles survive the flush that ends a transactional test. `strict=False` (in a data
    migration, where later apps' models may not exist yet) skips what cannot be granted yet.
    """
    from django.apps import apps as installed
    from django.contrib.auth.management import create_permissions

    apps = apps or installed
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    groups = {}
    for role in Role.values:
        groups[role], _ = Group.objects.using(using).get_or_create(name=role)
    for config in installed.get_app_configs():
        grants = getattr(config, "role_permissions", None)
        if not grants:
            continue
        labels = {config.label} | {
            codename.split(".")[0]
            for codenames in grants.values()
            for codename in codenames
            if "." in codename
        }
        for label in labels:
            try:
                state_config = apps.get_app_config(label)
            except LookupError:
                continue
            state_config.models_module = True
            create_permissions(state_config, apps=apps, verbosity=0, using=using)
        for role, codenames in grants.items():
            wanted = {
                tuple((c if "." in c else f"{config.label}.{c}").split(".")) for c in codenames
            }
            found = {
                (p.content_type.app_label, p.codename): p
                for p in Permission.objects.using(using)
                .filter(
                    content_type__app_label__in={label for label, _ in wanted},
                    codename__in={codename for _, codename in wanted},
                )
                .select_related("content_type")
            }
            missing = wanted - set(found)
            if missing and strict:
                raise LookupError(f"{config.label} grants unknown permissions {sorted(missing)}")
            groups[str(role)].permissions.add(*(found[key] for key in wanted & set(found)))


def _after_migrate(sender, using="default", apps=None, **kwargs):
    ensure_role_groups(apps=apps, using=using)
