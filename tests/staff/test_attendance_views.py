import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from staff.models import AttendanceRecord, AttendanceReport
from staff.services.attendance import attendance_report_month
from staff.services.rosters import roster_set_cells

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def month(world, shifts):
    """Last month: the cashier works the first two days, late on the second."""
    first = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    roster_set_cells(
        actor=world.director,
        hall=world.hall_a,
        cells={
            (world.cashier.employee.pk, first): "全",
            (world.cashier.employee.pk, first + datetime.timedelta(days=1)): "全",
            (world.cashier.employee.pk, first + datetime.timedelta(days=2)): "休",
        },
    )
    for n, (hour, minute) in enumerate([(7, 55), (8, 21)]):
        day = first + datetime.timedelta(days=n)
        AttendanceRecord.objects.create(
            employee=world.cashier.employee,
            hall=world.hall_a,
            date=day,
            clock_in=datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHANGHAI),
            clock_out=datetime.datetime.combine(day, datetime.time(17, 40), tzinfo=SHANGHAI),
        )
    return first


def month_url(first, **params):
    query = "&".join(f"{k}={v}" for k, v in {"month": f"{first:%Y-%m}", **params}.items())
    return f"{reverse('staff:attendance_month')}?{query}"


def test_employee_clocks_in_from_home_with_workstation_address(world, login):
    client = login(world.cashier)
    response = client.post(reverse("staff:clock"), REMOTE_ADDR="10.9.8.7", follow=True)

    record = AttendanceRecord.objects.get(employee=world.cashier.employee)
    assert record.clock_in_address == "10.9.8.7"
    assert abs((timezone.now() - record.clock_in).total_seconds()) < 60
    assert "已于" in response.content.decode() and "签到" in response.content.decode()
    assert 'data-testid="clock-button"' in response.content.decode()  # now "clock out"


def test_month_grid_shows_codes_legend_and_totals(world, month, login):
    html = login(world.shift_lead).get(month_url(month)).content.decode()
    assert "cashier姓名" in html and "cashier2姓名" in html
    assert "迟</a><small>21</small>" in html
    assert "图例" in html and "旷工" in html


def test_cashier_sees_only_their_own_row(world, month, login):
    html = login(world.cashier2).get(month_url(month)).content.decode()
    assert "cashier2姓名" in html
    assert "cashier姓名</th>" not in html


def test_lead_of_hall_b_cannot_open_hall_a_month(world, month, login):
    response = login(world.other_lead).get(month_url(month, hall=world.hall_a.pk))
    assert response.status_code == 404


def test_office_downloads_xlsx_with_title_lines_and_cells(world, month, login):
    response = login(world.office).get(
        f"{reverse('staff:attendance_export', kwargs={'fmt': 'xlsx'})}"
        f"?month={month:%Y-%m}&hall={world.hall_a.pk}"
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == f"龙泉 {month.year}年{month.month:02d}月考勤表"
    assert sheet["A2"].value == "营业厅：龙泉"
    header = [c.value for c in sheet[3]]
    assert header[:5] == ["序号", "工号", "姓名", "营业厅", "1"]
    rows = {row[2]: row for row in sheet.iter_rows(min_row=5, values_only=True) if row[2]}
    cashier = rows["cashier姓名"]
    assert cashier[4:7] == ("√", "迟", "休")
    assert cashier[header.index("迟到分钟")] == 21
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(t.startswith("制表人：office姓名") for t in texts)
    assert any(t.startswith("审核人：") for t in texts)
    assert any(t.startswith("批准人：") for t in texts)


def test_csv_has_a_bom(world, month, login):
    response = login(world.office).get(
        f"{reverse('staff:attendance_export', kwargs={'fmt': 'csv'})}?month={month:%Y-%m}"
    )
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0][0].startswith("全部营业厅")
    assert any(row[2] == "cashier姓名" for row in rows[2:] if len(row) > 2)


def test_cashier_cannot_export(world, month, login):
    url = reverse("staff:attendance_export", kwargs={"fmt": "xlsx"})
    assert login(world.cashier).get(url).status_code == 403


def test_office_reports_the_month_and_lead_cannot(world, month, login):
    url = month_url(month, hall=world.hall_a.pk)
    assert login(world.shift_lead).post(url).status_code == 403
    login(world.office).post(url)
    assert AttendanceReport.objects.filter(hall=world.hall_a, month=month).exists()


def test_correction_form_records_reason_and_history(world, month, login):
    url = reverse(
        "staff:attendance_day",
        kwargs={
            "employee_id": world.cashier.employee.pk,
            "day": month + datetime.timedelta(days=1),
        },
    )
    client = login(world.shift_lead)
    client.post(url, {"clock_in": "07:58", "clock_out": "17:40", "reason": "系统故障补录"})

    html = client.get(url).content.decode()
    assert "系统故障补录" in html
    assert "√" in html


def test_editing_a_reported_month_is_refused_for_the_lead(world, month, login):
    attendance_report_month(actor=world.office, hall=world.hall_a, month=month)
    url = reverse(
        "staff:attendance_day", kwargs={"employee_id": world.cashier.employee.pk, "day": month}
    )
    response = login(world.shift_lead).post(
        url, {"clock_in": "09:00", "clock_out": "17:40", "reason": "更正"}
    )
    assert f"{month:%Y-%m} 的考勤已上报锁定，只有主任可以更正。" in response.content.decode()
    record = AttendanceRecord.objects.get(employee=world.cashier.employee, date=month)
    assert not record.corrected


def test_month_page_query_count_is_fixed(world, month, login, django_assert_max_num_queries):
    client = login(world.office)
    url = month_url(month)
    client.get(url)
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200


def test_office_reports_all_halls_at_once_and_only_once(world, month, login):
    client = login(world.office)
    attendance_report_month(actor=world.office, hall=world.hall_b, month=month)
    client.post(month_url(month))
    assert AttendanceReport.objects.filter(month=month).count() == 2
    response = client.post(month_url(month), follow=True)
    assert "该月考勤已上报锁定。" in response.content.decode()
    assert AttendanceReport.objects.filter(month=month).count() == 2
