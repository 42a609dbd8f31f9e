from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyConfig(AppConfig):
    name = "safety"
    verbose_name = _("Safety")

    def nav_items(self, user):
        from django.urls import reverse

        from staff.core.extensions import NavItem

        from . import rules

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
        if rules.may_view_rounds(user):
            items.append(NavItem(_("Alarm drills"), reverse("safety:drill_year"), order=710))
            items.append(NavItem(_("Closing checks"), reverse("safety:closing_month"), order=720))
        if rules.may_see_overview(user):
            items.append(NavItem(_("Safety overview"), reverse("safety:overview"), order=730))
        return items

    def attention_items(self, user):
        from .selectors.home import attention_items

        return attention_items(user)

    def seed_demo(self, *, password, stdout):
        from .demo import seed

        seed(stdout=stdout)
