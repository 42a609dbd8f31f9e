import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from staff.models import DutyAssignment, LeaveRequest, LeaveStatus, Penalty
from staff.services.leave import leave_request
from staff.services.penalties import penalty_record
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


def test_lobby_manager_assigns_duty_and_person_ticks_it_off(world, login):
    today = timezone.localdate()
    login(world.lobby_manager).post(
        reverse("staff:duty"),
        {
            "action": "assign",
            "day": today,
            "kind": "cleaning",
            "employee": world.cashier.employee.pk,
        },
    )
    duty = DutyAssignment.objects.get()
    login(world.cashier).post(reverse("staff:duty"), {"action": "done", "duty": duty.pk})
    assert DutyAssignment.objects.get().done_at is not None


def test_cashier_cannot_assign_duty(world, login):
    response = login(world.cashier).post(
        reverse("staff:duty"),
        {
            "action": "assign",
            "day": timezone.localdate(),
            "kind": "cleaning",
            "employee": world.cashier.employee.pk,
        },
    )
    assert response.status_code == 403
    assert not DutyAssignment.objects.exists()


def test_missed_duty_flagged_on_lobby_managers_home(world, login):
    DutyAssignment.objects.create(
        hall=world.hall_a,
        date=timezone.localdate() - datetime.timedelta(days=2),
        kind="safety",
        employee=world.cashier.employee,
        assigned_by=world.lobby_manager,
    )
    html = login(world.lobby_manager).get(reverse("staff:home")).content.decode()
    assert "近一个月未完成的值日" in html
    html = login(world.other_lobby_manager).get(reverse("staff:home")).content.decode()
    assert "近一个月未完成的值日" not in html


def _complaints(world, user, n):
    for i in range(n):
        penalty_record(
            actor=world.office,
            employee=user.employee,
            kind="responsible_complaint",
            on=timezone.localdate(),
            reason=f"投诉{i}",
            source=f"T{i}",
        )


def test_register_shows_warning_and_forfeit(world, login):
    _complaints(world, world.cashier, 2)
    _complaints(world, world.cashier2, 3)
    html = login(world.shift_lead).get(reverse("staff:penalties")).content.decode()
    row_of = {
        name: html.split(name)[1].split("</tr>")[0] for name in ("cashier姓名", "cashier2姓名")
    }
    assert "警告：再有一次将扣除全年奖金" in row_of["cashier姓名"]
    assert "status-danger" in row_of["cashier2姓名"]


def test_cashier_sees_only_own_penalties(world, login):
    _complaints(world, world.cashier2, 1)
    client = login(world.cashier)
    html = client.get(reverse("staff:penalties")).content.decode()
    assert "cashier2姓名" not in html
    url = reverse("staff:penalty_person", kwargs={"employee_id": world.cashier2.employee.pk})
    assert client.get(url).status_code == 404


def test_office_records_a_penalty_and_lead_cannot(world, login):
    url = reverse("staff:penalty_person", kwargs={"employee_id": world.cashier.employee.pk})
    data = {
        "kind": "company_notice",
        "date": timezone.localdate(),
        "reason": "检查通报",
        "source": "通报2026-3",
    }
    assert login(world.shift_lead).post(url, data).status_code == 403
    login(world.office).post(url, data)
    penalty = Penalty.objects.get()
    assert penalty.amount == Decimal("200.00") and penalty.source == "通报2026-3"


def test_penalty_export_per_year_csv(world, login):
    _complaints(world, world.cashier, 1)
    response = login(world.office).get(
        reverse("staff:penalties_export", kwargs={"fmt": "csv"})
        + f"?year={timezone.localdate().year}"
    )
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[2][1] == "cashier姓名" and rows[2][5] == "200.00"


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


def _people_with_penalties_and_duties(world, n, offset):
    from staff.core.roles import Role
    from tests.staff.factories import EmployeeFactory

    today = timezone.localdate()
    for i in range(n):
        employee = EmployeeFactory(hall=world.hall_a, user__roles=[Role.CASHIER])
        penalty_record(
            actor=world.office, employee=employee, kind="company_notice", on=today, reason="通报"
        )
        DutyAssignment.objects.create(
            hall=world.hall_a,
            date=today - datetime.timedelta(days=offset + i + 1),
            kind="cleaning",
            employee=employee,
            assigned_by=world.lobby_manager,
        )


@pytest.mark.parametrize("name", ["staff:penalties", "staff:duty"])
def test_penalty_register_and_duty_page_run_a_fixed_number_of_queries(
    world, login, name, django_assert_max_num_queries
):
    client = login(world.lobby_manager)
    _people_with_penalties_and_duties(world, 2, 0)
    client.get(reverse(name))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(name))
    _people_with_penalties_and_duties(world, 6, 2)
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse(name))
    assert response.status_code == 200
