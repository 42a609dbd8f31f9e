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

# Model permissions each group receives for the staff app's own models. Later apps grant
# their permissions in their own data migrations.
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
        "view_user",
        "add_user",
        "change_user",
        "view_group",
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
        "view_user",
        "add_user",
        "change_user",
        "view_group",
    ],
    Role.LOBBY_MANAGER: ["view_hall", "view_department", "view_employee"],
    Role.SHIFT_LEAD: ["view_hall", "view_department", "view_employee"],
    Role.CASHIER: ["view_hall", "view_department"],
    Role.DEPARTMENT_LIAISON: ["view_department"],
}
