"""The demo's client system: the billing system (营收系统) with the token DEMO_API_TOKEN, once."""

import hashlib
from io import StringIO

from django.core.management import call_command

from billing.demo import api_clients as demo
from billing.models import ApiClient
from staff.models import AuditEntry


def test_seed_demo_creates_the_billing_system_client_once_with_its_printed_token(db, settings):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=StringIO())

    client = ApiClient.objects.get()
    assert client.name == "营收系统"
    assert client.scopes == ["read", "channel"]
    assert client.is_active
    # Only the hash is stored, as api_client_create stores it; the token is printed.
    assert client.token_hash == hashlib.sha256(settings.DEMO_API_TOKEN.encode()).hexdigest()
    assert settings.DEMO_API_TOKEN not in (client.token_hash, client.token_prefix)
    assert settings.DEMO_API_TOKEN in out.getvalue()
    assert AuditEntry.objects.filter(action="billing.api_client.create").count() == 1


def test_a_revoked_demo_client_stays_revoked(db):
    from django.utils import timezone

    demo.seed()
    ApiClient.objects.update(revoked_at=timezone.now())
    assert "revoked" in demo.seed()
    assert not ApiClient.objects.get().is_active
