"""Model instances from rows of hand-written SQL, for the few statements on a hot path.

Where a statement runs on every request or every payment and the ORM's building and compiling
of it cost more CPU than the database's work (staff.backends, billing.counter_queries), it is
written once in SQL. `Columns` gives the SELECT list of a model and turns the row back into an
instance with the ORM's own converters, as a queryset would.
"""

from django.db import connections


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
