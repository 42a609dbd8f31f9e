"""The demo's client system: the company's billing system (营收系统), reading the movements and
reporting channel payments through the API.

Its token is fixed and printed by `seed_demo` (a demo's token is no secret, like the demo
password), so the API can be tried at once:
`curl -H "Authorization: Bearer <token>" http://127.0.0.1:8000/api/v1/movements/?after=0`.
A real client gets a random token, shown once: `manage.py api_client_create NAME --scopes ...`.
Idempotent: the client is found by name and left as it is (revoked stays revoked).
"""

import hashlib

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.core.audit import audit_record

from ..models import ApiClient, ApiScope

NAME = "营收系统"
TOKEN = "demo-billing-system-token"
# As `api_client_create` keeps it: the token's SHA-256 (hex) and its first characters.
PREFIX_LENGTH = 8


def seed() -> str:
    with transaction.atomic():
        client = ApiClient.objects.select_for_update().filter(name=NAME).first()
        if client is None:
            client = ApiClient.objects.create(
                name=NAME,
                token_hash=hashlib.sha256(TOKEN.encode()).hexdigest(),
                token_prefix=TOKEN[:PREFIX_LENGTH],
                scopes=[ApiScope.READ.value, ApiScope.CHANNEL.value],
                created_at=timezone.now(),
                created_by=get_user_model().objects.filter(username="director").first(),
            )
            audit_record(
                actor=client.created_by,
                action="billing.api_client.create",
                obj=client,
                summary=_("Demo API client %(name)s created with scopes %(scopes)s")
                % {"name": NAME, "scopes": ", ".join(client.scopes)},
                changes={"scopes": client.scopes, "token_prefix": client.token_prefix},
            )
    state = "revoked" if client.revoked_at else f"token {TOKEN}"
    return f"API client {NAME} ({', '.join(client.scopes)}; {state})"
