import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone
from openpyxl import load_workbook

from staff.models import AttendanceRecord, StaffingRole
from staff.services.rosters import roster_set_cells
from tests.staff.factories import MinimumStaffingFactory, ShiftTypeFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _shifts(hall):
    morning = ShiftTypeFactory(
        hall=hall, code="早", name="早班", start=datetime.time(8), end=datetime.time(12, 30)
    )
    afternoon = ShiftTypeFactory(
        hall=hall,
        code="午",
        name="午班",
        start=datetime.time(12, 30),
        end=datetime.time(17, 30),
        sort_order=1,
    )
    ShiftTypeFactory(hall=hall, code="全", name="全天", sort_order=2)
    for shift in (morning, afternoon):
        MinimumStaffingFactory(shift_type=shift, role=StaffingRole.CASHIER, count=1)
        MinimumStaffingFactory(shift_type=shift, role=StaffingRole.SHIFT_LEAD, count=1)


def test_shift_lead_fills_next_week_and_sees_the_coverage_gap(page, login_as, world):
    _shifts(world.hall_a)
    today = timezone.localdate()
    monday = today + datetime.timedelta(days=7 - today.weekday())
    login_as(world.shift_lead)
    page.goto(f"/rosters/?start={monday.isoformat()}")
    assert "龙泉排班表" in page.locator("h1").inner_text()

    week = [monday + datetime.timedelta(days=n) for n in range(7)]
    lead, cashier, cashier2 = (
        u.employee.employee_no for u in (world.shift_lead, world.cashier, world.cashier2)
    )
    for n, day in enumerate(week):
        page.get_by_test_id(f"cell-{lead}-{day}").fill("休" if n == 5 else "全")
        page.get_by_test_id(f"cell-{cashier}-{day}").fill("休" if n in (2, 3) else "全")
        page.get_by_test_id(f"cell-{cashier2}-{day}").fill("休" if n in (3, 6) else "全")
    page.get_by_role("button", name="保存排班").click()

    page.wait_for_selector(".message-success")
    assert "已保存 21 个单元格" in page.locator(".messages").inner_text()
    # Thursday both cashiers rest, Saturday the lead rests: both leave shifts uncovered.
    thursday, saturday, monday_ = week[3], week[5], week[0]
    assert page.get_by_test_id(f"coverage-早-{thursday}").get_attribute("data-level") == "danger"
    assert page.get_by_test_id(f"coverage-午-{saturday}").get_attribute("data-level") == "danger"
    assert page.get_by_test_id(f"coverage-早-{monday_}").get_attribute("data-level") == "ok"
    assert "4 个班次低于最低在岗人数" in page.get_by_test_id("coverage-gaps").inner_text()


def test_employee_clocks_in_from_the_home_page(page, login_as, world):
    login_as(world.cashier)
    assert page.get_by_test_id("clock-in").inner_text() == "—"

    page.get_by_test_id("clock-button").click()

    page.wait_for_selector(".message-success")
    shown = page.get_by_test_id("clock-in").inner_text()
    record = AttendanceRecord.objects.get(employee=world.cashier.employee)
    assert shown == timezone.localtime(record.clock_in).strftime("%H:%M:%S")
    assert page.get_by_test_id("clock-button").inner_text() == "签退"


def test_office_downloads_the_month_xlsx(page, login_as, world, tmp_path):
    _shifts(world.hall_a)
    first = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    second = first + datetime.timedelta(days=1)
    roster_set_cells(
        actor=world.director,
        hall=world.hall_a,
        cells={(world.cashier.employee.pk, first): "全", (world.cashier.employee.pk, second): "全"},
    )
    AttendanceRecord.objects.create(
        employee=world.cashier.employee,
        hall=world.hall_a,
        date=first,
        clock_in=datetime.datetime.combine(first, datetime.time(8, 12), tzinfo=SHANGHAI),
        clock_out=datetime.datetime.combine(first, datetime.time(17, 35), tzinfo=SHANGHAI),
    )
    login_as(world.office)
    page.goto(f"/attendance/?month={first:%Y-%m}&hall={world.hall_a.pk}")

    with page.expect_download() as download_info:
        page.get_by_test_id("export-xlsx").click()
    path = tmp_path / "month.xlsx"
    download_info.value.save_as(path)

    sheet = load_workbook(path).active
    assert sheet["A1"].value == f"龙泉 {first.year}年{first.month:02d}月考勤表"
    header = [c.value for c in sheet[3]]
    rows = {row[2]: row for row in sheet.iter_rows(min_row=5, values_only=True) if row[2]}
    assert rows["cashier姓名"][4:6] == ("迟", "旷")
    assert rows["cashier姓名"][header.index("迟到分钟")] == 12
    assert rows["cashier姓名"][header.index("旷工天数")] == 1


def test_month_grid_scrolls_to_its_last_column_on_a_1366_screen(page, login_as, world):
    """Thirty people and 31 days: wider and taller than the counter screen. The grid scrolls
    in a box that fits the window, so its horizontal scrollbar is on screen (not below all the
    rows), and the last column can be reached while the day numbers stay in view."""
    from staff.core.roles import Role
    from tests.staff.factories import EmployeeFactory

    for n in range(30):
        EmployeeFactory(hall=world.hall_a, name=f"员工{n:02d}", user__roles=[Role.CASHIER])
    login_as(world.office)
    page.goto(f"/attendance/?month=2026-03&hall={world.hall_a.pk}")
    box = page.get_by_test_id("attendance-scroll")
    box.scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")

    shape = box.evaluate(
        "b => ({bottom: b.getBoundingClientRect().bottom, right: b.getBoundingClientRect().right,"
        " scrolls: b.scrollWidth > b.clientWidth, window: [innerWidth, innerHeight]})"
    )
    assert shape["scrolls"]
    assert shape["bottom"] <= shape["window"][1]  # the horizontal scrollbar is visible
    assert shape["right"] <= shape["window"][0]

    box.evaluate("b => { b.scrollLeft = b.scrollWidth; b.scrollTop = b.scrollHeight; }")
    last = page.locator("[data-testid=attendance-grid] thead th").last
    edge = last.evaluate("th => th.getBoundingClientRect()")
    top = box.evaluate("b => b.getBoundingClientRect().top")
    assert edge["x"] >= 0 and edge["x"] + edge["width"] <= shape["window"][0] + 1
    assert abs(edge["y"] - top) < 2  # the header row stays at the top of the box
