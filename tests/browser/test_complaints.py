"""A ticket's whole journey through the browser, one persona after another."""

from complaints.models import FirstContactTicket, TicketState


def test_ticket_from_counter_to_sla_view(page, login_as, world):
    # The cashier opens a ticket from the header button present on every page.
    login_as(world.cashier)
    page.get_by_role("link", name="新建首问登记").first.click()
    page.select_option("#id_channel", "visit")
    page.select_option("#id_category", "repairs")
    page.fill("#id_customer_name", "王先生")
    page.fill("#id_customer_phone", "13972400001")
    page.fill("#id_street", "象山大道")
    page.fill("#id_house_number", "12号")
    page.fill("#id_landmark", "人民医院对面")
    page.fill("#id_content", "楼道水表漏水")
    page.get_by_role("button", name="登记").click()
    page.wait_for_url("**/complaints/*/")
    assert "受理当天" in page.get_by_test_id("due-explanation").inner_text()
    ticket = FirstContactTicket.objects.get()
    detail = f"/complaints/{ticket.pk}/"

    # The office forwards it to the repairs department.
    login_as(world.office)
    page.goto(detail)
    page.select_option("#id_forward-department", str(world.department.pk))
    page.fill("#id_forward-note", "请维修处上门")
    page.get_by_test_id("submit-forward").click()
    page.wait_for_url(f"**{detail}")
    assert "已转承办部门" in page.get_by_test_id("ticket-state").inner_text()

    # The department's liaison records the result.
    login_as(world.liaison)
    page.goto(detail)
    page.fill("#id_result-note", "已更换水表接头")
    page.get_by_test_id("submit-result").click()
    page.wait_for_url(f"**{detail}")
    assert "部门已反馈" in page.get_by_test_id("ticket-state").inner_text()

    # The owner replies and records the follow-up call.
    login_as(world.cashier)
    page.goto(detail)
    page.fill("#id_reply-note", "已电话告知用户")
    page.get_by_test_id("submit-reply").click()
    page.wait_for_url(f"**{detail}")
    page.check("input[name='follow_up-outcome'][value='satisfied']")
    page.get_by_test_id("submit-follow_up").click()
    page.wait_for_url(f"**{detail}")
    assert "已办结" in page.get_by_test_id("ticket-state").inner_text()
    steps = page.get_by_test_id("steps").inner_text()
    for who in ("cashier姓名", "office姓名", "liaison姓名"):
        assert who in steps

    ticket.refresh_from_db()
    assert ticket.state == TicketState.CLOSED

    # The director sees it in the SLA view.
    login_as(world.director)
    page.goto("/complaints/sla/?dims=owner")
    rates = page.get_by_test_id("rates").inner_text()
    assert "cashier姓名" in rates
    assert "100.0" in rates
