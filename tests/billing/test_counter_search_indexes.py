"""The counter's search by name or address is served by trigram indexes on PostgreSQL."""

import pytest
from django.db import connection
from django.db.models import Q

from billing.models import Account

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("trigram indexes exist on PostgreSQL only")


def _plan(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # Only a bitmap scan is left, and only an index on the very expression can feed it.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("lookup", "index"),
    [
        ("name__icontains", "billing_account_name_trgm"),
        ("address__icontains", "billing_account_address_trgm"),
    ],
)
def test_the_orm_search_uses_the_trigram_index(lookup, index):
    """The index is on the very expression Django writes for `icontains` (UPPER(col::text))."""
    from django.db import transaction

    with transaction.atomic():
        plan = _plan(Account.objects.filter(Q(**{lookup: "幸福路"})).order_by())

    assert index in plan, plan
