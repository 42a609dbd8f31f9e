"""Incident pages: report, detail and its forms, the list, corrective actions; and POSTs with
another hall's ids (404 for what is out of scope, nothing changed)."""

import re
from datetime import timedelta
from urllib.parse import parse_qs

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safety import services
from safety.models import CorrectiveAction, Incident, IncidentStep
from tests.safety.conftest import form_errors, page_messages, shown
from tests.safety.factories import IncidentFactory


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_cashier_reports_an_incident_with_the_numbers_on_screen(world, client):
    from safety.contacts_data import seed_contacts
    from safety.models import EmergencyContact
    from staff.models import Hall

    seed_contacts(EmergencyContact, Hall)
    client.force_login(world.cashier)
    html = client.get(reverse("safety:incident_report")).content.decode()
    assert 'href="tel:110"' in html and 'href="tel:120"' in html

    response = client.post(
        reverse("safety:incident_report"),
        {
            "hall": world.hall_b.pk,  # ignored choice: a cashier reports for their own hall
            "kind": "violent_robbery",
            "occurred_at": local(timezone.now() - timedelta(minutes=3)),
            "description": "一名男子持刀抢劫二号窗口",
            "injured_count": 0,
            "person_name": "赵某",
            "person_role": "suspect",
        },
    )
    assert response.status_code == 200  # hall B is not a choice for a hall A cashier
    assert form_errors(response) == ["选择一个有效的选项： 该选择不在可用的选项中。"]
    assert Incident.objects.count() == 0

    response = client.post(
        reverse("safety:incident_report"),
        {
            "hall": world.hall_a.pk,
            "kind": "violent_robbery",
            "occurred_at": local(timezone.now() - timedelta(minutes=3)),
            "description": "一名男子持刀抢劫二号窗口",
            "injured_count": 0,
            "person_name": "赵某",
            "person_role": "suspect",
        },
    )
    incident = Incident.objects.get()
    assert response.url == reverse("safety:incident_detail", args=[incident.pk])
    assert incident.hall == world.hall_a
    assert incident.people.get().role == "suspect"


def test_future_incident_gets_a_chinese_message_and_nothing_is_saved(world, client):
    client.force_login(world.cashier)
    future = timezone.now() + timedelta(hours=3)
    response = client.post(
        reverse("safety:incident_report"),
        {
            "hall": world.hall_a.pk,
            "kind": "fire",
            "occurred_at": local(future),
            "description": "配电箱冒烟",
            "injured_count": 0,
        },
    )
    assert response.status_code == 200
    assert form_errors(response) == [f"事件不能发生在将来（{shown(future)}）。"]
    assert Incident.objects.count() == 0


def test_reporter_ticks_a_step_and_a_step_before_the_incident_is_refused(world, client):
    incident = IncidentFactory(hall=world.hall_a, reported_by=world.cashier)
    client.force_login(world.cashier)
    url = reverse("safety:incident_step", args=[incident.pk])

    before = incident.occurred_at - timedelta(hours=1)
    response = client.post(
        url, {"step": "leadership_informed", "done_at": local(before)}, follow=True
    )
    assert page_messages(response) == [
        f"“已向领导报告”的完成时间 {shown(before)} 早于事件发生时间 {shown(incident.occurred_at)}。"
    ]
    assert IncidentStep.objects.count() == 0

    client.post(url, {"step": "leadership_informed", "done_at": local(timezone.now())})
    assert IncidentStep.objects.get().step == "leadership_informed"


def test_other_hall_cannot_see_or_tick_the_incident(world, client):
    incident = IncidentFactory(hall=world.hall_a, reported_by=world.cashier)
    for persona in ("other_lead", "cashier2", "other_cashier"):
        client.force_login(getattr(world, persona))
        assert client.get(reverse("safety:incident_detail", args=[incident.pk])).status_code == 404
        response = client.post(
            reverse("safety:incident_step", args=[incident.pk]),
            {"step": "order_kept", "done_at": local(timezone.now())},
        )
        assert response.status_code == 404
    assert IncidentStep.objects.count() == 0


def test_cashier_cannot_change_the_state_from_the_page(world, client):
    incident = IncidentFactory(hall=world.hall_a, reported_by=world.cashier)
    client.force_login(world.cashier)
    response = client.post(
        reverse("safety:incident_transition", args=[incident.pk]), {"to": "handling"}
    )
    assert response.status_code == 403
    incident.refresh_from_db()
    assert incident.status == "reported"


def test_closing_with_open_actions_shows_a_chinese_message(world, client):
    incident = IncidentFactory(hall=world.hall_a, reported_by=world.cashier, kind="major_dispute")
    lead = world.shift_lead
    services.incident_transition(actor=lead, incident=incident, to="handling")
    for step in ("leadership_informed", "order_kept", "company_informed", "service_restored"):
        services.incident_tick_step(
            actor=lead, incident=incident, step=step, done_at=timezone.now()
        )
    services.incident_transition(actor=lead, incident=incident, to="resolved")
    client.force_login(lead)
    client.post(
        reverse("safety:incident_notes", args=[incident.pk]),
        {"follow_up_summary": "已与用户沟通解决", "commendations": "", "accountability": ""},
    )
    client.post(
        reverse("safety:incident_action", args=[incident.pk]),
        {
            "action-description": "柜台加装隔音板",
            "action-owner": lead.employee.pk,
            "action-due_date": (timezone.localdate() + timedelta(days=7)).isoformat(),
        },
    )
    response = client.post(
        reverse("safety:incident_transition", args=[incident.pk]), {"to": "closed"}, follow=True
    )
    assert page_messages(response) == ["还有 1 项整改措施尚未完成，请先完成。"]
    incident.refresh_from_db()
    assert incident.status == "resolved"
    assert incident.follow_up_summary == "已与用户沟通解决"


def test_detail_shows_the_flagged_delay(world, client, settings):
    settings.SAFETY_LEADERSHIP_DELAY_MINUTES = 15
    incident = IncidentFactory(
        hall=world.hall_a,
        reported_by=world.cashier,
        occurred_at=timezone.now() - timedelta(minutes=50),
    )
    IncidentStep.objects.create(
        incident=incident,
        step="leadership_informed",
        done_at=incident.occurred_at + timedelta(minutes=31),
        ticked_by=world.cashier,
    )
    client.force_login(world.shift_lead)
    html = client.get(reverse("safety:incident_detail", args=[incident.pk])).content.decode()
    cell = re.search(r'<dd class="([^"]*)" data-testid="delay">(.*?)<span', html, re.S)
    assert cell.group(1) == "status-danger"
    assert " ".join(cell.group(2).split()) == "31 分钟 ⚠ 逾期"


@pytest.mark.parametrize("persona", ["director", "shift_lead", "cashier"])
def test_incident_list_runs_a_fixed_number_of_queries(world, client, persona):
    client.force_login(getattr(world, persona))
    url = reverse("safety:incident_list")
    IncidentFactory(hall=world.hall_a, reported_by=world.cashier)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(6):
        incident = IncidentFactory(hall=world.hall_a, reported_by=world.cashier)
        IncidentStep.objects.create(
            incident=incident,
            step="leadership_informed",
            done_at=timezone.now(),
            ticked_by=world.cashier,
        )
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert len(few) == len(many)
    assert html.count("safety/incidents/") >= 7


def test_cashier_sees_only_their_own_reports_in_the_list(world, client):
    mine = IncidentFactory(hall=world.hall_a, reported_by=world.cashier)
    other = IncidentFactory(hall=world.hall_a, reported_by=world.cashier2)
    client.force_login(world.cashier)
    html = client.get(reverse("safety:incident_list")).content.decode()
    assert reverse("safety:incident_detail", args=[mine.pk]) in html
    assert reverse("safety:incident_detail", args=[other.pk]) not in html
    client.force_login(world.lobby_manager)
    html = client.get(reverse("safety:incident_list")).content.decode()
    assert reverse("safety:incident_detail", args=[other.pk]) in html


def test_reporter_adds_a_person_and_the_owner_marks_an_action_done(world, client):
    incident = IncidentFactory(hall=world.hall_a, reported_by=world.cashier)
    client.force_login(world.cashier)
    client.post(
        reverse("safety:incident_person", args=[incident.pk]),
        {"name": "孙某", "role": "witness", "phone": "13900001111"},
    )
    assert incident.people.get().name == "孙某"

    action = services.action_add(
        actor=world.shift_lead,
        incident=incident,
        description="更换门禁",
        owner=world.cashier2.employee,
        due_date=timezone.localdate(),
    )
    client.force_login(world.other_lead)
    assert client.post(reverse("safety:action_done", args=[action.pk])).status_code == 404
    client.force_login(world.cashier2)
    response = client.post(reverse("safety:action_done", args=[action.pk]))
    assert response.url == reverse("safety:incident_detail", args=[incident.pk])
    action.refresh_from_db()
    assert action.is_done and action.done_by == world.cashier2


def test_incident_detail_runs_a_fixed_number_of_queries(world, client):
    incident = IncidentFactory(hall=world.hall_a, reported_by=world.cashier)
    client.force_login(world.shift_lead)
    url = reverse("safety:incident_detail", args=[incident.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for step in ("leadership_informed", "order_kept", "company_informed"):
        services.incident_tick_step(
            actor=world.shift_lead, incident=incident, step=step, done_at=timezone.now()
        )
    for name in ("甲", "乙", "丙"):
        services.incident_add_person(
            actor=world.shift_lead, incident=incident, name=name, role="witness"
        )
        services.action_add(
            actor=world.shift_lead,
            incident=incident,
            description=f"整改{name}",
            owner=world.cashier.employee,
            due_date=timezone.localdate(),
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)


def test_action_list_shows_own_and_hall_actions_with_fixed_queries(world, client):
    incident = IncidentFactory(hall=world.hall_a, reported_by=world.cashier)
    other = IncidentFactory(hall=world.hall_b, reported_by=world.other_cashier)

    def add(source, owner, text):
        return services.action_add(
            actor=world.director,
            incident=source,
            description=text,
            owner=owner.employee,
            due_date=timezone.localdate(),
        )

    add(incident, world.cashier2, "更换监控硬盘")
    add(other, world.other_lead, "修补门锁")
    client.force_login(world.cashier2)
    html = client.get(reverse("safety:action_list")).content.decode()
    assert "更换监控硬盘" in html and "修补门锁" not in html

    client.force_login(world.lobby_manager)
    url = reverse("safety:action_list")
    with CaptureQueriesContext(connection) as few:
        html = client.get(url).content.decode()
    assert "更换监控硬盘" in html and "修补门锁" not in html
    for index in range(4):
        add(incident, world.cashier, f"整改{index}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)

    action = add(incident, world.cashier2, "张贴告示")
    client.force_login(world.cashier2)
    response = client.post(reverse("safety:action_done", args=[action.pk]), {"next": "list"})
    assert response.url == url


def test_lead_corrects_the_time_from_the_detail_page(world, client):
    incident = IncidentFactory(hall=world.hall_a, reported_by=world.cashier)
    client.force_login(world.shift_lead)
    html = client.get(reverse("safety:incident_detail", args=[incident.pk])).content.decode()
    assert "更正报告内容" in html
    new_time = timezone.now() - timedelta(hours=3)
    client.post(
        reverse("safety:incident_correct", args=[incident.pk]),
        {
            "kind": "fire",
            "occurred_at": local(new_time),
            "injured_count": 0,
            "description": "配电箱起火,已用灭火器扑灭",
        },
    )
    incident.refresh_from_db()
    assert incident.kind == "fire"
    assert local(incident.occurred_at) == local(new_time)


def _listed(html):
    """The incident ids in the order the list shows them."""
    table = html.split('data-testid="incident-list"')[1].split("</table>")[0]
    return [int(pk) for pk in re.findall(r'href="/safety/incidents/(\d+)/"', table)]


def test_bookmarked_status_url_lists_only_that_status_and_an_unknown_one_lists_all(world, client):
    reported = IncidentFactory(hall=world.hall_a)
    handling = IncidentFactory(hall=world.hall_a, status="handling")
    client.force_login(world.director)
    url = reverse("safety:incident_list")

    assert _listed(client.get(url + "?status=reported").content.decode()) == [reported.pk]
    assert _listed(client.get(url + "?status=handling").content.decode()) == [handling.pk]
    assert sorted(_listed(client.get(url + "?status=nonsense").content.decode())) == sorted(
        [reported.pk, handling.pk]
    )


def test_director_sorts_the_list_by_injured_and_the_filter_and_order_stay_on_every_page(
    world, client, monkeypatch
):
    import safety.tables

    monkeypatch.setattr(safety.tables, "INCIDENTS_PER_PAGE", 2)
    by_injured = [IncidentFactory(hall=world.hall_a, injured_count=n) for n in (2, 0, 3, 1)]
    IncidentFactory(hall=world.hall_a, injured_count=9, status="handling")
    client.force_login(world.director)
    url = reverse("safety:incident_list")

    first = client.get(url + "?status=reported&sort=-injured_count").content.decode()
    assert _listed(first) == [by_injured[2].pk, by_injured[0].pk]
    assert 'aria-sort="descending"' in first.split("受伤人数")[0].rsplit("<th", 1)[1]
    next_link = re.search(r'href="(\?[^"]*)">下一页', first).group(1).replace("&amp;", "&")
    assert parse_qs(next_link[1:]) == {
        "status": ["reported"],
        "sort": ["-injured_count"],
        "page": ["2"],
    }
    second = client.get(url + next_link).content.decode()
    assert _listed(second) == [by_injured[3].pk, by_injured[1].pk]
    # The filter form keeps the order; a new order starts again on the first page.
    assert 'name="sort" value="-injured_count"' in second
    hall_link = re.search(r'href="(\?[^"]*)">营业厅', second).group(1).replace("&amp;", "&")
    assert parse_qs(hall_link[1:]) == {"status": ["reported"], "sort": ["hall"]}


def test_list_is_newest_first_and_bad_page_sort_or_page_size_values_change_nothing(
    world, client, monkeypatch
):
    import safety.tables

    monkeypatch.setattr(safety.tables, "INCIDENTS_PER_PAGE", 2)
    now = timezone.now()
    old, middle, new = (
        IncidentFactory(hall=world.hall_a, occurred_at=now - timedelta(hours=hours))
        for hours in (3, 2, 1)
    )
    client.force_login(world.director)
    url = reverse("safety:incident_list")
    for query in ("", "?sort=nonsense", "?page=x", "?per_page=-1", "?per_page=1000"):
        response = client.get(url + query)
        assert response.status_code == 200
        assert _listed(response.content.decode()) == [new.pk, middle.pk], query
    for query in ("?page=2", "?page=99", "?page=0&per_page=0"):
        assert _listed(client.get(url + query).content.decode()) == [old.pk], query


@pytest.mark.parametrize("query", ["?status=reported&sort=-injured_count", "?sort=hall&page=2"])
def test_filtered_and_sorted_list_runs_a_fixed_number_of_queries(world, client, query):
    client.force_login(world.shift_lead)
    url = reverse("safety:incident_list") + query
    IncidentFactory(hall=world.hall_a, reported_by=world.cashier)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(60):
        IncidentFactory(hall=world.hall_a, reported_by=world.cashier)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(few) == len(many)


# --- POSTs with another hall's ids --------------------------------------------------------------


def _action(owner):
    return {
        "action-description": "更换门锁",
        "action-owner": owner.pk,
        "action-due_date": (timezone.localdate() + timedelta(days=5)).isoformat(),
    }


def test_other_halls_lead_cannot_act_on_hall_a_incident(world, client):
    incident = IncidentFactory(hall=world.hall_a, reported_by=world.cashier)
    client.force_login(world.other_lead)
    owner = world.other_lead.employee
    response = client.post(reverse("safety:incident_action", args=[incident.pk]), _action(owner))
    assert response.status_code == 404
    step = {"step": "leadership_informed", "done_at": local(timezone.now())}
    assert client.post(reverse("safety:incident_step", args=[incident.pk]), step).status_code == 404
    assert not CorrectiveAction.objects.exists() and not IncidentStep.objects.exists()


def test_posting_another_halls_employee_as_owner_is_refused_with_the_forms_message(world, client):
    incident = IncidentFactory(hall=world.hall_a, reported_by=world.cashier)
    client.force_login(world.shift_lead)
    response = client.post(
        reverse("safety:incident_action", args=[incident.pk]),
        _action(world.other_cashier.employee),
        follow=True,
    )
    assert page_messages(response) == ["选择一个有效的选项： 该选择不在可用的选项中。"]
    assert not CorrectiveAction.objects.exists()


# --- What the detail page offers whom (safety.rules.incident_offers) -----------------------------


def _forms(html):
    """The actions of the detail page's forms, by URL name."""
    names = {
        "step": "tick",
        "person": "person",
        "state": "transition",
        "action": "action",
        "notes": "notes",
        "correct": "correct",
    }
    return sorted({names[m] for m in re.findall(r'action="/safety/incidents/\d+/(\w+)/"', html)})


def test_the_reporter_ticks_and_adds_people_a_handler_also_handles_a_closed_incident_offers_nothing(
    world, client
):
    incident = IncidentFactory(hall=world.hall_a, reported_by=world.cashier, status="resolved")
    url = reverse("safety:incident_detail", args=[incident.pk])
    client.force_login(world.cashier)
    assert _forms(client.get(url).content.decode()) == ["person", "tick"]
    client.force_login(world.lobby_manager)
    html = client.get(url).content.decode()
    assert _forms(html) == ["action", "correct", "notes", "person", "tick", "transition"]
    buttons = re.findall(r'name="to" value="(\w+)"', html)
    assert buttons == ["closed", "handling"]

    Incident.objects.filter(pk=incident.pk).update(status="closed", follow_up_summary="已处理")
    for persona in ("cashier", "lobby_manager", "director"):
        client.force_login(getattr(world, persona))
        assert _forms(client.get(url).content.decode()) == []
