"""Session engine: Django's database sessions, read with one prepared SELECT.

`SESSION_ENGINE = "staff.sessions"`. Sessions stay in the database, so logging out or an
expired idle period ends them on the server. Only the read that starts every request is
written by hand: the ORM spent more CPU building `Session.objects.get(...)` than the rest of
loading the session. Saving, creating and deleting are Django's.
"""

from functools import cache

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


@cache
def _read_statement(using):
    from django.contrib.sessions.models import Session

    quote = connections[using].ops.quote_name
    meta = Session._meta
    return (
        f"SELECT {quote(meta.get_field('session_data').column)} "  # noqa: S608 - _meta
        f"FROM {quote(meta.db_table)} "
        f"WHERE {quote(meta.pk.column)} = %s "
        f"AND {quote(meta.get_field('expire_date').column)} > %s"
    )


class SessionStore(db.SessionStore):
    def load(self):
        using = router.db_for_read(self.model)
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(
                _read_statement(using),
                [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())],
            )
            row = cursor.fetchone()
        if row is None:
            # Unknown or expired: a new key is made on the next save (no session fixation).
            self._session_key = None
            return {}
        return self.decode(row[0])
