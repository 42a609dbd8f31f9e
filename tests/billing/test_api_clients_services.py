"""Client systems of the API: `api_client_create NAME --scopes read,channel` prints the token
once and stores only its hash; a duplicate name or an unknown scope is refused with a clear
message; `api_client_revoke` and `api_client_list`; every change audited."""

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from billing.models import ApiClient
from staff.models import AuditEntry
from tests.billing.api_helpers import bearer

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_creating_a_client_prints_its_token_once_and_stores_only_the_hash(client):
    output = run("api_client_create", "营收系统", "--scopes", "read,channel")
    token = output.strip().splitlines()[-1]
    stored = ApiClient.objects.get(name="营收系统")
    assert stored.scopes == ["read", "channel"]
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in run("api_client_list")
    assert client.get("/api/v1/movements/", **bearer(token)).status_code == 200
    entry = AuditEntry.objects.get(action="billing.api_client.create")
    assert token not in str(entry.changes) and token not in entry.summary


def test_a_duplicate_name_is_refused():
    run("api_client_create", "营收系统", "--scopes", "read")
    with pytest.raises(CommandError, match="已存在"):
        run("api_client_create", "营收系统", "--scopes", "read")
    assert ApiClient.objects.count() == 1


@pytest.mark.parametrize("scopes", ["write", "read,admin", "", " , "])
def test_an_unknown_or_missing_scope_is_refused(scopes):
    with pytest.raises(CommandError, match="权限范围"):
        run("api_client_create", "营收系统", "--scopes", scopes)
    assert ApiClient.objects.count() == 0


def test_a_revoked_client_is_refused_and_listed_as_revoked(client):
    token = run("api_client_create", "营收系统", "--scopes", "read").strip().splitlines()[-1]
    run("api_client_revoke", "营收系统")
    assert client.get("/api/v1/movements/", **bearer(token)).status_code == 401
    assert ApiClient.objects.get().revoked_at is not None
    assert AuditEntry.objects.filter(action="billing.api_client.revoke").count() == 1
    with pytest.raises(CommandError, match="已于"):
        run("api_client_revoke", "营收系统")
    with pytest.raises(CommandError, match="没有名为"):
        run("api_client_revoke", "别的系统")
    line = run("api_client_list").splitlines()[1]
    assert line.startswith("营收系统") and "read" in line


def test_the_list_shows_prefix_scopes_and_last_read(client):
    token = run("api_client_create", "营收系统", "--scopes", "read,channel").split()[-1]
    client.get("/api/v1/movements/", **bearer(token))
    header, row = run("api_client_list").splitlines()
    assert header.split() == [
        "name",
        "prefix",
        "scopes",
        "created",
        "revoked",
        "last",
        "read",
        "last",
        "call",
    ]
    assert row.split()[:3] == ["营收系统", token[:8], "read,channel"]
    assert ApiClient.objects.get().last_read_at is not None
