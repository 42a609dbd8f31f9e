from django.contrib.admin.apps import AdminConfig


class CounterAdminConfig(AdminConfig):
    """The Django admin, opened to the director and the office for master data."""

    default_site = "config.admin_site.CounterAdminSite"
