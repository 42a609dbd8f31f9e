import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from staff.access import require_roles
from staff.roles import Role
from staff.views import server_error


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
    from staff.views import permission_denied

    response = permission_denied(request)
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


@pytest.mark.django_db
def test_object_history_tag_lists_who_did_what(world):
    from django.db import transaction
    from django.template import Context, Template

    from staff.audit import audit_record

    with transaction.atomic():
        audit_record(actor=world.director, action="hall.rename", obj=world.hall_a, summary="改名")

    html = Template("{% load staff_tags %}{% object_history hall %}").render(
        Context({"hall": world.hall_a})
    )
    assert "director姓名" in html and "改名" in html
