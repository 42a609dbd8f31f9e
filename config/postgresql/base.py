"""Django's PostgreSQL backend, with bulk statements cut to fit server-side parameters.

With `server_side_binding` (config.settings.base: it lets psycopg prepare the statements a
payment repeats) a statement may carry at most 65,535 parameters, a limit of PostgreSQL's
protocol. Django's PostgreSQL backend assumes client-side binding, which has none: it sends a
whole `bulk_create` or the deletes of a cascade as one statement, and 100,000 rows failed with
"number of parameters must be between 0 and 65535". Here those batches are cut to fit.
"""

from django.db.backends.postgresql import base, operations

MAX_PARAMETERS = 65_535


class DatabaseOperations(operations.DatabaseOperations):
    def bulk_batch_size(self, fields, objs):
        # Per object: one parameter per field for bulk_create and deletes, but 2 per field
        # plus 1 for bulk_update (CASE WHEN pk THEN value, and pk IN): allow for the larger.
        per_object = 2 * max(len(fields), 1) + 1
        return max(1, min(len(objs), MAX_PARAMETERS // per_object))


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
