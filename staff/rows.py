"""Model instances from rows of hand-written SQL, for the few statements on a hot path.

Where a statement runs on every request or every payment and the ORM's building and compiling
of it cost more CPU than the database's work (staff.core.backends, billing.counter_queries), it is
written once in SQL. `Columns` gives the SELECT list of a model and turns the row back into an
instance with the ORM's own converters, as a queryset would; `insert` saves a new instance
(ORM `create()` 0.17 ms of CPU, `insert` about half).
"""

from functools import cache

from django.db import DEFAULT_DB_ALIAS, connections


class Columns:
    """The concrete columns of `model` under a table alias, and how to load them back."""

    def __init__(self, model, alias, connection):
        self.model = model
        self.fields = model._meta.concrete_fields
        self.names = [field.attname for field in self.fields]
        quote = connection.ops.quote_name
        self.sql = ", ".join(f"{alias}.{quote(field.column)}" for field in self.fields)
        self.converters = []
        for field in self.fields:
            column = field.get_col(alias)
            converters = connection.ops.get_db_converters(column) + column.get_db_converters(
                connection
            )
            self.converters.append((converters, column))

    def load(self, row, start, db):
        """The instance from `row[start:]`, or None when the outer join found no row."""
        values = row[start : start + len(self.fields)]
        if values[0] is None:
            return None
        connection = connections[db]
        converted = []
        for value, (converters, column) in zip(values, self.converters, strict=True):
            for converter in converters:
                value = converter(value, column, connection)
            converted.append(value)
        return self.model.from_db(db, self.names, converted)


@cache
def _insert_statement(model, alias):
    """The INSERT of `model`'s concrete fields except an auto primary key, and those fields."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not (f.primary_key and f.auto_created)]
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    returning = connection.features.can_return_columns_from_insert
    if returning:
        sql += f" RETURNING {quote(meta.pk.column)}"
    return sql, fields, returning


def insert(obj, using: str = DEFAULT_DB_ALIAS):
    """Save the new instance `obj` with one INSERT built once per model; sets its pk.

    What `obj.save()` does for a new row (field defaults and `pre_save`, e.g. auto_now_add;
    each value prepared by its field), without building the query each time. No signals are
    sent, so it is only for models without save signals or their own `save()`.
    """
    connection = connections[using]
    sql, fields, returning = _insert_statement(type(obj), using)
    params = [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        pk = cursor.fetchone()[0] if returning else cursor.lastrowid
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = using
    return obj


def insert_rows(objs, using: str = DEFAULT_DB_ALIAS) -> None:
    """Save several new instances of one model in one INSERT.

    `bulk_create` for a handful of rows on a hot path, without building the query each time;
    the new rows' pks are not read back, so the instances are not to be used afterwards.
    """
    if not objs:
        return
    connection = connections[using]
    sql, fields, _returning = _insert_statement(type(objs[0]), using)
    head, values = sql.split(" VALUES ", 1)
    values = values.split(" RETURNING ", 1)[0]
    params = [
        f.get_db_prep_save(f.pre_save(obj, add=True), connection) for obj in objs for f in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"{head} VALUES {', '.join([values] * len(objs))}", params)
