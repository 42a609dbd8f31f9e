"""A 403 is logged as one line with user, path and reason; a 500 keeps its traceback."""

import logging

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _request_records(caplog):
    return [r for r in caplog.records if r.name == "django.request"]


def test_missing_role_is_logged_as_one_line_with_user_path_and_reason(world, login, caplog):
    caplog.set_level(logging.WARNING, logger="django.request")
    path = reverse("safety:overview")

    response = login(world.cashier).get(path)

    assert response.status_code == 403
    (record,) = _request_records(caplog)
    line = record.getMessage()
    assert record.levelno == logging.WARNING and record.exc_info is None
    assert "\n" not in line
    assert "user=cashier" in line and f"GET {path}" in line
    assert "reason=needs one of the roles director" in line
    assert "Traceback" not in caplog.text


def test_bare_permission_denied_names_the_view_that_refused(world, login, caplog):
    caplog.set_level(logging.WARNING, logger="django.request")
    path = reverse("staff:attendance_export", kwargs={"fmt": "xlsx"})

    assert login(world.cashier).get(path).status_code == 403

    (record,) = _request_records(caplog)
    assert record.exc_info is None
    assert "reason=refused by staff:attendance_export" in record.getMessage()
    assert "Traceback" not in caplog.text


@pytest.mark.urls("tests.staff.error_urls")
def test_permission_denied_message_is_the_reason(client, caplog):
    caplog.set_level(logging.WARNING, logger="django.request")

    assert client.get("/refuse/").status_code == 403

    (record,) = _request_records(caplog)
    assert record.getMessage() == (
        "Forbidden (403): user=anonymous GET /refuse/ reason=the ledger is signed"
    )
    assert "Traceback" not in caplog.text


@pytest.mark.urls("tests.staff.error_urls")
def test_server_error_keeps_its_traceback(client, caplog):
    caplog.set_level(logging.WARNING, logger="django.request")
    client.raise_request_exception = False

    assert client.get("/crash/").status_code == 500

    (record,) = _request_records(caplog)
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None and isinstance(record.exc_info[1], RuntimeError)
    assert "Traceback" in caplog.text and "the database went away" in caplog.text


class _Records(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records = []

    def emit(self, record):
        self.records.append(record)


@pytest.mark.urls("tests.staff.error_urls")
def test_logging_configured_twice_still_gives_the_reason(client, settings):
    """runserver and wsgi each run django.setup(): the filter is then on the logger twice."""
    from django.utils.log import configure_logging

    request_logger, root = logging.getLogger("django.request"), logging.getLogger()
    filters, root_handlers = list(request_logger.filters), list(root.handlers)
    seen = _Records()
    try:
        configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
        assert len(request_logger.filters) == 2
        request_logger.addHandler(seen)

        assert client.get("/refuse/").status_code == 403
    finally:
        request_logger.removeHandler(seen)
        request_logger.filters = filters
        root.handlers = root_handlers

    (record,) = seen.records
    assert record.getMessage().endswith("reason=the ledger is signed")
