"""The client systems of the API (the billing system, a channel gateway): their tokens, and the
log of their calls.

A token is shown once, when its client is created; only its SHA-256 is stored, so a copy of the
database gives nobody a working token. Revoking keeps the client and its call log.
"""

import hashlib
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.core.audit import audit_record

from ..models import ApiCall, ApiClient, ApiScope

# The token's first characters kept in clear to tell tokens apart in lists and logs.
PREFIX_LENGTH = 8
# Longer than any token we issue (43 random characters after "co_"): not looked up at all.
TOKEN_MAX_LENGTH = 200


class ApiClientRefused(Exception):
    """A refused change, with its message in Chinese."""


@dataclass(frozen=True)
class CreatedClient:
    client: ApiClient
    token: str  # shown once; only its hash is stored


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def new_token() -> str:
    # 32 random bytes; the prefix tells the token for what it is in a leaked file.
    return f"co_{secrets.token_urlsafe(32)}"


def parse_scopes(text: str) -> list[str]:
    """ "read,channel" → ["read", "channel"]; ApiClientRefused for an unknown or missing one."""
    scopes = [part.strip() for part in (text or "").split(",") if part.strip()]
    if not scopes:
        raise ApiClientRefused(
            _("Give at least one scope: %(scopes)s.") % {"scopes": ", ".join(ApiScope.values)}
        )
    unknown = [scope for scope in scopes if scope not in ApiScope.values]
    if unknown:
        raise ApiClientRefused(
            _("Unknown scope %(unknown)s: use %(scopes)s.")
            % {"unknown": ", ".join(unknown), "scopes": ", ".join(ApiScope.values)}
        )
    return sorted(set(scopes), key=ApiScope.values.index)


def api_client_create(*, actor, name: str, scopes: list[str]) -> CreatedClient:
    name = (name or "").strip()
    if not name or len(name) > 64 or "\x00" in name:
        raise ApiClientRefused(_("Give the client a name of at most 64 characters."))
    unknown = [scope for scope in scopes if scope not in ApiScope.values]
    if unknown or not scopes:
        raise ApiClientRefused(
            _("Unknown scope %(unknown)s: use %(scopes)s.")
            % {"unknown": ", ".join(unknown) or "-", "scopes": ", ".join(ApiScope.values)}
        )
    token = new_token()
    taken = ApiClientRefused(
        _("A client named %(name)s exists already: revoke it or choose another name.")
        % {"name": name}
    )
    if ApiClient.objects.filter(name=name).exists():
        raise taken
    try:
        return _create(actor, name, scopes, token)
    except IntegrityError:
        raise taken from None  # created by someone else in the meantime (the unique name)


def _create(actor, name, scopes, token) -> CreatedClient:
    with transaction.atomic():
        client = ApiClient.objects.create(
            name=name,
            token_hash=token_hash(token),
            token_prefix=token[:PREFIX_LENGTH],
            scopes=list(scopes),
            created_at=timezone.now(),
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="billing.api_client.create",
            obj=client,
            summary=_("API client %(name)s created with scopes %(scopes)s")
            % {"name": name, "scopes": ", ".join(scopes)},
            changes={"scopes": list(scopes), "token_prefix": client.token_prefix},
        )
    return CreatedClient(client, token)


def api_client_revoke(*, actor, name: str) -> ApiClient:
    with transaction.atomic():
        client = ApiClient.objects.select_for_update().filter(name=(name or "").strip()).first()
        if client is None:
            raise ApiClientRefused(_("There is no API client named %(name)s.") % {"name": name})
        if client.revoked_at is not None:
            raise ApiClientRefused(
                _("API client %(name)s was revoked already (%(at)s).")
                % {
                    "name": client.name,
                    "at": timezone.localtime(client.revoked_at).strftime("%Y-%m-%d %H:%M"),
                }
            )
        client.revoked_at = timezone.now()
        client.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="billing.api_client.revoke",
            obj=client,
            summary=_("API client %(name)s revoked") % {"name": client.name},
        )
    return client


def client_for_token(token: str) -> ApiClient | None:
    """The client holding `token` (revoked or not), or None."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    return ApiClient.objects.filter(token_hash=token_hash(token)).first()


def api_call_record(
    *,
    client: ApiClient | None,
    method: str,
    path: str,
    query: str,
    status: int,
    remote_addr: str,
    duration_ms: int,
    error_code: str = "",
    read: bool = False,
) -> ApiCall:
    """Log one call and when its client was last seen (and last read, after a good read).

    Not audited: this log is itself the record of the calls, one row each.
    """
    now = timezone.now()
    with transaction.atomic():
        call = ApiCall.objects.create(
            client=client,
            at=now,
            method=method[:8],
            path=path[:300],
            query=query[:500],
            status=status,
            remote_addr=remote_addr[:64],
            duration_ms=max(0, duration_ms),
            error_code=error_code[:64],
        )
        if client is not None:
            seen = {"last_seen_at": now}
            if read:
                seen["last_read_at"] = now
            ApiClient.objects.filter(pk=client.pk).update(**seen)
    return call
