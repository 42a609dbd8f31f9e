"""Ticket pages: open from anywhere, act through the detail page, see the clocks in Chinese."""

from django.urls import reverse

from complaints.models import FirstContactTicket, StepKind, TicketState
from complaints.services.tickets import ticket_forward
from tests.complaints.factories import local, open_ticket

FORM = {
    "channel": "visit",
    "category": "repairs",
    "customer_name": "王先生",
    "customer_phone": "13972400001",
    "street": "象山大道",
    "house_number": "12号",
    "landmark": "人民医院对面",
    "account_no": "",
    "content": "水表漏水",
}


def test_new_ticket_button_is_in_the_header_of_every_page(world, login):
    client = login(world.liaison)
    page = client.get(reverse("staff:home")).content.decode()
    assert 'class="header-actions"' in page
    assert f'href="{reverse("complaints:ticket_create")}"' in page
    assert "新建首问登记" in page


def test_cashier_registers_a_ticket(world, login):
    client = login(world.cashier)
    response = client.post(reverse("complaints:ticket_create"), FORM)
    ticket = FirstContactTicket.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("complaints:ticket_detail", kwargs={"pk": ticket.pk})
    page = client.get(response.url).content.decode()
    assert ticket.number in page
    assert "受理当天" in page  # the due-date explanation, in Chinese
    assert "当场解决" in page and "转承办部门" in page


def test_empty_content_and_bad_phone_are_refused_in_chinese(world, login):
    client = login(world.cashier)
    response = client.post(
        reverse("complaints:ticket_create"), {**FORM, "content": " ", "customer_phone": "123"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "内容为空" in page
    assert "不是有效的电话号码" in page
    assert not FirstContactTicket.objects.exists()


def test_office_forwards_through_the_action_form(world, login):
    ticket = open_ticket(world.cashier)
    client = login(world.office)
    response = client.post(
        reverse("complaints:ticket_action", kwargs={"pk": ticket.pk, "action": "forward"}),
        {"forward-department": world.department.pk, "forward-note": "请维修处处理"},
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.state == TicketState.FORWARDED and ticket.department == world.department


def test_forwarding_other_category_shows_the_scope_message(world, login):
    ticket = open_ticket(world.cashier, category="other")
    client = login(world.cashier)
    response = client.post(
        reverse("complaints:ticket_action", kwargs={"pk": ticket.pk, "action": "forward"}),
        {"forward-department": world.department.pk},
    )
    assert response.status_code == 400
    assert "不属于首问负责范围" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.state == TicketState.NEW


def test_liaison_sees_the_forwarded_ticket_and_records_the_result(world, login):
    ticket = open_ticket(world.cashier)
    ticket_forward(actor=world.cashier, ticket=ticket, department=world.department)
    client = login(world.liaison)
    assert client.get(reverse("complaints:ticket_list")).content.decode().count(ticket.number)
    response = client.post(
        reverse("complaints:ticket_action", kwargs={"pk": ticket.pk, "action": "result"}),
        {"result-note": "已更换水表"},
    )
    assert response.status_code == 302
    assert ticket.steps.filter(kind=StepKind.RESULT, by=world.liaison.employee).exists()


def test_cashier_without_the_right_gets_403_on_an_action(world, login):
    ticket = open_ticket(world.cashier)
    ticket_forward(actor=world.cashier, ticket=ticket, department=world.department)
    client = login(world.cashier)
    url = reverse("complaints:ticket_action", kwargs={"pk": ticket.pk, "action": "result"})
    assert client.post(url, {"result-note": "x"}).status_code == 403
    other = login(world.other_cashier)
    assert other.post(url, {"result-note": "x"}).status_code == 404


def test_ticket_list_query_count_is_fixed(world, login, django_assert_max_num_queries):
    for _ in range(15):
        open_ticket(world.cashier)
    client = login(world.director)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("complaints:ticket_list"))
    assert response.content.decode().count("/complaints/") >= 15


def test_calendar_page_shows_missing_next_year_in_november(world, login):
    client = login(world.office)
    page = client.get(reverse("complaints:calendar") + "?year=2027").content.decode()
    assert "日历缺失" in page
    assert "2027" in page


def test_calendar_entry_contradiction_message_on_the_page(world, login):
    client = login(world.office)
    lines = "2027-01-01 休 元旦\n2027-01-01 班 元旦"
    response = client.post(reverse("complaints:calendar_enter"), {"lines": lines})
    page = response.content.decode()
    assert response.status_code == 400
    assert "既是节假日又是调休上班日" in page
    assert "2027-01-01 班 元旦" in page  # the lines come back for correction


def test_ticket_page_says_calendar_missing_with_the_year(world, login):
    ticket = open_ticket(world.cashier)
    ticket_forward(actor=world.cashier, ticket=ticket, department=world.department)
    late_december = local(2026, 12, 28, 10, 0)
    FirstContactTicket.objects.filter(pk=ticket.pk).update(
        received_at=late_december, result_due_at=None
    )
    page = login(world.cashier).get(reverse("complaints:ticket_detail", args=[ticket.pk]))
    text = page.content.decode()
    assert "日历缺失" in text
    assert "2027年的工作日历尚未录入" in text


def test_ticket_detail_query_count_is_fixed(world, login, django_assert_max_num_queries):
    ticket = open_ticket(world.cashier)
    ticket_forward(actor=world.cashier, ticket=ticket, department=world.department)
    client = login(world.office)
    url = reverse("complaints:ticket_detail", args=[ticket.pk])
    client.get(url)
    with django_assert_max_num_queries(20):
        client.get(url)
    for _ in range(5):
        from complaints.services.tickets import ticket_chase

        ticket_chase(actor=world.office, ticket=ticket, note="催办")
    with django_assert_max_num_queries(20):
        client.get(url)


def test_ticket_list_finds_a_ticket_by_phone(world, login):
    wanted = open_ticket(world.cashier, customer_phone="13800001111")
    other = open_ticket(world.cashier, customer_phone="13900002222")
    page = login(world.cashier).get(reverse("complaints:ticket_list") + "?q=13800001111")
    text = page.content.decode()
    assert wanted.number in text and other.number not in text


def test_lobby_manager_cannot_hand_a_ticket_to_another_halls_employee(world, login):
    ticket = open_ticket(world.cashier)
    client = login(world.lobby_manager)
    page = client.get(reverse("complaints:ticket_detail", kwargs={"pk": ticket.pk}))
    assert world.cashier2.employee.name in page.content.decode()
    assert world.other_cashier.employee.name not in page.content.decode()
    response = client.post(
        reverse("complaints:ticket_action", kwargs={"pk": ticket.pk, "action": "owner"}),
        {"owner-new_owner": world.other_cashier.employee.pk, "owner-reason": "换班"},
    )
    assert response.status_code == 400
    ticket.refresh_from_db()
    assert ticket.owner == world.cashier.employee
    assert not ticket.steps.filter(kind=StepKind.OWNER_CHANGED).exists()
