"""The counter (收费台), the receipt and voids."""

import uuid
from functools import cache

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from staff.core.access import Role, employee_of, has_role, require_roles
from staff.core.audit import history_for

from . import counter_queries, selectors, services
from .forms import PaymentForm, VoidDecisionForm, VoidRequestForm, lookup_stamp
from .models import Account, AccountStatus, PaymentKind, PaymentMethod, VoidStatus

COUNTER_ROLES = (Role.CASHIER, Role.SHIFT_LEAD)
PAYMENT_ROLES = (Role.CASHIER, Role.SHIFT_LEAD, Role.DIRECTOR, Role.OFFICE)


def _messages_from(error: ValidationError):
    return list(error.messages)


@cache
def _counter_urls():
    """The counter page's own links: the same on every request, so reversed once."""
    return {
        "counter": reverse("billing:counter"),
        "payments": reverse("billing:payment_list"),
        "invoices": reverse("billing:invoice_range_list"),
    }


def _counter_context(request, account, form=None, matches=(), query="", bills=None):
    """The counter page. `form` is the refused post, shown again with its errors; a fresh
    lookup gets plain initial values (an unbound form cost the lookup more than its reads).
    `bills` are the account's open bills when the lookup already read them."""
    employee = employee_of(request.user)
    invoice_range, day_submitted = counter_queries.cashier_counter_state(
        request.user.pk, employee.hall_id if employee else None, timezone.localdate()
    )
    context = {
        "day_submitted": day_submitted,
        "query": query,
        "account": account,
        "matches": matches,
        "invoice_range": invoice_range,
        "stock_low": invoice_range is not None
        and services.invoice_stock_low(invoice_range.remaining),
        "method_choices": PaymentMethod.choices,
        "urls": _counter_urls(),
    }
    if form is not None:
        # Shown in the payment form, or above the page when there is no form to show them in
        # (an account that does not exist or is closed, a submitted day).
        context["pay_errors"] = [*form.non_field_errors()] + [
            f"{form[name].label}：{error}"
            for name, errors in form.errors.items()
            if name != "__all__"
            for error in errors
        ]
    if account is not None:
        if bills is None:
            bills = selectors.open_bills(account)
        total_open = sum((bill.amount_open for bill in bills), start=0)
        suggested = max(total_open - account.prepaid_balance, 0)
        context.update(
            bills=bills,
            total_open=total_open,
            suggested=suggested,
            takes_payments=account.status == AccountStatus.ACTIVE and not day_submitted,
            payment_max=f"{services.payment_max():.2f}",
        )
        if account.status != AccountStatus.ACTIVE:
            context["closed_message"] = services.closed_account_message(account)
        if form is None:
            token = uuid.uuid4()
            context["pay"] = {
                "account": account.pk,
                "form_token": token,
                "looked_up": lookup_stamp(token, timezone.now()),
                "amount": f"{suggested:.2f}" if suggested else "",
                "method": PaymentMethod.CASH,
            }
        else:
            context["pay"] = {name: form[name].value() for name in form.fields}
    return context


@require_roles(*COUNTER_ROLES)
def counter(request):
    """Type an account number and Enter; the open bills appear with the amount to take."""
    if request.method == "POST":
        return _counter_post(request)
    query = request.GET.get("q", "").strip()
    account, bills, matches = selectors.counter_lookup(query)
    if query and account is None and not matches:
        messages.error(request, _("No account matches “%(q)s”.") % {"q": query})
    context = _counter_context(request, account, None, matches, query, bills=bills)
    return render(request, "billing/counter.html", context)


def _counter_post(request):
    form = PaymentForm(request.POST)
    account = None
    overpay = None
    if form.is_valid():
        try:
            posted = services.payment_post(
                cashier=request.user,
                account_id=form.cleaned_data["account"],
                amount=form.cleaned_data["amount"],
                method=form.cleaned_data["method"],
                tendered=form.cleaned_data["tendered"],
                reference=form.cleaned_data["reference"],
                form_token=form.cleaned_data["form_token"],
                looked_up_at=form.cleaned_data["looked_up_at"],
                prepaid_confirmed=form.cleaned_data["confirm_prepaid"],
            )
        except services.OverpayNotConfirmed as error:
            overpay = error.prepaid
            form.add_error(None, error.messages[0])
        except ValidationError as error:
            for message in _messages_from(error):
                form.add_error(None, message)
        else:
            if not posted.created:
                messages.info(request, _("This payment was already posted; here is its receipt."))
            elif services.invoice_stock_low(posted.invoices_left):
                messages.warning(
                    request,
                    _("Only %(count)s invoice numbers left: requisition a new range.")
                    % {"count": posted.invoices_left},
                )
            url = reverse("billing:payment_detail", kwargs={"pk": posted.payment.pk})
            return HttpResponseRedirect(f"{url}?receipt=1")
    account_id = form.cleaned_data.get("account")
    if account_id:
        account = Account.objects.filter(pk=account_id).first()
    context = _counter_context(request, account, form, query=account.account_no if account else "")
    if overpay is not None and "pay" in context:
        # The same form posted again (Enter) is the confirmation of exactly this amount.
        context["pay"]["confirm_prepaid"] = f"{overpay:.2f}"
        context["overpay"] = overpay
    return render(request, "billing/counter.html", context, status=400)


@require_roles(*PAYMENT_ROLES)
def payment_detail(request, pk):
    """The payment with its printable receipt; the cashier asks for its void from here."""
    payment = selectors.get_payment_for(request.user, pk)
    voids = list(
        payment.void_requests.select_related("requested_by__employee", "decided_by__employee")
    )
    may_request_void = (
        payment.kind == PaymentKind.PAYMENT
        and payment.cashier_id == request.user.pk
        and not selectors.is_reversed(payment)
        and not any(v.status == VoidStatus.PENDING for v in voids)
    )
    # Once the day is closed the form stays, disabled, with the reason (not a failing post).
    void_blocked = selectors.void_blocked_reason(payment) if may_request_void else None
    return render(
        request,
        "billing/payment_detail.html",
        {
            "payment": payment,
            "lines": selectors.payment_lines(payment),
            "voids": voids,
            "is_reversed": selectors.is_reversed(payment),
            "void_form": VoidRequestForm() if may_request_void else None,
            "void_blocked": void_blocked,
            "as_receipt": request.GET.get("receipt") == "1",
            "history": history_for(payment)[:20],
            "cashier_name": _name(payment.cashier),
        },
    )


def _name(user):
    employee = employee_of(user)
    return employee.name if employee else user.get_username()


@require_roles(*COUNTER_ROLES)
@require_POST
def void_request(request, pk):
    payment = selectors.get_payment_for(request.user, pk)
    form = VoidRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the void."))
    else:
        try:
            services.void_request(
                actor=request.user, payment=payment, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            for message in _messages_from(error):
                messages.error(request, message)
        else:
            messages.success(request, _("Void requested: your shift lead will decide it."))
    return redirect("billing:payment_detail", pk=payment.pk)


@require_roles(*PAYMENT_ROLES)
def void_list(request):
    """Pending voids first (the shift lead decides them here), then the recent decisions."""
    voids = selectors.void_requests_for(request.user)
    return render(
        request,
        "billing/void_list.html",
        {
            "pending": list(voids.filter(status=VoidStatus.PENDING).order_by("requested_at")),
            "decided": list(voids.exclude(status=VoidStatus.PENDING).order_by("-decided_at")[:50]),
            "may_decide": has_role(request.user, Role.SHIFT_LEAD),
            "decision_form": VoidDecisionForm(),
        },
    )


def _decide(request, pk, approve):
    void = selectors.get_void_for(request.user, pk)
    form = VoidDecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        if approve:
            services.void_approve(lead=request.user, void=void, note=note)
            messages.success(request, _("Void approved: the reversal entry is posted."))
        else:
            services.void_reject(lead=request.user, void=void, note=note)
            messages.success(request, _("Void rejected."))
    except ValidationError as error:
        for message in _messages_from(error):
            messages.error(request, message)
    return redirect("billing:void_list")


@require_roles(Role.SHIFT_LEAD)
@require_POST
def void_approve(request, pk):
    return _decide(request, pk, approve=True)


@require_roles(Role.SHIFT_LEAD)
@require_POST
def void_reject(request, pk):
    return _decide(request, pk, approve=False)
