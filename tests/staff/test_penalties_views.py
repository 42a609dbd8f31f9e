"""Penalty pages: the register per year, a person's penalties, recording one, the export."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from staff.models import DutyAssignment, Penalty
from staff.services.penalties import penalty_record

pytestmark = pytest.mark.django_db


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


def test_person_page_and_export_show_the_year_asked_for(world, login):
    from staff.models import PenaltyKind

    for day in (datetime.date(2025, 6, 1), datetime.date(2026, 2, 1), datetime.date(2026, 3, 1)):
        penalty_record(
            actor=world.office,
            employee=world.cashier.employee,
            kind=PenaltyKind.COMPANY_NOTICE,
            on=day,
            reason=f"通报{day:%m}",
        )
    client = login(world.office)
    person = reverse("staff:penalty_person", kwargs={"employee_id": world.cashier.employee.pk})
    export = reverse("staff:penalties_export", kwargs={"fmt": "csv"})

    page_2025 = client.get(person, {"year": "2025"}).context["penalties"]
    page_2026 = client.get(person, {"year": "2026"}).context["penalties"]
    rows = list(csv.reader(io.StringIO(client.get(export, {"year": "2025"}).content.decode()[1:])))

    assert [p.reason for p in page_2025] == ["通报06"]
    assert sorted(p.reason for p in page_2026) == ["通报02", "通报03"]
    assert [row[6] for row in rows[2:]] == ["通报06"]


@pytest.mark.parametrize("year", ["", "abc", "1999", "2101", "2026.5", "9" * 5000])
def test_a_year_that_is_not_one_shows_this_year(world, login, year):
    response = login(world.office).get(reverse("staff:penalties"), {"year": year})

    assert response.status_code == 200
    assert response.context["year"] == timezone.localdate().year
