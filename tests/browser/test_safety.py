import pytest

from safety.contacts_data import seed_contacts
from safety.models import AlarmDrill, EmergencyContact, Incident
from staff.models import Hall
from tests.conftest import build_world


@pytest.fixture
def world(transactional_db):
    """The personas, and the emergency numbers of the data migration (a flush removed them)."""
    world = build_world()
    seed_contacts(EmergencyContact, Hall)
    return world


def test_cashier_reports_an_incident_from_the_home_page_and_ticks_steps(page, login_as, world):
    login_as(world.cashier)

    page.locator("header").get_by_role("link", name="应急电话").click()
    page.get_by_test_id("report-incident").click()
    form = page.get_by_test_id("incident-form")
    assert page.get_by_role("link", name="110").first.get_attribute("href") == "tel:110"
    form.get_by_label("暴力抢劫").check()
    form.get_by_label("事件经过").fill("一名男子持刀要求打开钱箱,已按下报警按钮")
    form.get_by_role("button", name="报告").click()

    page.wait_for_url("**/safety/incidents/*/")
    assert page.get_by_test_id("incident-status").inner_text() == "已报告"
    page.get_by_test_id("tick-alarm_raised").click()
    page.get_by_test_id("tick-leadership_informed").click()

    checklist = page.get_by_test_id("checklist").inner_text()
    assert "已报警求救\t✓" in checklist
    assert "已向领导报告\t✓" in checklist
    incident = Incident.objects.get()
    assert incident.hall == world.hall_a
    assert sorted(incident.steps.values_list("step", flat=True)) == [
        "alarm_raised",
        "leadership_informed",
    ]


def test_shift_lead_records_the_months_drill(page, login_as, world):
    login_as(world.shift_lead)

    page.locator("nav").get_by_role("button", name="安全").click()
    page.locator("nav").get_by_role("link", name="报警演练").click()
    page.get_by_role("link", name="登记本月演练").click()
    form = page.get_by_test_id("drill-form")
    form.get_by_label("组织人").select_option(label=world.shift_lead.employee.name)
    form.get_by_label("各报警点均正常报警").check()
    form.get_by_label("响应时间（秒）").fill("38")
    form.get_by_label("发现的问题（每行一条）").fill("三号窗口脚踏报警器松动")
    form.get_by_role("button", name="保存").click()

    page.wait_for_url("**/safety/drills/*/")
    assert "报警演练已登记" in page.locator(".messages").inner_text()
    assert "三号窗口脚踏报警器松动" in page.content()
    drill = AlarmDrill.objects.get()
    assert (drill.hall, drill.response_seconds, drill.alarm_worked) == (world.hall_a, 38, True)


def test_director_filters_sorts_and_pages_the_incident_list(page, login_as, world, monkeypatch):
    import safety.tables
    from tests.safety.factories import IncidentFactory

    monkeypatch.setattr(safety.tables, "INCIDENTS_PER_PAGE", 2)
    for injured in (2, 0, 3, 1):
        IncidentFactory(hall=world.hall_a, injured_count=injured)
    IncidentFactory(hall=world.hall_b, injured_count=9, status="handling")
    login_as(world.director)

    page.goto("/safety/incidents/")
    page.get_by_label("状态").select_option(label="已报告")
    page.get_by_role("button", name="筛选").click()
    table = page.get_by_test_id("incident-list")
    table.get_by_role("link", name="受伤人数").click()  # ascending
    table.get_by_role("link", name="受伤人数").click()  # descending
    injured = page.locator("[data-testid=incident-list] td.num")
    assert injured.all_inner_texts() == ["3", "2"]
    header = table.get_by_role("columnheader", name="受伤人数")
    assert header.get_attribute("aria-sort") == "descending"

    page.get_by_role("link", name="下一页").click()
    assert injured.all_inner_texts() == ["1", "0"]
    assert page.get_by_label("状态").input_value() == "reported"
    assert "第 2 页，共 2 页" in page.locator("main").inner_text()
