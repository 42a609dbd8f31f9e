import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from staff.core.access import require_roles
from staff.core.roles import Role
from staff.core.views import server_error


def test_server_error_page_is_chinese_without_a_stack_trace():
    response = server_error(RequestFactory().get("/"))

    page = response.content.decode()
    assert response.status_code == 500
    assert "服务器出错" in page and "Traceback" not in page


@pytest.mark.django_db
def test_missing_role_is_403_and_page_says_so(client, world):
    @require_roles(Role.SHIFT_LEAD)
    def lead_only(request):
        return None

    request = RequestFactory().get("/")
    request.user = world.cashier
    with pytest.raises(PermissionDenied):
        lead_only(request)

    client.force_login(world.cashier)
    from staff.core.views import permission_denied

    response = permission_denied(request)
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


@pytest.mark.django_db
def test_object_history_tag_lists_who_did_what(world):
    from django.db import transaction
    from django.template import Context, Template

    from staff.core.audit import audit_record

    with transaction.atomic():
        audit_record(actor=world.director, action="hall.rename", obj=world.hall_a, summary="改名")

    html = Template("{% load staff_tags %}{% object_history hall %}").render(
        Context({"hall": world.hall_a})
    )
    assert "director姓名" in html and "改名" in html


def _page_for(error):
    """What the 500 handler answers while Django handles `error`."""
    try:
        raise error
    except Exception:
        return server_error(RequestFactory().get("/"))


def _wrapped(error):
    """`error` as Django raises it: its own class, the driver's error as the cause."""
    from django.db import OperationalError

    wrapped = OperationalError(str(error))
    wrapped.__cause__ = error
    return wrapped


def test_a_database_that_cannot_be_reached_gets_the_503_page_in_chinese():
    import sqlite3

    import psycopg
    from psycopg_pool import PoolTimeout

    for error in [
        PoolTimeout("couldn't get a connection after 3.00 sec"),
        psycopg.OperationalError("connection failed: Connection refused"),
        psycopg.errors.AdminShutdown("terminating connection due to administrator command"),
        sqlite3.OperationalError("database is locked"),
    ]:
        response = _page_for(_wrapped(error))
        assert response.status_code == 503, error
        assert "数据库暂时无法连接" in response.content.decode()
        assert response["Retry-After"] == "10"


def test_other_database_errors_stay_server_errors():
    import psycopg

    for error in [
        psycopg.errors.DeadlockDetected("deadlock detected"),
        psycopg.errors.RaiseException("billing: rows of billing_payment are never changed"),
        ValueError("a bug"),
    ]:
        response = _page_for(_wrapped(error) if isinstance(error, psycopg.Error) else error)
        assert response.status_code == 500, error
