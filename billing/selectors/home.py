"""What billing asks people to look at on their home page (the staff core's `attention_items`)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.core.access import Role, has_role
from staff.core.extensions import AttentionItem

from .. import rules
from ..models import LedgerState
from . import channels, invoices, voids
from . import ledger as ledger_selectors
from .api_clients import clients_not_reading


def attention_items(user) -> list:
    items = _ledger_attention(user)
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
    if has_role(user, Role.SHIFT_LEAD):
        doubles = channels.doubles_to_follow_up(user).count()
        if doubles:
            items.append(
                AttentionItem(
                    _("Possible double payments to follow up"),
                    reverse("billing:channel_doubles"),
                    level="warning",
                    count=doubles,
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
    if rules.may_watch_api_clients(user):
        items.extend(_api_attention())
    return items


def _api_attention() -> list:
    """A client system (the billing system) that stopped reading the movements: the money
    taken at the counters no longer reaches it."""
    items = []
    for client in clients_not_reading():
        if client.last_read_at is None:
            text = _("%(name)s has never read the movements: check the connection.") % {
                "name": client.name
            }
        else:
            text = _(
                "%(name)s has not read the movements since %(time)s: check the connection."
            ) % {
                "name": client.name,
                "time": timezone.localtime(client.last_read_at).strftime("%m-%d %H:%M"),
            }
        items.append(AttentionItem(text, level="warning"))
    return items


def _ledger_attention(user) -> list:
    """Past ledgers not submitted or verified; cash carried out and not deposited in time."""
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
