"""Payments: the lists (my payments today, a hall's day), their downloads, one payment's receipt."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from staff.core.access import employee_of, require_roles
from staff.core.audit import history_for
from staff.core.tabular import table_response

from .. import exports, rules
from ..filters import PaymentFilterSet
from ..forms import VoidRequestForm
from ..models import PaymentMethod
from ..selectors import ledger as ledger_selectors
from ..selectors import payments as selectors
from .htmx import render_page

PAGE_SIZE = 100


@require_roles(*rules.PAYMENT_ROLES)
def payment_detail(request, pk):
    """The payment with its printable receipt; the cashier asks for its void from here."""
    payment = selectors.get_payment_for(request.user, pk)
    return render_payment(request, payment, as_receipt=request.GET.get("receipt") == "1")


def render_payment(request, payment, *, as_receipt):
    """The payment page; `as_receipt`: just posted at the counter (the way back to it first)."""
    voids = list(
        payment.void_requests.select_related("requested_by__employee", "decided_by__employee")
    )
    may_request_void = rules.may_request_void(request.user, payment, voids)
    # Once the day is closed the form stays, disabled, with the reason (not a failing post).
    void_blocked = rules.why_not_void(payment) if may_request_void else None
    return render_page(
        request,
        "billing/payments/detail.html",
        {
            "payment": payment,
            "lines": selectors.payment_lines(payment),
            "voids": voids,
            "is_reversed": selectors.is_reversed(payment),
            "void_form": VoidRequestForm() if may_request_void else None,
            "void_blocked": void_blocked,
            "as_receipt": as_receipt,
            "history": history_for(payment)[:20],
            "cashier_name": _name(payment.cashier),
        },
    )


def _name(user):
    employee = employee_of(user)
    return employee.name if employee else user.get_username()


def _filtered(request):
    filterset = PaymentFilterSet(
        request.GET, queryset=selectors.payments_for(request.user), user=request.user
    )
    queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    return filterset, queryset.order_by("-created_at", "-id")


@require_roles(*rules.PAYMENT_ROLES)
def payment_list(request):
    filterset, queryset = _filtered(request)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "billing/payments/list.html",
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


@require_roles(*rules.PAYMENT_ROLES)
def payment_export(request, fmt):
    """The filtered payments as CSV (streamed: a month of a hall is a long list) or XLSX."""
    _filterset, queryset = _filtered(request)
    table = exports.payments_table(queryset)
    return table_response(fmt, f"payments-{timezone.localdate().isoformat()}", table, stream=True)
