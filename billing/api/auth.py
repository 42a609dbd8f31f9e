"""Token authentication of the client systems: `Authorization: Bearer <token>`.

Sessions play no part: a signed-in browser gets 401 like anyone without a token. No token, an
unknown one or a revoked one answers 401; a token without the operation's scope 403.
"""

from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from ..services.api_clients import client_for_token
from .errors import ApiError

# Looked up once per request: the middleware logs the caller even when ninja never ran.
CLIENT_ATTR = "_api_client"
_UNSET = object()

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="counterops"'}


def bearer_token(request) -> str | None:
    """The token of `Authorization: Bearer <token>`, "" for another scheme, None for none."""
    header = request.headers.get("Authorization")
    if not header:
        return None
    scheme, _space, token = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return ""
    return token.strip()


def request_client(request):
    """The ApiClient the request's token belongs to (revoked ones too), or None."""
    client = getattr(request, CLIENT_ATTR, _UNSET)
    if client is _UNSET:
        token = bearer_token(request)
        client = client_for_token(token) if token else None
        setattr(request, CLIENT_ATTR, client)
    return client


class ClientToken(HttpBearer):
    """The client system's token, which must carry `scope`."""

    openapi_description = (
        "每个对接系统一个令牌（python manage.py api_client_create NAME --scopes read,channel），"
        "放在请求头 Authorization: Bearer <token>。One token per client system."
    )

    def __init__(self, scope: str):
        self.scope = scope
        super().__init__()

    def __call__(self, request):
        token = bearer_token(request)
        if token is None:
            raise ApiError(
                401,
                [("token_missing", None, _("Send the token: Authorization: Bearer <token>."))],
                CHALLENGE,
            )
        return self.authenticate(request, token)

    def authenticate(self, request, token):
        client = request_client(request) if token else None
        if client is None:
            raise ApiError(401, [("token_invalid", None, _("The token is not valid."))], CHALLENGE)
        if not client.is_active:
            raise ApiError(
                401, [("token_revoked", None, _("The token has been revoked."))], CHALLENGE
            )
        if not client.has_scope(self.scope):
            raise ApiError(
                403,
                [
                    (
                        "scope_missing",
                        None,
                        _("The token may not do this: it lacks the scope %(scope)s.")
                        % {"scope": self.scope},
                    )
                ],
            )
        return client
