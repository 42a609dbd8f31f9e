"""The demo's client system: the company's billing system (营收系统), reading the movements and
reporting channel payments through the API.

Its token is the setting `DEMO_API_TOKEN`, printed by `seed_demo` (a demo's token is no secret,
like the demo password), so the API can be tried at once on `/api/v1/docs/` (Authorize) or
`curl -H "Authorization: Bearer <token>" http://127.0.0.1:8000/api/v1/movements/?after=0`.
A real client gets a random token, shown once: `manage.py api_client_create NAME --scopes ...`.
Idempotent: the client is found by name and left as it is (revoked stays revoked).
"""

from django.conf import settings
from django.contrib.auth import get_user_model

from ..models import ApiClient, ApiScope
from ..services.api_clients import api_client_create

NAME = "营收系统"


def seed() -> str:
    """Create the demo client once; returns what to print of it."""
    client = ApiClient.objects.filter(name=NAME).first()
    if client is None:
        client = api_client_create(
            actor=get_user_model().objects.filter(username="director").first(),
            name=NAME,
            scopes=[ApiScope.READ, ApiScope.CHANNEL],
            token=settings.DEMO_API_TOKEN,
        ).client
    state = "revoked" if client.revoked_at else f"token {settings.DEMO_API_TOKEN}"
    return f"API client {NAME} ({', '.join(client.scopes)}; {state}; try it on /api/v1/docs/)"
