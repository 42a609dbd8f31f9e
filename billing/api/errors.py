"""The one shape of every refused API call: `{"errors": [{"code", "field", "message"}]}`.

`code` is for the client system's program (stable, English), `field` names the input at fault
(null when none is), `message` is for the people reading its logs (Chinese). ninja's own shapes
(`{"detail": ...}`, 422 for validation) are replaced here, so 400, 401, 403, 404, 405, 409, 413
and 500 all look alike.
"""

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import HttpError, ValidationError
from pydantic import Field

from .parser import BodyNotObject

# The request attribute the middleware reads to log the call's error code.
ERROR_CODE_ATTR = "_api_error_code"


class ErrorItem(Schema):
    code: str = Field(description="Machine-readable code, e.g. `amount_invalid`.")
    field: str | None = Field(description="The input at fault, or null.")
    message: str = Field(description="What is wrong, in Chinese.")


class ErrorOut(Schema):
    errors: list[ErrorItem]

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "errors": [
                        {
                            "code": "amount_invalid",
                            "field": "amount",
                            "message": "请填写以元为单位、最多两位小数的金额。",
                        }
                    ]
                }
            ]
        }
    }


class ApiError(Exception):
    """A refusal with its status and one or more (code, field, message)."""

    def __init__(self, status: int, errors: list[tuple[str, str | None, str]], headers=None):
        super().__init__(status, errors)
        self.status = status
        self.errors = errors
        self.headers = headers or {}


def error_response(request, status: int, errors, headers=None) -> JsonResponse:
    """The JSON answer of a refusal; remembers the first code for the call log."""
    body = {
        "errors": [
            {"code": code, "field": field, "message": str(message)}
            for code, field, message in errors
        ]
    }
    if request is not None:
        setattr(request, ERROR_CODE_ATTR, errors[0][0] if errors else "")
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    for name, value in (headers or {}).items():
        response[name] = value
    return response


# --- pydantic's errors, in our shape -------------------------------------------------------------

# Codes our own validators raise (PydanticCustomError): their message is already the answer.
OWN_CODES = frozenset(
    {
        "amount_invalid",
        "amount_not_positive",
        "paid_at_invalid",
        "cursor_invalid",
        "limit_invalid",
        "limit_too_large",
        "nul_character",
    }
)


def _field_name(loc) -> str | None:
    """(source, param, field, ...) → "field"; a body or query value itself → None."""
    parts = [str(part) for part in loc[1:] if not isinstance(part, int)]
    # The body is one parameter (`payload`): its fields come after it.
    if parts and parts[0] == "payload":
        parts = parts[1:]
    return ".".join(parts) or None


def _pydantic_error(error) -> tuple[str, str | None, str]:
    kind = error.get("type", "")
    field = _field_name(error.get("loc", ()))
    if kind in OWN_CODES:
        return kind, field, error.get("msg", "")
    if field is None:
        if kind == "missing":
            return "body_missing", None, _("Send the payment as a JSON object in the body.")
        return "body_invalid", None, _("The body must be a JSON object.")
    if kind == "missing":
        return "field_missing", field, _("The field %(field)s is missing.") % {"field": field}
    if kind == "string_type":
        return "field_invalid", field, _("The field %(field)s must be text.") % {"field": field}
    if kind == "string_too_long":
        return "field_too_long", field, _("The field %(field)s is too long.") % {"field": field}
    return "field_invalid", field, _("The field %(field)s is not valid.") % {"field": field}


# --- the handlers ninja calls ---------------------------------------------------------------------


def on_api_error(request, exc: ApiError):
    return error_response(request, exc.status, exc.errors, exc.headers)


def on_validation_error(request, exc: ValidationError):
    return error_response(request, 400, [_pydantic_error(error) for error in exc.errors])


def on_http_error(request, exc: HttpError):
    cause = exc.__cause__
    if isinstance(cause, RequestDataTooBig):
        return error_response(
            request, 413, [("body_too_large", None, _("The request body is too large."))]
        )
    if isinstance(cause, BodyNotObject):
        return error_response(
            request, 400, [("body_invalid", None, _("The body must be a JSON object."))]
        )
    if exc.status_code == 400:
        # ninja's "Cannot parse request body": the JSON parser refused it.
        return error_response(
            request, 400, [("json_malformed", None, _("The body is not valid JSON (UTF-8)."))]
        )
    return error_response(request, exc.status_code, [("http_error", None, str(exc))])


def on_not_found(request, exc: Http404):
    return error_response(request, 404, [("not_found", None, _("There is no such address."))])


def on_unexpected(request, exc: Exception):
    # Not answered here: Django logs it with its traceback (ninja's default prints the
    # traceback into the answer under DEBUG), and billing.api.middleware answers the 500 in JSON.
    raise exc


def install(api) -> None:
    api.add_exception_handler(Exception, on_unexpected)
    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(ValidationError, on_validation_error)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Http404, on_not_found)
