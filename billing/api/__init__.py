"""The JSON API for the company's billing system (营收系统) and channel gateways, at /api/v1/.

Built with django-ninja: the schemas are pydantic models that are also the OpenAPI schema
(served at /api/v1/schema/, with ninja's Swagger page from its own static files at
/api/v1/docs/), and it stands apart from the pages' session machinery (token auth per client
system, JSON errors of one shape, every call logged by billing.api.middleware).
"""

from ninja import NinjaAPI, Swagger

from . import errors
from .channels import router as channels_router
from .movements import router as movements_router
from .parser import DecimalJsonParser

DESCRIPTION = """
收费中心对接营收系统和缴费渠道的接口。The counter system's API for the billing system and the
payment channels.

* **Authentication**: `Authorization: Bearer <token>`, one token per client system, created with
  `python manage.py api_client_create NAME --scopes read,channel` (shown once). No token, an
  unknown or a revoked one: `401`; a token without the operation's scope: `403`.
* **Errors** all have one shape: `{"errors": [{"code": "...", "field": "...", "message": "..."}]}`;
  `code` is stable, `message` is Chinese. Nothing is written when a call is refused.
* **Amounts** are strings with two decimals (`"12.30"`); times ISO 8601 with offset (+08:00).
* Every call is logged (client, address, status, error code, duration).
"""

api = NinjaAPI(
    title="Counter Operations API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    openapi_url="/schema/",
    docs_url="/docs/",
    docs=Swagger(settings={"defaultModelsExpandDepth": 0}),
    parser=DecimalJsonParser(),
)
errors.install(api)
api.add_router("", movements_router)
api.add_router("", channels_router)
