from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = _("Staff")

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
