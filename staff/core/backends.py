"""Authentication backend: the signed-in user as every page needs it.

Every signed-in request needs the user, their employee record with its hall (scoping and the
header) and department, and their role names (`require_roles`, the navigation). The user comes
with the employee, hall and department in one query (`select_related`); the role names are read
once per request when first asked (`staff.core.access.roles_of`), so a role given or taken
away counts from the next request on.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError


class StaffBackend(ModelBackend):
    """ModelBackend whose `get_user` loads the employee, their hall and department too."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related(
            "employee__hall", "employee__department"
        )
        try:
            user = users.get(pk=user_id)
        except (users.model.DoesNotExist, ValueError, TypeError, ValidationError):
            return None  # unknown, or a session holding a malformed id: nobody
        return user if self.user_can_authenticate(user) else None
