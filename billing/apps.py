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
        if counter or center:
            items.append(NavItem(_("Cash ledgers"), reverse("billing:ledger_list"), order=15))
        if rules.may_see_hall_days(user):
            items.append(NavItem(_("Hall day"), reverse("billing:hall_day_index"), order=16))
        return items

    def attention_items(self, user):
        from django.urls import reverse

        from staff.core.extensions import AttentionItem

        from . import rules
        from .selectors import invoices, voids

        items = self._ledger_attention(user)
        if rules.may_decide_voids(user):
            pending = voids.pending_voids_for(user).count()
            if pending:
                items.append(
                    AttentionItem(
                        _("Voids waiting for your decision"),
                        reverse("billing:void_list"),
                        level="warning",
                        count=pending,
                    )
                )
        if rules.works_at_counter(user):
            invoice_range = invoices.active_range_of(user)
            if invoice_range is None:
                items.append(
                    AttentionItem(
                        _("You have no invoice range: payments are refused until one is issued."),
                        reverse("billing:invoice_range_list"),
                        level="danger",
                    )
                )
            elif invoices.invoice_stock_low(invoice_range.remaining):
                items.append(
                    AttentionItem(
                        _("Few invoice numbers left: requisition a new range."),
                        reverse("billing:invoice_range_list"),
                        level="warning",
                        count=invoice_range.remaining,
                    )
                )
        return items

    def _ledger_attention(self, user):
        """Past ledgers not submitted or verified; cash carried out and not deposited in time."""
        from django.urls import reverse
        from django.utils import timezone

        from staff.core.access import Role, has_role
        from staff.core.extensions import AttentionItem

        from .models import LedgerState
        from .selectors import ledger as ledger_selectors

        if not has_role(user, Role.SHIFT_LEAD, Role.DIRECTOR):
            return []
        today = timezone.localdate()
        url = reverse("billing:ledger_list")
        counts = ledger_selectors.overdue_ledger_counts(user, today)
        items = []
        if counts.get(LedgerState.OPEN):
            items.append(
                AttentionItem(
                    _("Cash ledgers of past days not submitted"),
                    f"{url}?state={LedgerState.OPEN}",
                    level="danger",
                    count=counts[LedgerState.OPEN],
                )
            )
        if counts.get(LedgerState.SUBMITTED):
            items.append(
                AttentionItem(
                    _("Cash ledgers of past days not verified"),
                    f"{url}?state={LedgerState.SUBMITTED}",
                    level="warning",
                    count=counts[LedgerState.SUBMITTED],
                )
            )
        delayed = ledger_selectors.delayed_deposits(user, today)
        if delayed:
            first = delayed[0]
            items.append(
                AttentionItem(
                    _("Delayed deposits: cash carried out and not deposited the next working day"),
                    reverse("billing:ledger_detail", kwargs={"pk": first["pk"]})
                    if len(delayed) == 1
                    else url,
                    level="danger",
                    count=len(delayed),
                )
            )
        return items
