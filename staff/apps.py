from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = _("Staff")

    @property
    def role_permissions(self):
        from .roles import STAFF_PERMISSIONS

        return STAFF_PERMISSIONS

    def ready(self):
        from django.db.models.signals import post_migrate

        from .roles import _after_migrate

        # Once per migrate or flush; it creates the permissions it grants itself.
        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="staff.ensure_role_groups")

    def nav_items(self, user):
        from .access import Role, has_role
        from .extensions import NavItem

        items = [NavItem(_("Home"), reverse("staff:home"), order=0)]
        if user.is_superuser or has_role(user, Role.DIRECTOR, Role.OFFICE):
            items.append(NavItem(_("Master data"), reverse("admin:index"), order=900))
        return items

    def seed_demo(self, *, password, stdout):
        from .demo import seed

        seed(password=password, stdout=stdout)
