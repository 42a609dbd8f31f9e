from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyConfig(AppConfig):
    name = "safety"
    verbose_name = _("Safety")

    def nav_items(self, user):
        from django.urls import reverse

        from staff.core.access import Role, has_role
        from staff.core.extensions import NavItem

        # Everyone, on every page: the red header button (应急通信, "all staff must know").
        items = [
            NavItem(
                _("Emergency contacts"),
                reverse("safety:contacts"),
                group="danger",
                order=1,
                prominent=True,
            ),
            NavItem(_("Incidents"), reverse("safety:incident_list"), order=700),
        ]
        if user.is_superuser or has_role(
            user, Role.DIRECTOR, Role.OFFICE, Role.SHIFT_LEAD, Role.LOBBY_MANAGER
        ):
            items.append(NavItem(_("Alarm drills"), reverse("safety:drill_year"), order=710))
            items.append(NavItem(_("Closing checks"), reverse("safety:closing_month"), order=720))
        if user.is_superuser or has_role(user, Role.DIRECTOR):
            items.append(NavItem(_("Safety overview"), reverse("safety:overview"), order=730))
        return items

    def attention_items(self, user):
        from .attention import attention_items

        return attention_items(user)

    def seed_demo(self, *, password, stdout):
        from .demo import seed

        seed(stdout=stdout)
