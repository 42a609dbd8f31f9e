from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(
            _load_package_calendar, sender=self, dispatch_uid="complaints.package_calendar"
        )

    def nav_items(self, user):
        from django.urls import reverse

        from staff.access import has_role
        from staff.extensions import NavItem

        from . import rules
        from .calendar_services import CALENDAR_ROLES

        items = [NavItem(_("First-contact tickets"), reverse("complaints:ticket_list"), order=40)]
        if rules.may_open_ticket(user):
            # Any staff member opens a ticket from any page (首问负责: nobody may refuse one).
            items.append(
                NavItem(
                    _("New ticket"),
                    reverse("complaints:ticket_create"),
                    group="primary",
                    order=41,
                    prominent=True,
                )
            )
        if rules.may_view_sla(user):
            items.append(NavItem(_("SLA view"), reverse("complaints:sla"), order=42))
        if user.is_superuser or has_role(user, *CALENDAR_ROLES):
            items.append(NavItem(_("Working calendar"), reverse("complaints:calendar"), order=43))
        return items

    def attention_items(self, user):
        from .selectors.sla import attention_items_for

        return attention_items_for(user)

    def seed_demo(self, *, password, stdout):
        from .demo import seed

        seed(stdout=stdout)


def _load_package_calendar(sender, using="default", **kwargs):
    """After every migrate (and the flush that ends a transactional test), add the years the
    chinesecalendar package knows and the database lacks. Confirmed years are never touched."""
    from django.db import connections

    from .calendar_services import calendar_import_package
    from .models import WorkCalendarYear

    if WorkCalendarYear._meta.db_table not in connections[using].introspection.table_names():
        return
    calendar_import_package()
