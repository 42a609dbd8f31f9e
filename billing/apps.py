from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Billing")

    # Rows the app only inserts (on PostgreSQL the triggers of migration 0008 refuse the rest).
    # `manage.py grant_runtime_role` gives the runtime role no DELETE on them, and UPDATE only
    # on these columns: an invoice number's one change (issued -> voided, with the reason), or
    # the key alone, because SELECT ... FOR UPDATE needs an UPDATE privilege (voids lock the
    # payment and its lines).
    append_only = {
        "Payment": ("id",),
        "PaymentLine": ("id",),
        "InvoiceNumber": ("status", "reason"),
        "Deposit": (),
        "Movement": (),
        "MovementLine": (),
        "BillCorrection": (),
        "ApiCall": (),
        # The hall lead's follow-up of a possible double payment (once, migration 0010).
        "ChannelPayment": ("followed_up_by", "followed_up_at", "follow_up_note"),
    }

    @property
    def role_permissions(self):
        from .rules import BILLING_PERMISSIONS

        return BILLING_PERMISSIONS

    def seed_demo(self, *, password, stdout):
        from .demo import seed

        seed(password=password, stdout=stdout)

    def nav_items(self, user):
        from django.urls import reverse

        from staff.core.extensions import NavItem

        from . import rules

        counter = rules.works_at_counter(user)
        center = rules.is_center(user)
        items = []
        if counter:
            items.append(
                NavItem(_("Counter"), reverse("billing:counter"), order=10, prominent=True)
            )
        if counter or center:
            items += [
                NavItem(_("Payments"), reverse("billing:payment_list"), order=11),
                NavItem(_("Voids"), reverse("billing:void_list"), order=12),
                NavItem(_("Invoice stock"), reverse("billing:invoice_range_list"), order=13),
            ]
        if center:
            items.append(NavItem(_("Import bills"), reverse("billing:bill_import"), order=14))
            items.append(
                NavItem(_("Channel payments"), reverse("billing:channel_payment_list"), order=17)
            )
        if rules.may_correct_bills(user):
            items.append(
                NavItem(_("Bill corrections"), reverse("billing:correction_list"), order=14)
            )
        if rules.may_see_doubles(user):
            items.append(
                NavItem(_("Possible double payments"), reverse("billing:channel_doubles"), order=18)
            )
        if counter or center:
            items.append(NavItem(_("Cash ledgers"), reverse("billing:ledger_list"), order=15))
        if rules.may_see_hall_days(user):
            items.append(NavItem(_("Hall day"), reverse("billing:hall_day_index"), order=16))
        if rules.may_download_movement_files(user):
            items.append(NavItem(_("Movement files"), reverse("billing:movement_files"), order=17))
        return items

    def attention_items(self, user):
        from .selectors.home import attention_items

        return attention_items(user)
