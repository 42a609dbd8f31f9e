"""The demo's client system: the company's billing system (营收系统), with the token of setting
`DEMO_API_TOKEN`, so the API can be tried at once (`/api/v1/docs/`, Authorize)."""

from django.conf import settings

from ..models import ApiClient, ApiScope
from ..services.api_clients import api_client_create

NAME = "营收系统（演示）"


def seed() -> str:
    """Create the demo client once; returns its name."""
    if not ApiClient.objects.filter(name=NAME).exists():
        api_client_create(
            actor=None,
            name=NAME,
            scopes=[ApiScope.READ, ApiScope.CHANNEL],
            token=settings.DEMO_API_TOKEN,
        )
    return NAME
