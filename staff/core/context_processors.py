from .access import employee_of, roles_of
from .extensions import nav_cache_key, nav_items_for, nav_sections_for
from .roles import Role


def layout(request):
    """What the base layout's header shows: the person, their hall and roles, their links."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    labels = dict(Role.choices)
    return {
        "current_employee": employee_of(user),
        "current_roles": [labels[r] for r in Role.values if r in roles_of(user)],
        # Built only when a page shows them: the header's menus are a cached fragment.
        "nav_items": lambda: nav_items_for(user),
        "nav_sections": lambda: nav_sections_for(user),
        "nav_cache_key": nav_cache_key(user, request.path),
    }
