import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_shows_name_hall_and_roles(client, world):
    client.force_login(world.cashier)

    page = client.get(reverse("staff:home")).content.decode()

    assert "cashier姓名" in page
    assert "龙泉" in page
    assert "收费员" in page


def test_center_wide_staff_see_whole_center(client, world):
    client.force_login(world.office)

    page = client.get(reverse("staff:home")).content.decode()

    assert "全中心" in page
    assert "办公室" in page


def test_master_data_link_only_for_director_and_office(client, world):
    admin_url = reverse("admin:index")
    for persona, visible in [
        ("director", True),
        ("office", True),
        ("cashier", False),
        ("shift_lead", False),
        ("lobby_manager", False),
    ]:
        client.force_login(getattr(world, persona))
        page = client.get(reverse("staff:home")).content.decode()
        assert (f'href="{admin_url}"' in page) is visible, persona


def test_unknown_url_gives_chinese_404(client, world):
    client.force_login(world.cashier)

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_attention_items_come_from_the_apps(client, world, monkeypatch):
    from staff.apps import StaffConfig
    from staff.core.extensions import AttentionItem

    monkeypatch.setattr(
        StaffConfig,
        "attention_items",
        lambda self, user: [AttentionItem("昨日台账未核对", url="/x/", level="danger", count=2)],
        raising=False,
    )
    client.force_login(world.shift_lead)

    page = client.get(reverse("staff:home")).content.decode()

    assert "待处理事项" in page
    assert "昨日台账未核对" in page


def test_home_page_query_count_is_fixed(client, world, django_assert_max_num_queries):
    client.force_login(world.cashier)
    with django_assert_max_num_queries(18):
        client.get(reverse("staff:home"))


def test_office_is_told_about_an_unreported_hall_even_when_a_closed_hall_reported(world):
    from datetime import timedelta

    from django.utils import timezone

    from staff.models import AttendanceReport
    from staff.selectors.home import attention_items
    from tests.staff.factories import HallFactory

    last = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    closed = HallFactory(code="closed", is_active=False)
    AttendanceReport.objects.create(hall=closed, month=last, reported_by=world.office, snapshot={})
    AttendanceReport.objects.create(
        hall=world.hall_a, month=last, reported_by=world.office, snapshot={}
    )
    items = [i for i in attention_items(world.office) if "考勤" in str(i.text)]
    assert len(items) == 1 and items[0].count == 1  # hall B


def _menus(page):
    import re

    return re.search(r'<header class="site-header.*?<div class="who"', page, re.S)[0]


def test_the_rendered_menus_follow_roles_and_the_current_page(client, world):
    """The header's menus are rendered once per set of links and page (a fragment cache):
    what one role saw never reaches another, and the current page is marked on its own link."""
    counter, roster = reverse("billing:counter"), reverse("staff:roster")
    client.force_login(world.cashier)
    cashier_home = _menus(client.get(reverse("staff:home")).content.decode())
    cashier_counter = _menus(client.get(counter).content.decode())

    client.force_login(world.director)
    director_home = _menus(client.get(reverse("staff:home")).content.decode())

    client.force_login(world.cashier2)
    same_as_cashier = _menus(client.get(reverse("staff:home")).content.decode())

    assert f'href="{counter}"' in cashier_home and f'href="{counter}"' not in director_home
    assert f'href="{roster}"' in director_home and f'href="{roster}"' not in cashier_home
    assert 'href="/" aria-current="page"' in cashier_home
    assert 'href="/" aria-current="page"' not in cashier_counter
    assert same_as_cashier == cashier_home


def test_a_role_change_changes_the_menus_at_once(client, world):
    from staff.core.roles import Role

    client.force_login(world.cashier)
    before = _menus(client.get(reverse("staff:home")).content.decode())
    world.cashier.groups.add(Group.objects.get(name=Role.SHIFT_LEAD))
    after = _menus(client.get(reverse("staff:home")).content.decode())

    assert reverse("billing:hall_day_index") not in before
    assert reverse("billing:hall_day_index") in after


def test_the_cached_menus_expire_after_five_minutes(client, world, monkeypatch):
    """Django's cache with a real expiry (not a dictionary kept for the life of the process):
    a link added by a new release of an app's `nav_items` shows within five minutes."""
    import time

    from django.core.cache.backends import locmem

    from staff.apps import StaffConfig
    from staff.core.extensions import NavItem

    client.force_login(world.cashier)
    before = _menus(client.get(reverse("staff:home")).content.decode())
    real_items = StaffConfig.nav_items

    def with_new_link(self, user):
        return [*real_items(self, user), NavItem("新功能", "/new/", order=300)]

    monkeypatch.setattr(StaffConfig, "nav_items", with_new_link)
    still_cached = _menus(client.get(reverse("staff:home")).content.decode())
    now = time.time()
    monkeypatch.setattr(locmem.time, "time", lambda: now + 301)
    expired = _menus(client.get(reverse("staff:home")).content.decode())

    assert "新功能" not in before and still_cached == before
    assert "新功能" in expired
