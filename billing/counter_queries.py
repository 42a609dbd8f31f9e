"""The reads of a counter payment, written in SQL once instead of built by the ORM each time.

A payment is a lookup (GET) and a post (POST), and the counter benchmark (`make bench
BENCH_ARGS=billing`, issue 3) runs 20 cashiers on two cores. Building and compiling an ORM
SELECT cost 0.32 ms of CPU here, `Model.objects.raw` 0.13 ms, this module's `_select` 0.09 ms:
for the reads of a payment the ORM was a quarter of its CPU; two pairs of them are now one
statement each. The rules stay in `billing.services` and `billing.selectors`; these functions
only fetch rows. Each returns model instances (`Columns` applies the ORM's own
converters) with the filters and order of the ORM queries they replaced, given in docstrings.

Locks: `FOR UPDATE` on PostgreSQL. SQLite has no row locks; its transactions start IMMEDIATE
(config.settings.base), so a writer holds the whole database until it commits.
"""

from datetime import date
from functools import cache

from django.db import connection, connections

from .models import (
    Account,
    Bill,
    BillStatus,
    CashLedger,
    InvoiceRange,
    InvoiceRangeStatus,
    LedgerState,
)


# staff.rows is gone (the ORM on every path); until this module goes too (the billing
# engineer's part of issue #12), its `Columns` lives here.
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


def _lock() -> str:
    return " FOR UPDATE" if connection.features.has_select_for_update else ""


def _day(value: date):
    return connection.ops.adapt_datefield_value(value)


def _columns(model, table_alias: str = "t") -> Columns:
    return _columns_for(model, table_alias, connection.alias)


@cache
def _columns_for(model, table_alias, db_alias):
    return Columns(model, table_alias, connections[db_alias])


def _select(model, where: str, params, tail: str = "") -> list:
    """Instances of `model` whose row matches `where` (SQL, with %s parameters)."""
    columns = _columns(model)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns.sql} FROM {model._meta.db_table} t WHERE {where}{tail}", params
        )
        return [columns.load(row, 0, connection.alias) for row in cursor.fetchall()]


def _first(rows):
    return rows[0] if rows else None


def account_locked(account_id: int) -> Account | None:
    """`Account.objects.select_for_update().filter(pk=...).first()`."""
    return _first(_select(Account, "id = %s", [account_id], _lock()))


def open_bills(account_id: int, *, lock: bool = False) -> list[Bill]:
    """The account's bills not fully paid, oldest period first (locked when `lock`)."""
    return _select(
        Bill,
        "account_id = %s AND status <> %s",
        [account_id, BillStatus.PAID],
        f" ORDER BY period{_lock() if lock else ''}",
    )


def ledger_locked(*, cashier_id: int, hall_id: int, business_date: date) -> CashLedger | None:
    """The cashier's ledger of the day, locked: only the ledger row (a join would lock the hall
    row too, and every counter of the hall would queue on it)."""
    return _first(
        _select(
            CashLedger,
            "cashier_id = %s AND hall_id = %s AND business_date = %s",
            [cashier_id, hall_id, _day(business_date)],
            f" ORDER BY id LIMIT 1{_lock()}",
        )
    )


def account_with_open_bills(account_no: str) -> tuple[Account | None, list[Bill]]:
    """The account whose number is `account_no` (unique) and its `open_bills`, in one
    statement: the counter's lookup."""
    account_columns = _columns(Account, "a")
    bill_columns = _columns(Bill, "b")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {account_columns.sql}, {bill_columns.sql} FROM billing_account a "
            "LEFT JOIN billing_bill b ON b.account_id = a.id AND b.status <> %s "
            "WHERE a.account_no = %s ORDER BY b.period",
            [BillStatus.PAID, account_no],
        )
        rows = cursor.fetchall()
    if not rows:
        return None, []
    start = len(account_columns.fields)
    account = account_columns.load(rows[0], 0, connection.alias)
    bills = [bill_columns.load(row, start, connection.alias) for row in rows]
    return account, [bill for bill in bills if bill is not None]


def cashier_counter_state(cashier_id: int, hall_id: int | None, business_date: date):
    """(`active_range`, whether the cashier's ledger of the day in `hall_id` is submitted) in one
    statement: what the counter page shows about the cashier whatever account is on it."""
    range_columns = _columns(InvoiceRange, "r")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {range_columns.sql}, EXISTS (SELECT 1 FROM billing_cashledger l "
            "WHERE l.cashier_id = %s AND l.hall_id = %s AND l.business_date = %s "
            "AND l.state <> %s) "
            "FROM (SELECT 1 AS one) o LEFT JOIN billing_invoicerange r "
            "ON r.cashier_id = %s AND r.status = %s "
            "ORDER BY r.issued_at DESC, r.id DESC LIMIT 1",
            [
                cashier_id,
                hall_id,
                _day(business_date),
                LedgerState.OPEN,
                cashier_id,
                InvoiceRangeStatus.ACTIVE,
            ],
        )
        row = cursor.fetchone()
    return range_columns.load(row, 0, connection.alias), bool(row[-1])
