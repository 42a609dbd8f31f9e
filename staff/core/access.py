"""The one scoping layer: which halls and objects a user may see or change.

Every view starts from here. Lookups of a single object go through `get_for_user`, which gives
the same 404 for "missing" and "not yours", so a cashier of one hall cannot even learn whether
another hall's ledger exists. Missing roles give 403 (`require_roles`).
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from ..models import Employee, Hall
from .roles import CENTER_WIDE_ROLES, Role

__all__ = [
    "Role",
    "employee_of",
    "get_for_user",
    "halls_for",
    "has_role",
    "hall_ids_for",
    "is_center_wide",
    "require_roles",
    "roles_of",
    "scope_by_hall",
]


def roles_of(user) -> frozenset[str]:
    """The role names of `user`, cached on the user object for the request."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_counterops_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._counterops_roles = cached
    return cached


def has_role(user, *roles) -> bool:
    return bool(roles_of(user).intersection(roles))


def employee_of(user) -> Employee | None:
    """The user's employee record, or None for a bare account (e.g. a superuser)."""
    if not user.is_authenticated:
        return None
    try:
        return user.employee
    except Employee.DoesNotExist:
        return None


def is_center_wide(user) -> bool:
    """Director and office see every hall; so does a superuser."""
    return user.is_authenticated and (user.is_superuser or bool(roles_of(user) & CENTER_WIDE_ROLES))


def hall_ids_for(user) -> list[int] | None:
    """Ids of the halls `user` may see; None means every hall."""
    if is_center_wide(user):
        return None
    employee = employee_of(user)
    if employee is None or employee.hall_id is None or not employee.is_active:
        return []
    return [employee.hall_id]


def halls_for(user) -> QuerySet[Hall]:
    ids = hall_ids_for(user)
    halls = Hall.objects.filter(is_active=True)
    return halls if ids is None else halls.filter(pk__in=ids)


def scope_by_hall(queryset: QuerySet, user, field: str = "hall") -> QuerySet:
    """Restrict `queryset` to the halls `user` may see, through `field` (a Hall FK path)."""
    ids = hall_ids_for(user)
    if ids is None:
        return queryset
    return queryset.filter(Q(**{f"{field}__in": ids}))


def get_for_user(queryset: QuerySet, **lookup):
    """Fetch one object from an already scoped queryset, or raise 404 (missing or not yours)."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def require_roles(*roles):
    """View decorator: log in first, then hold one of `roles` (a superuser always passes)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not (request.user.is_superuser or has_role(request.user, *roles)):
                # For the log (staff.core.log_filters); the 403 page does not show it.
                raise PermissionDenied(f"needs one of the roles {', '.join(roles)}")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
