"""Walks every URL pattern of the project and checks each persona's answer against the tables."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access import PERSONAS, access_rows

# Not views of ours: the Django admin (checked in tests/staff/test_admin.py).
SKIPPED_NAMESPACES = {"admin"}


def _url_names(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _url_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


ROWS = access_rows()


def test_every_url_is_in_an_access_table():
    names = set(_url_names(get_resolver().url_patterns))
    assert names - set(ROWS) == set(), "views without a row in an access table"
    assert set(ROWS) - names == set(), "access-table rows for URLs that do not exist"


@pytest.mark.parametrize("name", sorted(ROWS))
def test_access(name, world, client):
    row = ROWS[name]
    url = reverse(name, kwargs=row.kwargs(world) if row.kwargs else None)
    if row.query:
        url = f"{url}?{row.query}"
    answers = {}
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            client.force_login(getattr(world, persona))
        answers[persona] = client.get(url).status_code
    expected = {persona: row.codes[persona] for persona in PERSONAS}
    assert answers == expected
