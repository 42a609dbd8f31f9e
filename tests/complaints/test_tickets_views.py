"""Ticket pages: open from anywhere, filter the list, act through the detail page, see the
clocks and every refusal in Chinese."""

from datetime import timedelta

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from complaints.models import FirstContactTicket, FollowUpOutcome, StepKind, TicketState
from complaints.services.tickets import (
    ticket_chase,
    ticket_follow_up,
    ticket_forward,
    ticket_resolve,
)
from staff.core.calendar import calendar_for
from staff.models import Penalty
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
NOTHING_CHANGED = "未作任何修改：请更正下面的表单。"
OVERDUE = "已超时49天8小时"  # a clock 49 days and 8 hours past its due time
REPEATED = "已超时 · 已超时"


def _listed(response) -> list[int]:
    return [ticket.pk for ticket, _response, _result in response.context["rows"]]


def _steps_offered(response) -> list[str]:
    return [name for name, _label, _form in response.context["actions"]]


def _step_form(response, name):
    return next(form for step, _label, form in response.context["actions"] if step == name)


def _shown(html: str, testid: str, end: str) -> str:
    """The HTML of the element marked data-testid=`testid`, up to `end`."""
    return html.split(f'data-testid="{testid}">', 1)[1].split(end, 1)[0]


# --- registration ---------------------------------------------------------------------------


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
    detail = client.get(response.url)
    page = detail.content.decode()
    assert f"<h1>首问登记 {ticket.number}</h1>" in page
    explanation = calendar_for(ticket.received_at).result_due(ticket.received_at).explanation()
    assert explanation.startswith("受理当天")
    assert _shown(page, "due-explanation", "</p>") == escape(explanation)
    # The owner may answer on the spot, forward or escalate; handing it off is not theirs.
    assert _steps_offered(detail) == ["resolve", "forward", "escalate"]
    assert "<h2>当场解决</h2>" in page and "<h2>转承办部门</h2>" in page


def test_empty_content_and_bad_phone_are_refused_in_chinese(world, login):
    client = login(world.cashier)
    response = client.post(
        reverse("complaints:ticket_create"), {**FORM, "content": " ", "customer_phone": "123"}
    )
    assert response.status_code == 200
    errors = {
        "content": ["内容为空：请记录用户反映的问题。"],
        "customer_phone": ["“123”不是有效的电话号码：请填写11位手机号或固定电话。"],
    }
    assert response.context["form"].errors == errors
    page = response.content.decode()
    for [message] in errors.values():
        assert f"<li>{message}</li>" in page
    assert not FirstContactTicket.objects.exists()


# --- the list and its filters ---------------------------------------------------------------


def _one_ticket_per_state(world):
    new = open_ticket(world.cashier, customer_phone="13800001111")
    forwarded = ticket_forward(
        actor=world.cashier, ticket=open_ticket(world.cashier), department=world.department
    )
    closed = ticket_resolve(actor=world.cashier, ticket=open_ticket(world.cashier), note="已答复")
    closed = ticket_follow_up(actor=world.cashier, ticket=closed, outcome=FollowUpOutcome.SATISFIED)
    return new, forwarded, closed


def test_ticket_list_shows_the_open_tickets_newest_first_by_default(world, login):
    new, forwarded, _closed = _one_ticket_per_state(world)
    response = login(world.cashier).get(reverse("complaints:ticket_list"))
    assert _listed(response) == [forwarded.pk, new.pk]
    assert '<option value="open" selected>全部未办结</option>' in response.content.decode()


def test_bookmarked_ticket_list_urls_keep_working(world, login):
    new, forwarded, closed = _one_ticket_per_state(world)
    client = login(world.cashier)
    url = reverse("complaints:ticket_list")
    for query, expected in [
        ("state=open", [forwarded, new]),
        ("state=all", [closed, forwarded, new]),
        ("state=", [closed, forwarded, new]),
        ("state=closed", [closed]),
        ("state=forwarded", [forwarded]),
        ("state=all&q=13800001111", [new]),
        (f"q={closed.number}", []),  # closed, and the default is the open ones
        (f"state=closed&q={closed.number}&page=1", [closed]),
    ]:
        response = client.get(f"{url}?{query}")
        assert response.status_code == 200
        assert _listed(response) == [t.pk for t in expected], query
        assert response.context["filter"].errors == {}


def test_ticket_list_shows_the_chosen_state_and_search(world, login):
    page = (
        login(world.cashier)
        .get(reverse("complaints:ticket_list") + "?state=closed&q=王先生")
        .content.decode()
    )
    assert '<option value="closed" selected>已办结</option>' in page
    assert 'type="search" name="q" value="王先生"' in page


def test_unreadable_state_lists_every_state_and_says_why(world, login):
    _one_ticket_per_state(world)
    response = login(world.cashier).get(reverse("complaints:ticket_list") + "?state=bogus")
    assert response.status_code == 200
    assert len(_listed(response)) == 3
    assert _shown(response.content.decode(), "filter-errors", "</div>") == (
        "<p>状态：选择一个有效的选项。 bogus 不在可用的选项中。</p>"
    )


def test_ticket_list_finds_a_ticket_by_phone(world, login):
    wanted = open_ticket(world.cashier, customer_phone="13800001111")
    open_ticket(world.cashier, customer_phone="13900002222")
    response = login(world.cashier).get(reverse("complaints:ticket_list") + "?q=13800001111")
    assert _listed(response) == [wanted.pk]


def test_ticket_list_pages_keep_the_filters(world, login):
    for _ in range(51):
        open_ticket(world.cashier, customer_name="赵女士")
    client = login(world.cashier)
    response = client.get(reverse("complaints:ticket_list") + "?state=all&q=赵")
    assert len(_listed(response)) == 50
    page = response.content.decode()
    assert 'href="?state=all&amp;q=%E8%B5%B5&amp;page=2">下一页</a>' in page
    second = client.get(reverse("complaints:ticket_list") + "?state=all&q=%E8%B5%B5&page=2")
    assert len(_listed(second)) == 1
    assert 'href="?state=all&amp;q=%E8%B5%B5&amp;page=1">上一页</a>' in second.content.decode()


def test_ticket_list_query_count_is_fixed(world, login, django_assert_num_queries):
    client = login(world.director)
    url = reverse("complaints:ticket_list") + "?state=all&q=王"
    client.get(url)  # warm the session
    for count in (15, 60):
        while FirstContactTicket.objects.count() < count:
            open_ticket(world.cashier)
        # session; user with employee; roles; count; the page of tickets with owner and
        # department.
        with django_assert_num_queries(5):
            response = client.get(url)
        assert len(_listed(response)) == min(count, 50)


def test_liaison_sees_the_forwarded_ticket_and_records_the_result(world, login):
    ticket = open_ticket(world.cashier)
    ticket_forward(actor=world.cashier, ticket=ticket, department=world.department)
    client = login(world.liaison)
    assert _listed(client.get(reverse("complaints:ticket_list"))) == [ticket.pk]
    response = client.post(
        reverse("complaints:ticket_action", kwargs={"pk": ticket.pk, "action": "result"}),
        {"result-note": "已更换水表"},
    )
    assert response.status_code == 302
    assert ticket.steps.filter(kind=StepKind.RESULT, by=world.liaison.employee).exists()


def test_ticket_list_does_not_repeat_overdue(world, login):
    _overdue_tickets(world)

    page = login(world.cashier).get(reverse("complaints:ticket_list")).content.decode()

    assert page.count(OVERDUE) == 2 and REPEATED not in page


# --- the detail page and its steps ----------------------------------------------------------


def test_office_forwards_through_the_action_form(world, login):
    ticket = open_ticket(world.cashier)
    client = login(world.office)
    response = client.post(
        reverse("complaints:ticket_action", kwargs={"pk": ticket.pk, "action": "forward"}),
        {"forward-department": world.department.pk, "forward-note": "请维修处处理"},
    )
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["已保存。"]
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
    message = (
        "“其他（不属首问范围）”不属于首问负责范围（计量、收费、维修、水质、水压、报装），"
        "不能作为首问登记转办；请当场答复或更改类别。"
    )
    # The service's refusal sits on the form that was posted, above its fields.
    assert _step_form(response, "forward").non_field_errors() == [message]
    assert [str(m) for m in get_messages(response.wsgi_request)] == [NOTHING_CHANGED]
    section = response.content.decode().split('id="action-forward"', 1)[1].split("</section>")[0]
    assert f'<ul class="errorlist nonfield"><li>{message}</li></ul>' in section
    ticket.refresh_from_db()
    assert ticket.state == TicketState.NEW


def test_cashier_without_the_right_gets_403_on_an_action(world, login):
    ticket = open_ticket(world.cashier)
    ticket_forward(actor=world.cashier, ticket=ticket, department=world.department)
    client = login(world.cashier)
    url = reverse("complaints:ticket_action", kwargs={"pk": ticket.pk, "action": "result"})
    assert client.post(url, {"result-note": "x"}).status_code == 403
    other = login(world.other_cashier)
    assert other.post(url, {"result-note": "x"}).status_code == 404
    assert not ticket.steps.filter(kind=StepKind.RESULT).exists()


def test_unknown_step_is_404(world, login):
    ticket = open_ticket(world.cashier)
    url = reverse("complaints:ticket_action", kwargs={"pk": ticket.pk, "action": "delete"})
    assert login(world.director).post(url).status_code == 404


def test_ticket_page_says_calendar_missing_with_the_year(world, login):
    ticket = open_ticket(world.cashier)
    ticket_forward(actor=world.cashier, ticket=ticket, department=world.department)
    late_december = local(2026, 12, 28, 10, 0)
    FirstContactTicket.objects.filter(pk=ticket.pk).update(
        received_at=late_december, result_due_at=None
    )
    page = login(world.cashier).get(reverse("complaints:ticket_detail", args=[ticket.pk]))
    text = page.content.decode()
    clock = _shown(text, "result-clock", "</dd>").strip()
    assert clock == '<span class="status-warn">日历缺失</span>'
    explanation = _shown(text, "due-explanation", "</p>")
    assert explanation.endswith("2027年的工作日历尚未录入，无法计算到期时间（日历缺失）。")


def test_ticket_detail_query_count_is_fixed(world, login, django_assert_max_num_queries):
    ticket = open_ticket(world.cashier)
    ticket_forward(actor=world.cashier, ticket=ticket, department=world.department)
    client = login(world.office)
    url = reverse("complaints:ticket_detail", args=[ticket.pk])
    client.get(url)
    with django_assert_max_num_queries(20):
        client.get(url)
    for _ in range(5):
        ticket_chase(actor=world.office, ticket=ticket, note="催办")
    with django_assert_max_num_queries(20):
        client.get(url)


def test_lobby_manager_cannot_hand_a_ticket_to_another_halls_employee(world, login):
    ticket = open_ticket(world.cashier)
    client = login(world.lobby_manager)
    page = client.get(reverse("complaints:ticket_detail", kwargs={"pk": ticket.pk}))
    owners = _step_form(page, "owner").fields["new_owner"].queryset
    assert world.cashier2.employee in owners and world.other_cashier.employee not in owners
    response = client.post(
        reverse("complaints:ticket_action", kwargs={"pk": ticket.pk, "action": "owner"}),
        {"owner-new_owner": world.other_cashier.employee.pk, "owner-reason": "换班"},
    )
    assert response.status_code == 400
    assert _step_form(response, "owner").errors == {
        "new_owner": ["选择一个有效的选项： 该选择不在可用的选项中。"]
    }
    ticket.refresh_from_db()
    assert ticket.owner == world.cashier.employee
    assert not ticket.steps.filter(kind=StepKind.OWNER_CHANGED).exists()


def test_director_uses_the_responsibility_form_on_the_closed_ticket(world, login):
    ticket = ticket_resolve(actor=world.cashier, ticket=open_ticket(world.cashier), note="已答复")
    ticket = ticket_follow_up(actor=world.cashier, ticket=ticket, outcome=FollowUpOutcome.SATISFIED)
    client = login(world.director)
    page = client.get(reverse("complaints:ticket_detail", args=[ticket.pk]))
    assert _steps_offered(page) == ["responsible"]
    assert "<h2>认定有责</h2>" in page.content.decode()
    response = client.post(
        reverse("complaints:ticket_action", kwargs={"pk": ticket.pk, "action": "responsible"}),
        {"responsible-employees": [world.cashier.employee.pk], "responsible-reason": "未按时答复"},
    )
    assert response.status_code == 302
    assert Penalty.objects.get().employee == world.cashier.employee
    office = login(world.office)
    url = reverse("complaints:ticket_action", kwargs={"pk": ticket.pk, "action": "responsible"})
    assert office.post(url, {"responsible-reason": "x"}).status_code == 403


def _overdue_tickets(world):
    """One ticket not answered, one not reported back by the department: each clock 49 days
    and 8 hours overdue."""
    due = timezone.now() - timedelta(days=49, hours=8, minutes=5)
    unanswered = open_ticket(world.cashier)
    FirstContactTicket.objects.filter(pk=unanswered.pk).update(response_due_at=due)
    forwarded = ticket_forward(
        actor=world.cashier, ticket=open_ticket(world.cashier), department=world.department
    )
    FirstContactTicket.objects.filter(pk=forwarded.pk).update(result_due_at=due)
    return unanswered, forwarded


def test_ticket_detail_clocks_do_not_repeat_overdue(world, login):
    client = login(world.cashier)
    for ticket, clock in zip(_overdue_tickets(world), ("response", "result"), strict=True):
        html = client.get(reverse("complaints:ticket_detail", args=[ticket.pk])).content.decode()
        shown = _shown(html, f"{clock}-clock", "</dd>")

        assert f'<span class="status-danger">{OVERDUE}</span>' in shown
        assert REPEATED not in html
