"""Everything under /api/ is the API's: JSON answers only, and every call logged.

The pages' machinery around it answers HTML (the NUL refusal, Django's 404/500/503 pages) or
expects a browser (sessions, CSRF, the login lockout). This middleware sits before all of it:
it refuses what the API never accepts (a NUL in the address, an oversized body) itself, turns
any HTML error answer from further in into the API's JSON shape, and logs the call, answered
or refused, as an ApiCall row, updating its client's last-seen (and last-read) time.
"""

import logging
import time
from urllib.parse import unquote

from django.conf import settings
from django.utils.translation import gettext as _

from ..services.api_clients import api_call_record
from .auth import request_client
from .errors import ERROR_CODE_ATTR, error_response
from .movements import READ_ATTR

PREFIX = "/api/"

logger = logging.getLogger(__name__)


def _fallback(status: int) -> tuple[str, str]:
    """Code and message of an error answered by Django rather than by the API itself."""
    known = {
        400: ("bad_request", _("The request is not valid.")),
        404: ("not_found", _("There is no such address.")),
        405: ("method_not_allowed", _("This address does not take this method.")),
        413: ("body_too_large", _("The request body is too large.")),
        503: ("database_unavailable", _("The database is unavailable: try again shortly.")),
    }
    if status in known:
        return known[status]
    if status >= 500:
        return "server_error", _("The server failed to answer: try again later.")
    return "http_error", _("The request was refused.")


def client_address(request) -> str:
    """The caller's address, behind PROXY_COUNT proxies as the login lockout counts it."""
    proxies = settings.AXES_IPWARE_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _printable(text: str) -> str:
    # A NUL cannot be stored in PostgreSQL's text: the refused call is logged all the same.
    return text.replace("\x00", "\\x00")


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(PREFIX):
            return self.get_response(request)
        started = time.monotonic()
        response = self._refusal(request) or self._answer(request)
        self._log(request, response, started)
        return response

    def _refusal(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "\x00" in unquote(query):
            # PostgreSQL cannot even compare text holding a NUL; no field of ours takes one.
            return error_response(
                request,
                400,
                [("nul_character", None, _("The request contains a NUL character."))],
            )
        if not request.path_info.endswith("/"):
            # Every address of the API ends with "/": answered here, rather than by the
            # pages' redirect to it, which a POST cannot follow with its body.
            return error_response(
                request,
                404,
                [("not_found", None, _("There is no such address: API addresses end with /."))],
            )
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.API_BODY_MAX_BYTES:
            return error_response(
                request, 413, [("body_too_large", None, _("The request body is too large."))]
            )
        return None

    def _answer(self, request):
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if response.status_code >= 400 and not content_type.startswith("application/json"):
            # Django's own pages (404 of an unknown address, 405, the 500 and 503 pages,
            # the NUL refusal of a form body): the same answer, in the API's shape.
            code, message = _fallback(response.status_code)
            headers = {
                name: response[name] for name in ("Allow", "Retry-After") if name in response
            }
            response = error_response(
                request, response.status_code, [(code, None, message)], headers
            )
        return response

    def _log(self, request, response, started):
        try:
            client = request_client(request)
            api_call_record(
                client=client,
                method=request.method or "",
                path=_printable(request.path),
                query=_printable(request.META.get("QUERY_STRING", "")),
                status=response.status_code,
                remote_addr=client_address(request),
                duration_ms=round((time.monotonic() - started) * 1000),
                error_code=getattr(request, ERROR_CODE_ATTR, ""),
                read=response.status_code == 200 and getattr(request, READ_ATTR, False),
            )
        except Exception:
            # The answer goes out even when the log cannot be written (the database is
            # away: the answer is then a 503 anyway).
            logger.exception("API call not logged: %s %s", request.method, request.path)
