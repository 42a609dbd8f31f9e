"""Model permissions of the billing app for the role groups (used by the admin's read views).

Granted after every migrate, and therefore also after a test database is flushed: the handler
creates the role groups if they are missing, so the personas keep their roles in tests that
run after a transactional test emptied the tables.
"""

from django.contrib.auth.management import create_permissions

from staff.roles import Role

BILLING_PERMISSIONS = {
    Role.DIRECTOR: [
        "view_account",
        "change_account",
        "view_bill",
        "view_payment",
        "view_invoicerange",
        "view_invoicenumber",
        "view_voidrequest",
    ],
    Role.OFFICE: [
        "view_account",
        "change_account",
        "view_bill",
        "view_payment",
        "view_invoicerange",
        "view_invoicenumber",
        "view_voidrequest",
    ],
    Role.SHIFT_LEAD: ["view_account", "view_bill"],
    Role.CASHIER: ["view_account", "view_bill"],
}


def grant_billing_permissions(sender, app_config=None, using="default", apps=None, **kwargs):
    if apps is None:
        # `flush` sends the signal without the migration state: use the real registry.
        from django.apps import apps
    try:
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
        config = apps.get_app_config("billing")
    except LookupError:
        return
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0, using=using)
    for role in Role.values:
        group, _created = Group.objects.using(using).get_or_create(name=role)
        codenames = BILLING_PERMISSIONS.get(role, [])
        if codenames:
            group.permissions.add(
                *Permission.objects.using(using).filter(
                    content_type__app_label="billing", codename__in=codenames
                )
            )
