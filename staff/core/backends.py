"""Authentication backend: the signed-in user as every page needs it, in one query.

Every signed-in request needs the user, their employee record with its hall (scoping and the
header) and their role names (`require_roles`). Loaded through the ORM that was four queries
per request; one ORM query with `select_related` and a subquery cost more CPU to compile than
the rest of a bare request together. So the statement is written once per process from the
models' `_meta` and its rows are turned into model instances with the ORM's own converters.
"""

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db import connections, router

from ..models import Department, Employee, Hall
from ..rows import Columns

ROLE_SEPARATOR = ","


@cache
def _statement(db):
    connection = connections[db]
    quote = connection.ops.quote_name
    User = get_user_model()
    user = Columns(User, "u", connection)
    employee = Columns(Employee, "e", connection)
    hall = Columns(Hall, "h", connection)
    department = Columns(Department, "d", connection)
    through = User.groups.through._meta
    group_pk = quote(Group._meta.pk.column)
    user_pk = quote(User._meta.pk.column)

    def column(model, name):
        return quote(model._meta.get_field(name).column)

    concat = (
        "GROUP_CONCAT(g.{name}, '{sep}')"
        if connection.vendor == "sqlite"
        else "STRING_AGG(g.{name}, '{sep}')"
    ).format(name=column(Group, "name"), sep=ROLE_SEPARATOR)
    sql = (
        f"SELECT {user.sql}, {employee.sql}, {hall.sql}, {department.sql}, "
        f"(SELECT {concat} FROM {quote(Group._meta.db_table)} g "
        f"INNER JOIN {quote(through.db_table)} ug "
        f"ON g.{group_pk} = ug.{quote(through.get_field('group').column)} "
        f"WHERE ug.{quote(through.get_field('user').column)} = u.{user_pk}) "
        f"FROM {quote(User._meta.db_table)} u "
        f"LEFT JOIN {quote(Employee._meta.db_table)} e "
        f"ON e.{column(Employee, 'user')} = u.{user_pk} "
        f"LEFT JOIN {quote(Hall._meta.db_table)} h "
        f"ON h.{quote(Hall._meta.pk.column)} = e.{column(Employee, 'hall')} "
        f"LEFT JOIN {quote(Department._meta.db_table)} d "
        f"ON d.{quote(Department._meta.pk.column)} = e.{column(Employee, 'department')} "
        f"WHERE u.{user_pk} = %s"
    )
    return sql, (user, employee, hall, department)


def load_user(user_id):
    """The user with `employee` (with `hall` and `department`) and the role names cached."""
    User = get_user_model()
    try:
        user_id = User._meta.pk.to_python(user_id)
    except Exception:  # noqa: BLE001 - a session with a malformed id is simply anonymous
        return None
    db = router.db_for_read(User)
    sql, (users, employees, halls, departments) = _statement(db)
    with connections[db].cursor() as cursor:
        cursor.execute(sql, [user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    user = users.load(row, 0, db)
    start = len(users.fields)
    employee = employees.load(row, start, db)
    start += len(employees.fields)
    if employee is not None:
        Employee.hall.field.set_cached_value(employee, halls.load(row, start, db))
        Employee.department.field.set_cached_value(
            employee, departments.load(row, start + len(halls.fields), db)
        )
        Employee.user.field.set_cached_value(employee, user)
    # Cached even when None: `user.employee` then raises DoesNotExist without a query.
    User.employee.related.set_cached_value(user, employee)
    user._counterops_roles = frozenset(filter(None, (row[-1] or "").split(ROLE_SEPARATOR)))
    return user


class StaffBackend(ModelBackend):
    """ModelBackend whose `get_user` loads the employee, their hall and the roles too."""

    def get_user(self, user_id):
        user = load_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
