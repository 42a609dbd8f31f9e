from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class CounterAdminSite(admin.AdminSite):
    site_header = _("Counter Operations administration")
    site_title = _("Counter Operations")
    index_title = _("Master data")

    def has_permission(self, request):
        # Only the director and the office keep master data; model permissions still apply
        # inside, through the groups' permissions.
        from staff.core.access import Role, has_role

        user = request.user
        return user.is_active and (user.is_superuser or has_role(user, Role.DIRECTOR, Role.OFFICE))
