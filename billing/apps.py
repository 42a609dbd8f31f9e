from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Billing")

    def ready(self):
        from .permissions import grant_billing_permissions

        post_migrate.connect(grant_billing_permissions, sender=self)
