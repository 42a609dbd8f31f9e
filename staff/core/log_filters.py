"""Logging filters (settings.LOGGING): a refused request is one line, not a traceback."""

import logging

from django.core.exceptions import PermissionDenied


class ForbiddenOneLine(logging.Filter):
    """On `django.request`: a 403 becomes one line with the user, the path and the reason.

    Django logs a PermissionDenied with its traceback (exc_info). A refusal is expected (a role
    missing, a tampered URL), and tracebacks of refusals buried the real errors; who was
    refused, where and why is what the log is read for. Other records, 500s with their
    tracebacks among them, pass unchanged.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        # Once per record: configuring logging again (config.wsgi's django.setup() after
        # manage.py's) adds a second instance of this filter to the logger.
        if getattr(record, "status_code", None) != 403 or getattr(record, "one_line", False):
            return True
        exception = record.exc_info[1] if record.exc_info else None
        request = getattr(record, "request", None)
        if isinstance(exception, PermissionDenied) and str(exception):
            reason = str(exception)
        else:
            # Most checks raise a bare PermissionDenied: the view that refused says which.
            match = getattr(request, "resolver_match", None)
            reason = f"refused by {match.view_name}" if match else "permission denied"
        record.msg = "Forbidden (403): user=%s %s %s reason=%s"
        record.args = (
            _username(request),
            getattr(request, "method", "-"),
            # Like Django's own line: escaped, so a crafted path cannot forge log lines.
            getattr(request, "path", "-").encode("unicode_escape").decode("ascii"),
            reason.replace("\n", " "),
        )
        record.exc_info, record.exc_text, record.one_line = None, None, True
        return True


def _username(request) -> str:
    user = getattr(request, "user", None)
    try:
        if user is None or not user.is_authenticated:
            return "anonymous"
        return user.get_username()
    except Exception:  # noqa: BLE001 - the log line must not fail where the database did
        return "unknown"
