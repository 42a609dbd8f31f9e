"""Reads shared by the HR features: the people and halls a user may see."""

from ..core.access import employee_of, get_for_user, halls_for, scope_by_hall
from ..models import Employee
from ..rules import may_see_hall_people


def employees_visible_to(user):
    """Cashiers see themselves; hall managers their hall; office and director everyone."""
    queryset = Employee.objects.select_related("hall")
    if may_see_hall_people(user):
        return scope_by_hall(queryset.filter(hall__isnull=False), user)
    me = employee_of(user)
    return queryset.filter(pk=me.pk if me is not None else None)


def hall_for_request(user, hall_id):
    """The hall a page shows: the one asked for if in scope (else 404), or the user's own."""
    halls = halls_for(user)
    if hall_id:
        return get_for_user(halls, pk=hall_id)
    return halls.first()


def hall_choices(user) -> list:
    """The halls a hall picker offers the user."""
    return list(halls_for(user))
