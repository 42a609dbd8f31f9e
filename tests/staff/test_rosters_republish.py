"""Edits to a published roster are visible and deliberate: the grid lists what changed since
publication (who, when), people keep seeing the published version, and re-publishing sends
the new one."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from staff.models import AuditEntry, LeaveStatus, RosterPublication
from staff.selectors.rosters import roster_edits, roster_grid
from staff.services.leave import leave_decide, leave_request
from staff.services.rosters import roster_publish, roster_republish, roster_set_cells

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _emp(user):
    return user.employee.pk


@pytest.fixture
def published(world, shifts):
    """Today and tomorrow: the cashier on 早 then 午, published by the lead."""
    today = timezone.localdate()
    roster_set_cells(
        actor=world.shift_lead,
        hall=world.hall_a,
        cells={(_emp(world.cashier), today): "早", (_emp(world.cashier), today + DAY): "午"},
    )
    roster_publish(actor=world.shift_lead, hall=world.hall_a, start=today, end=today + DAY)
    return today


def grid_url(world, start):
    return f"{reverse('staff:roster')}?hall={world.hall_a.pk}&start={start.isoformat()}&span=week"


def test_publishing_keeps_the_cells_as_published(world, published):
    publication = RosterPublication.objects.get(hall=world.hall_a, date=published)
    assert publication.snapshot == {str(_emp(world.cashier)): "早"}
    grid = roster_grid(world.hall_a, published, published + DAY)
    assert roster_edits(grid) == []


def test_an_edit_after_publication_is_listed_with_who_and_when(world, published):
    roster_set_cells(
        actor=world.director, hall=world.hall_a, cells={(_emp(world.cashier), published): "全"}
    )

    edits = roster_edits(roster_grid(world.hall_a, published, published + DAY))

    assert [(e.employee.pk, e.day, e.published, e.current) for e in edits] == [
        (_emp(world.cashier), published, "早", "全")
    ]
    assert edits[0].changed_by == world.director and edits[0].changed_at is not None


def test_a_leave_approved_after_publication_shows_as_an_edit_by_the_approver(world, published):
    leave = leave_request(
        actor=world.cashier, leave_type="sick", start=published + DAY, end=published + DAY
    )
    leave_decide(actor=world.shift_lead, leave=leave, approve=True, override_reason="已协调")

    edits = roster_edits(roster_grid(world.hall_a, published, published + DAY))
    assert [(e.published, e.current, e.changed_by) for e in edits] == [
        ("午", "病", world.shift_lead)
    ]


def test_staff_see_the_published_version_until_it_is_republished(world, published, login):
    roster_set_cells(
        actor=world.shift_lead, hall=world.hall_a, cells={(_emp(world.cashier), published): "午"}
    )
    client = login(world.cashier)

    html = client.get(reverse("staff:my_roster")).content.decode()
    assert "早班 08:00–12:30" in html
    assert html.count('data-testid="plan-edited"') == 1
    home = client.get(reverse("staff:home")).content.decode()
    assert "早班 08:00–12:30" in home and "正在调整" in home

    assert (
        roster_republish(
            actor=world.shift_lead, hall=world.hall_a, start=published, end=published + 6 * DAY
        )
        == 1
    )

    html = client.get(reverse("staff:my_roster")).content.decode()
    assert "早班 08:00–12:30" not in html
    assert 'data-testid="plan-edited"' not in html
    assert roster_edits(roster_grid(world.hall_a, published, published + DAY)) == []


def test_republish_is_audited_and_records_the_new_version(world, published):
    roster_set_cells(
        actor=world.shift_lead, hall=world.hall_a, cells={(_emp(world.cashier2), published): "休"}
    )
    before = RosterPublication.objects.get(hall=world.hall_a, date=published).published_at

    roster_republish(actor=world.director, hall=world.hall_a, start=published, end=published)

    publication = RosterPublication.objects.get(hall=world.hall_a, date=published)
    assert publication.snapshot[str(_emp(world.cashier2))] == "休"
    assert publication.published_by == world.director and publication.published_at > before
    entry = AuditEntry.objects.get(action="staff.roster.republish")
    assert entry.changes["cells"] == [
        {
            "employee_id": _emp(world.cashier2),
            "date": published.isoformat(),
            "from": "",
            "to": "休",
            "employee": world.cashier2.employee.name,
        }
    ]


def test_republish_without_changes_is_refused_and_changes_nothing(world, published):
    with pytest.raises(ValidationError) as error:
        roster_republish(
            actor=world.shift_lead, hall=world.hall_a, start=published, end=published + DAY
        )
    assert "没有任何变动" in " ".join(error.value.messages)
    assert not AuditEntry.objects.filter(action="staff.roster.republish").exists()


def test_only_the_halls_lead_or_a_director_republishes(world, published):
    roster_set_cells(
        actor=world.shift_lead, hall=world.hall_a, cells={(_emp(world.cashier), published): "午"}
    )
    for actor in (world.lobby_manager, world.other_lead, world.cashier):
        with pytest.raises(ValidationError):
            roster_republish(actor=actor, hall=world.hall_a, start=published, end=published)
    assert RosterPublication.objects.get(date=published).snapshot == {
        str(_emp(world.cashier)): "早"
    }


def test_grid_page_lists_the_changes_and_republishes(world, published, login):
    roster_set_cells(
        actor=world.shift_lead, hall=world.hall_a, cells={(_emp(world.cashier), published): "全"}
    )
    client = login(world.shift_lead)
    html = client.get(grid_url(world, published)).content.decode()
    assert 'data-testid="roster-edits"' in html and 'data-testid="republish"' in html
    assert 'class="edited" title="已发布：早"' in html

    # The lobby manager sees the changes but has no re-publish button and may not post it.
    lobby = login(world.lobby_manager)
    html = lobby.get(grid_url(world, published)).content.decode()
    assert 'data-testid="roster-edits"' in html and 'data-testid="republish"' not in html
    assert lobby.post(grid_url(world, published), {"action": "republish"}).status_code == 403

    client = login(world.shift_lead)
    response = client.post(grid_url(world, published), {"action": "republish"}, follow=True)
    html = response.content.decode()
    assert "已重新发布" in html and 'data-testid="roster-edits"' not in html


def test_leave_days_are_links_in_the_editable_grid_and_refused_on_save(world, shifts, login):
    monday = timezone.localdate() + datetime.timedelta(days=7 - timezone.localdate().weekday())
    roster_set_cells(
        actor=world.shift_lead,
        hall=world.hall_a,
        cells={(_emp(world.cashier2), monday): "早", (_emp(world.cashier), monday): "全"},
    )
    leave = leave_request(actor=world.cashier2, leave_type="annual", start=monday, end=monday)
    leave_decide(actor=world.shift_lead, leave=leave, approve=True, override_reason="已协调")
    client = login(world.shift_lead)
    url = grid_url(world, monday)

    html = client.get(url).content.decode()
    assert f'<a href="{reverse("staff:leave_detail", kwargs={"pk": leave.pk})}"' in html
    assert f'name="c-{_emp(world.cashier2)}-{monday:%Y%m%d}"' not in html

    # A crafted post for that cell is refused with the message, and nothing changes.
    response = client.post(
        url,
        {"action": "save", f"c-{_emp(world.cashier2)}-{monday:%Y%m%d}": "午"},
        follow=True,
    )
    assert "请先在该请假页面撤销" in response.content.decode()
    assert roster_grid(world.hall_a, monday, monday).code(_emp(world.cashier2), monday) == "年"


def test_lead_withdraws_an_approved_leave_from_its_page(world, shifts, login):
    monday = timezone.localdate() + datetime.timedelta(days=7 - timezone.localdate().weekday())
    leave = leave_request(actor=world.cashier2, leave_type="annual", start=monday, end=monday)
    leave_decide(actor=world.shift_lead, leave=leave, approve=True)
    url = reverse("staff:leave_detail", kwargs={"pk": leave.pk})

    # The cashier sees their approved leave but cannot withdraw it.
    cashier = login(world.cashier2)
    assert 'data-testid="revoke-form"' not in cashier.get(url).content.decode()
    assert cashier.post(url, {"action": "revoke", "reason": "x"}).status_code == 403

    lead = login(world.shift_lead)
    assert 'data-testid="revoke-form"' in lead.get(url).content.decode()
    html = lead.post(url, {"action": "revoke", "reason": ""}, follow=True).content.decode()
    assert "必填" in html
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED

    response = lead.post(url, {"action": "revoke", "reason": "人手不足"}, follow=True)
    assert "已撤销已批准的请假" in response.content.decode()
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.REVOKED
    assert roster_grid(world.hall_a, monday, monday).code(_emp(world.cashier2), monday) == ""
