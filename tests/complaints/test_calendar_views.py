"""The working-calendar pages (complaints/calendar_views.py, moving to the staff core)."""

from django.urls import reverse


def test_calendar_page_shows_missing_next_year_in_november(world, login):
    client = login(world.office)
    page = client.get(reverse("complaints:calendar") + "?year=2027").content.decode()
    missing = page.split('data-testid="calendar-missing">', 1)[1].split("</p>", 1)[0]
    assert missing == "2027年日历缺失：录入该年日期并确认之前，落在该年的期限无法计算。"


def test_calendar_entry_contradiction_message_on_the_page(world, login):
    client = login(world.office)
    lines = "2027-01-01 休 元旦\n2027-01-01 班 元旦"
    response = client.post(reverse("complaints:calendar_enter"), {"lines": lines})
    page = response.content.decode()
    assert response.status_code == 400
    assert response.context["entry_form"].errors == {
        "lines": ["第2行：2027-01-01 不能既是节假日又是调休上班日。"]
    }
    assert "<li>第2行：2027-01-01 不能既是节假日又是调休上班日。</li>" in page
    assert "2027-01-01 班 元旦" in page  # the lines come back for correction
