from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")

    def nav_items(self, user):
        from django.urls import reverse

        from staff.core.extensions import NavItem
        from staff.rules import may_edit_calendar

        from . import rules

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
        # The working calendar is the staff core's; its page keeps its place under complaints.
        if may_edit_calendar(user):
            items.append(NavItem(_("Working calendar"), reverse("complaints:calendar"), order=43))
        return items

    def attention_items(self, user):
        from .selectors.home import attention_items

        return attention_items(user)

    def work_calendar_changed(self, *, around):
        from .services.sla import recompute_due_dates

        recompute_due_dates(around=around)

    def seed_demo(self, *, password, stdout):
        from .demo import seed

        seed(stdout=stdout)
