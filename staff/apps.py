from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = _("Staff")

    # Only inserted (staff migration 0005): the runtime role may not UPDATE or DELETE entries.
    # See `manage.py grant_runtime_role`; any app may declare its own the same way.
    append_only = {"AuditEntry": ()}

    @property
    def role_permissions(self):
        from .core.roles import STAFF_PERMISSIONS

        return STAFF_PERMISSIONS

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from .core.middleware import on_login
        from .core.roles import _after_migrate

        # Once per migrate or flush; it creates the permissions it grants itself.
        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="staff.ensure_role_groups")
        post_migrate.connect(
            _load_package_calendar, sender=self, dispatch_uid="staff.package_calendar"
        )
        user_logged_in.connect(on_login, dispatch_uid="staff.session_active_at_login")

    def nav_items(self, user):
        from .core.access import Role, employee_of, has_role
        from .core.extensions import NavItem

        # "Home" itself is the first link of the header (templates/base.html), not an item.
        items = []
        managers = user.is_superuser or has_role(
            user, Role.DIRECTOR, Role.OFFICE, Role.SHIFT_LEAD, Role.LOBBY_MANAGER
        )
        me = employee_of(user)
        on_hall = me is not None and me.hall_id is not None
        if managers:
            items.append(NavItem(_("Roster"), reverse("staff:roster"), order=200))
        elif on_hall:
            items.append(NavItem(_("My roster"), reverse("staff:my_roster"), order=200))
        if managers or on_hall:
            items += [
                NavItem(_("Attendance"), reverse("staff:attendance_month"), order=210),
                NavItem(_("Leave"), reverse("staff:leave_list"), order=220),
                NavItem(_("Daily duty"), reverse("staff:duty"), order=230),
                NavItem(_("Penalties"), reverse("staff:penalties"), order=240),
            ]
        if user.is_superuser or has_role(user, Role.DIRECTOR, Role.OFFICE):
            items.append(NavItem(_("Master data"), reverse("admin:index"), order=900))
        return items

    def attention_items(self, user):
        from .selectors.home import attention_items

        return attention_items(user)

    def seed_demo(self, *, password, stdout):
        from .demo import core, rosters

        core.seed(password=password, stdout=stdout)
        rosters.seed(stdout=stdout)


def _load_package_calendar(sender, using="default", **kwargs):
    """After every migrate (and the flush that ends a transactional test), add the years the
    chinesecalendar package knows and the database lacks. Confirmed years are never touched."""
    from django.db import connections

    from .models import WorkCalendarYear
    from .services.calendar import calendar_import_package

    if WorkCalendarYear._meta.db_table not in connections[using].introspection.table_names():
        return
    calendar_import_package()
