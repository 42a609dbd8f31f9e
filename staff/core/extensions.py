"""The small interface through which apps plug into the shared pages.

An app's `AppConfig` may define any of these methods; the home page, the navigation and
`seed_demo` call them for every installed app, so a new app adds its links, warnings and
demo data without editing staff:

    def nav_items(self, user) -> list[NavItem]
    def attention_items(self, user) -> list[AttentionItem]
    def seed_demo(self, *, password: str, stdout) -> None
    def work_calendar_changed(self, *, around: list[date]) -> None

`nav_items` is asked once per request (`nav_sections_for`). `work_calendar_changed` is called
inside the transaction of every change of the working calendar (`staff.services.calendar`), with
the days changed: an app that stores values computed from the calendar (complaints: the
tickets' due dates) recomputes those the days can move. `staff` itself never imports the other
apps.
"""

from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.utils.translation import get_language


@dataclass(frozen=True)
class NavItem:
    """A link in the navigation and on the home page."""

    label: str
    url: str
    group: str = ""
    order: int = 100
    # Shown as a button in the header of every page (emergency contacts, "new ticket").
    prominent: bool = False


@dataclass(frozen=True)
class AttentionItem:
    """Something that needs the user's attention: overdue, unverified, missing."""

    text: str
    url: str = ""
    level: str = "warning"  # "danger", "warning" or "info"
    count: int | None = None


@dataclass(frozen=True)
class NavSection:
    """One app's links, shown as one menu of the header."""

    label: str
    items: list[NavItem]

    @property
    def menu_items(self) -> list[NavItem]:
        """The links of the menu; prominent ones are buttons of the header instead."""
        return [item for item in self.items if not item.prominent]


LEVEL_ORDER = {"danger": 0, "warning": 1, "info": 2}


def _collect(method: str, user) -> list:
    items = []
    for config in apps.get_app_configs():
        provider = getattr(config, method, None)
        if provider is not None:
            items.extend(provider(user))
    return items


def _nav(user) -> tuple[list[NavSection], list[NavItem]]:
    """The user's links by app (the header's menus) and in one list, built once per request."""
    cached = getattr(user, "_counterops_nav", None)
    if cached is None:
        sections = []
        for config in apps.get_app_configs():
            provider = getattr(config, "nav_items", None)
            items = sorted(provider(user), key=lambda item: item.order) if provider else []
            if items:
                sections.append(NavSection(str(config.verbose_name), items))
        # The menus run in the order of their apps' first links (the counter before rosters).
        sections.sort(key=lambda section: (section.menu_items or section.items)[0].order)
        items = sorted(
            (item for section in sections for item in section.items), key=lambda i: i.order
        )
        cached = user._counterops_nav = (sections, items)
    return cached


def nav_sections_for(user) -> list[NavSection]:
    """Each app's links under the app's name."""
    return _nav(user)[0] if user.is_authenticated else []


def nav_items_for(user) -> list[NavItem]:
    """Every link the user may use, in one list ordered by `order`."""
    return _nav(user)[1] if user.is_authenticated else []


def nav_cache_key(user, path: str) -> str:
    """What the header's menus show depends on: the user's roles, superuser flag, hall,
    department and language (what `nav_items` may depend on), and the page (the current link
    is marked)."""
    from .access import employee_of, roles_of

    employee = employee_of(user)
    return "|".join(
        map(
            str,
            (
                user.is_superuser,
                ",".join(sorted(roles_of(user))),
                employee is not None,
                employee.hall_id if employee else "",
                employee.department_id if employee else "",
                get_language(),
                path,
            ),
        )
    )


def attention_items_for(user) -> list[AttentionItem]:
    if not user.is_authenticated:
        return []
    return sorted(_collect("attention_items", user), key=lambda i: LEVEL_ORDER.get(i.level, 9))


def work_calendar_changed(*, around: list[date]) -> None:
    """Tell every app that the working calendar changed on (or around) the days `around`."""
    for config in apps.get_app_configs():
        hook = getattr(config, "work_calendar_changed", None)
        if hook is not None:
            hook(around=around)


def demo_seeders():
    """The apps' demo-data hooks, in INSTALLED_APPS order (staff first)."""
    return [
        (config.label, config.seed_demo)
        for config in apps.get_app_configs()
        if hasattr(config, "seed_demo")
    ]
