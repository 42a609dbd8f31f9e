"""Payment lists (my payments today, a hall's day) and their CSV / XLSX export."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.core.access import Role, require_roles
from staff.core.tabular import Table, table_response

from . import ledger_selectors, selectors
from .filters import PaymentFilterSet
from .models import PaymentMethod
from .money import to_cents

LIST_ROLES = (Role.CASHIER, Role.SHIFT_LEAD, Role.DIRECTOR, Role.OFFICE)
PAGE_SIZE = 100


def _filtered(request):
    filterset = PaymentFilterSet(
        request.GET, queryset=selectors.payments_for(request.user), user=request.user
    )
    queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    return filterset, queryset.order_by("-created_at", "-id")


@require_roles(*LIST_ROLES)
def payment_list(request):
    filterset, queryset = _filtered(request)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "billing/payment_list.html",
        {
            "filter": filterset,
            "page": page,
            "totals": selectors.payment_totals_by_method(
                queryset, hide_cash=_holds_blind_cash(request.user, queryset)
            ),
            "speed": selectors.payment_speed_by_cashier(queryset),
            "query": query.urlencode(),
        },
    )


def _holds_blind_cash(user, queryset) -> bool:
    """Whether the rows hold cash of the user's own ledger still open: its sum is the day's cash
    takings, which the blind count keeps from them until they submit (rows stay listed)."""
    blind = ledger_selectors.blind_payments(user)
    return blind is not None and queryset.filter(blind, method=PaymentMethod.CASH).exists()


def _header():
    return [
        _("Time"),
        _("Business date"),
        _("Hall"),
        _("Cashier"),
        _("Account number"),
        _("Account name"),
        _("Kind"),
        _("Method"),
        _("Amount"),
        _("Cash tendered"),
        _("Change given"),
        _("Reference number"),
        _("Invoice number"),
        _("Voided"),
    ]


def _row(payment):
    local = timezone.localtime(payment.created_at)
    reversed_ = selectors.is_reversed(payment)
    return [
        local.strftime("%Y-%m-%d %H:%M:%S"),
        payment.business_date.isoformat(),
        payment.hall.name,
        payment.cashier.employee.name,
        payment.account.account_no,
        payment.account.name,
        payment.get_kind_display(),
        payment.get_method_display(),
        to_cents(payment.amount),
        payment.tendered,
        payment.change,
        payment.reference,
        payment.invoice.display if payment.invoice else "",
        _("yes") if reversed_ else "",
    ]


@require_roles(*LIST_ROLES)
def payment_export(request, fmt):
    """The filtered payments as CSV (streamed: a month of a hall is a long list) or XLSX."""
    _filterset, queryset = _filtered(request)
    rows = (_row(payment) for payment in queryset.iterator(chunk_size=2000))
    table = Table(sheet=_("Payments"), header=_header(), rows=rows)
    return table_response(fmt, f"payments-{timezone.localdate().isoformat()}", table, stream=True)
