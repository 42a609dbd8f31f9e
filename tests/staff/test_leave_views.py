"""Leave pages: requesting, deciding, the lists and their filters, 调休 balances."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from staff.models import LeaveRequest, LeaveStatus
from staff.services.leave import leave_request
from staff.services.rosters import roster_set_cells

pytestmark = pytest.mark.django_db


def test_employee_requests_leave_and_sees_balance(world, login, next_monday):
    client = login(world.cashier)
    response = client.post(
        reverse("staff:leave_list"),
        {"leave_type": "annual", "start": next_monday, "end": next_monday, "reason": "探亲"},
        follow=True,
    )
    assert LeaveRequest.objects.get().employee == world.cashier.employee
    assert "待审批" in response.content.decode()
    assert 'data-testid="comp-balance"' in client.get(reverse("staff:leave_list")).content.decode()


def test_lead_approves_with_override_from_the_page(world, shifts, login, next_monday):
    roster_set_cells(
        actor=world.shift_lead,
        hall=world.hall_a,
        cells={
            (world.shift_lead.employee.pk, next_monday): "全",
            (world.cashier.employee.pk, next_monday): "全",
        },
    )
    leave = leave_request(
        actor=world.cashier, leave_type="sick", start=next_monday, end=next_monday
    )
    client = login(world.shift_lead)
    url = reverse("staff:leave_detail", kwargs={"pk": leave.pk})
    page = client.get(url).content.decode()
    assert "低于最低在岗人数" in page

    refused = client.post(url, {"decision": "approve"}, follow=True).content.decode()
    assert "请填写理由" in refused
    assert LeaveRequest.objects.get(pk=leave.pk).status == LeaveStatus.PENDING

    client.post(url, {"decision": "approve", "override_reason": "从泉口借调一人"})
    assert LeaveRequest.objects.get(pk=leave.pk).status == LeaveStatus.APPROVED


def test_cashier_cannot_decide_a_colleagues_leave(world, login, next_monday):
    leave = leave_request(
        actor=world.cashier, leave_type="annual", start=next_monday, end=next_monday
    )
    url = reverse("staff:leave_detail", kwargs={"pk": leave.pk})
    assert login(world.cashier2).get(url).status_code == 404
    assert login(world.other_lead).post(url, {"decision": "approve"}).status_code == 404


def test_lead_sees_each_persons_compensatory_balance(world, shifts, login):
    from staff.models import AttendanceRecord

    rest_day = datetime.date(2025, 3, 3)
    roster_set_cells(
        actor=world.director, hall=world.hall_a, cells={(world.cashier.employee.pk, rest_day): "休"}
    )
    AttendanceRecord.objects.create(
        employee=world.cashier.employee,
        hall=world.hall_a,
        date=rest_day,
        clock_in=datetime.datetime(2025, 3, 3, 0, 5, tzinfo=datetime.UTC),
    )
    html = login(world.shift_lead).get(reverse("staff:leave_list")).content.decode()
    table = html.split('data-testid="comp-balances"')[1]
    row = table.split("cashier姓名")[1].split("</tr>")[0]
    assert row.count('<td class="num">1</td>') == 2  # earned 1, balance 1
    assert "other_cashier姓名" not in table


def _pending_leaves(world, n, day):
    from staff.core.roles import Role
    from tests.staff.factories import EmployeeFactory

    for _ in range(n):
        employee = EmployeeFactory(hall=world.hall_a, user__roles=[Role.CASHIER])
        LeaveRequest.objects.create(employee=employee, leave_type="annual", start=day, end=day)
        LeaveRequest.objects.create(
            employee=employee,
            leave_type="sick",
            start=day + datetime.timedelta(days=1),
            end=day + datetime.timedelta(days=1),
            status=LeaveStatus.APPROVED,
            decided_by=world.shift_lead,
        )


@pytest.mark.parametrize("persona", ["shift_lead", "office", "director"])
def test_leave_list_runs_a_fixed_number_of_queries(
    world, login, next_monday, persona, django_assert_max_num_queries
):
    client = login(getattr(world, persona))
    _pending_leaves(world, 2, next_monday)
    client.get(reverse("staff:leave_list"))  # warm the caches a first request fills
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("staff:leave_list"))
    _pending_leaves(world, 6, next_monday)
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("staff:leave_list"))
    assert response.content.decode().count('href="/leave/') >= 16


def test_leave_page_title_holds_only_its_title(world, login):
    response = login(world.shift_lead).get(reverse("staff:leave_list"))
    html = response.content.decode()
    title = html[html.index("<title>") : html.index("</title>")]
    assert "<table" not in title
    assert html.count('data-testid="comp-balances"') == 1


def test_lead_filters_the_requests_of_the_hall_by_status_and_type(world, login, next_monday):
    _pending_leaves(world, 2, next_monday)  # per person: annual pending, sick approved
    client = login(world.shift_lead)

    def shown(**params):
        page = client.get(reverse("staff:leave_list"), params).content.decode()
        table = page.split('data-testid="leave-filters"')[1].split("</table>")[0]
        return table.count("<tr><td>"), table

    everything, _ = shown()
    pending, table = shown(status="pending")
    sick, _ = shown(type="sick")
    approved_annual, _ = shown(status="approved", type="annual")

    assert (everything, pending, sick, approved_annual) == (4, 2, 2, 0)
    rows = table.split("<tbody>")[1]
    assert "待审批" in rows and "已批准" not in rows


def test_a_bad_filter_value_says_so_and_shows_the_list(world, login, next_monday):
    _pending_leaves(world, 1, next_monday)

    response = login(world.shift_lead).get(reverse("staff:leave_list"), {"status": "nonsense"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "选择一个有效的选项。 nonsense 不在可用的选项中。" in page
    assert page.split('data-testid="leave-filters"')[1].split("</table>")[0].count("<tr><td>") == 2


def test_cashier_has_no_filters_of_the_hall(world, login):
    page = login(world.cashier).get(reverse("staff:leave_list")).content.decode()

    assert 'data-testid="leave-filters"' not in page
